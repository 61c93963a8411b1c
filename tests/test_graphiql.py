"""GraphiQL is self-hosted: GET /graphql serves a page whose assets all come from this server
(``oms/static/graphiql``), so it works on machines without internet access.

Two levels: the page and its assets through the app (fast), and a real headless Chromium
against a real server that renders GraphiQL, runs a query from the ``?q=`` link and a query
with an ``Authorization`` header typed into the Headers tab (slower, ~5 s). The browser test
talks to Chromium over the DevTools protocol with the ``websockets`` package that
``uvicorn[standard]`` brings; no extra dependency. Without Chromium it skips locally and
fails under CI (``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.live_server import fresh_database, live_server, migrate

ASSET_TYPES = {".js": "javascript", ".css": "text/css"}
ATTRIBUTE_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""")


async def _page(http: httpx.AsyncClient) -> str:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_graphiql_page_uses_only_local_assets(oms_http):
    html = await _page(oms_http)
    assert "<title>oms GraphiQL</title>" in html
    # No CDN (nor any other host): nothing absolute at all.
    assert "http://" not in html and "https://" not in html
    urls = ATTRIBUTE_URL.findall(html)
    assets = [url for url in urls if not url.startswith("data:")]
    assert all(url.startswith("/static/graphiql/") for url in assets), urls
    assert {Path(url).name for url in assets} >= {
        "react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css",
    }
    for url in assets:
        response = await oms_http.get(url)
        assert response.status_code == 200, url
        assert ASSET_TYPES[Path(url).suffix] in response.headers["content-type"], (url, response.headers)
        assert len(response.content) > 1000, url


async def test_graphiql_talks_to_this_server(oms_http):
    html = await _page(oms_http)
    assert 'new URL("/graphql", window.location.href)' in html
    assert "subscriptionUrl" in html and "isHeadersEditorEnabled: true" in html


async def test_static_mount_serves_only_its_folder(oms_http):
    assert (await oms_http.get("/static/graphiql/missing.js")).status_code == 404
    assert (await oms_http.get("/static/graphiql/..%2F..%2Fapp.py")).status_code == 404


# --- a real browser -------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1280,800",
    "--remote-debugging-port=0",
]
QUERY = "{ productTypes { name } }"
# The CodeMirror 5 instance of an editor hangs on its element.
RESPONSE_TEXT = """(() => {
  const cm = document.querySelector('.graphiql-response .CodeMirror');
  return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '';
})()"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason + "; .ci/run installs it", pytrace=False)
    pytest.skip(reason)


class DevTools:
    """A minimal Chrome DevTools Protocol client on one page (flattened session)."""

    def __init__(self, socket: Any):
        self.socket = socket
        self.session: str | None = None
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._waiting: dict[int, asyncio.Future] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            future = self._waiting.pop(message.get("id"), None)
            if future is not None and not future.done():
                future.set_result(message)
            elif "method" in message:
                self.events.append(message)

    async def send(self, method: str, params: dict[str, Any] | None = None, *, page: bool = True) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if page and self.session:
            message["sessionId"] = self.session
        future = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        await self.socket.send(json.dumps(message))
        reply = await asyncio.wait_for(future, 10)
        assert "error" not in reply, (method, reply["error"])
        return reply["result"]

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    async def wait_for(self, expression: str, what: str, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; page errors: {self.page_errors()}")

    def page_errors(self) -> list[str]:
        errors = [e["params"]["exceptionDetails"].get("exception", {}).get("description")
                  or e["params"]["exceptionDetails"]["text"]
                  for e in self.events if e["method"] == "Runtime.exceptionThrown"]
        errors += [e["params"]["entry"]["text"] for e in self.events
                   if e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"]
        return errors

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._reader


@contextlib.asynccontextmanager
async def chromium_page(profile: Path) -> AsyncIterator[DevTools]:
    """Headless Chromium with a fresh profile; yields a DevTools client on a blank page."""
    from websockets.asyncio.client import connect

    profile.mkdir()
    log = open(profile.parent / "chromium.log", "wb")
    process = subprocess.Popen(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            assert process.poll() is None, (profile.parent / "chromium.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            await asyncio.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        async with connect(f"ws://127.0.0.1:{port}{path}", max_size=None) as socket:
            devtools = DevTools(socket)
            try:
                target = await devtools.send("Target.createTarget", {"url": "about:blank"})
                attached = await devtools.send(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
                )
                devtools.session = attached["sessionId"]
                for domain in ("Page", "Runtime", "Network", "Log"):
                    await devtools.send(f"{domain}.enable")
                yield devtools
            finally:
                await devtools.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        # Its whole process group (renderers, zygotes): nothing outlives the test.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()


async def _register(server_url: str) -> str:
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as client:
        body = (await client.post("/graphql", json={
            "query": "mutation($i: RegisterInput!) { register(input: $i) { token userErrors { message } } }",
            "variables": {"i": {"email": "ada@example.com", "password": "ada-pass-123"}},
        })).json()
    assert body["data"]["register"]["token"], body
    return body["data"]["register"]["token"]


async def test_graphiql_renders_and_runs_queries_in_a_real_browser(tmp_path):
    _chromium()  # skip or fail before starting anything
    screenshot = Path(os.environ.get("OMS_GRAPHIQL_SCREENSHOT") or tmp_path / "graphiql.png")
    async with fresh_database(tmp_path) as database_url:
        await migrate(database_url)
        async with live_server(database_url) as server, chromium_page(tmp_path / "chromium") as page:
            token = await _register(server.url)
            await page.send("Page.navigate", {"url": f"{server.url}/graphql?q={quote(QUERY)}"})

            # GraphiQL rendered, with the query of the link in its editor and the schema loaded.
            await page.wait_for(
                "!!document.querySelector('.graphiql-container .graphiql-execute-button')", "GraphiQL"
            )
            await page.wait_for(
                "(document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror.getValue() || '')"
                f".includes({json.dumps(QUERY)})", "the ?q= query in the editor",
            )
            await page.wait_for(
                "!!document.querySelector('.graphiql-sidebar button[aria-label*=\"Documentation\"]')",
                "the documentation explorer button",
            )

            await page.evaluate("document.querySelector('.graphiql-execute-button').click()")
            result = json.loads(await page.wait_for(RESPONSE_TEXT, "the query's result"))
            assert "physical" in {t["name"] for t in result["data"]["productTypes"]}, result

            # The Headers tab: a bearer token typed there authenticates the request.
            await page.evaluate("""(() => {
              const tab = [...document.querySelectorAll('.graphiql-editor-tools button')]
                .find((b) => b.textContent.trim() === 'Headers');
              tab.click();
            })()""")
            await page.wait_for(
                "!!document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')",
                "the headers editor",
            )
            headers = json.dumps({"Authorization": f"Bearer {token}"})
            await page.evaluate(f"""(() => {{
              document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')
                .CodeMirror.setValue({json.dumps(headers)});
              document.querySelector('.graphiql-query-editor .CodeMirror')
                .CodeMirror.setValue('{{ me {{ email }} }}');
            }})()""")
            await page.evaluate("document.querySelector('.graphiql-execute-button').click()")
            me = await page.wait_for(f"(() => {{ const t = {RESPONSE_TEXT}; return t.includes('ada@') && t; }})()",
                                     "the authenticated result")
            assert json.loads(me)["data"]["me"] == {"email": "ada@example.com"}

            shot = await page.send("Page.captureScreenshot", {"format": "png"})
            screenshot.write_bytes(base64.b64decode(shot["data"]))

            # Everything the page loaded came from this server: no CDN, nothing else.
            urls = page.requested_urls()
            assert any(url.endswith("/static/graphiql/graphiql.min.js") for url in urls), urls
            foreign = [url for url in urls if not url.startswith((server.url + "/", "data:"))]
            assert foreign == [], foreign
            assert page.page_errors() == [], page.page_errors()
