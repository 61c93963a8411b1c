"""`oms serve` on a fresh database, as a newcomer runs it: migrations, demo data, GraphiQL."""

import asyncio
import datetime as dt
import re
import subprocess
import sys
import time

import httpx

from tests.live_server import _stop, free_port, server_env

PRODUCTS = "{ products(first: 20) { totalCount edges { node { productType variants { sku } } } } }"


async def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=url, timeout=2) as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, "oms serve exited early"
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("oms serve did not become healthy")


async def _download_url(client: httpx.AsyncClient, token: str, timeout: float = 30) -> str:
    """The order's first download URL, once the in-process worker has delivered it."""
    query = ("query($t: String) { order(token: $t) { fulfillments { details { "
             "... on DigitalDelivery { downloads { url } } } } } }")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        order = (await client.post("/graphql", json={"query": query, "variables": {"t": token}})).json()
        fulfillments = order["data"]["order"]["fulfillments"]
        if fulfillments:
            return fulfillments[0]["details"]["downloads"][0]["url"]
        await asyncio.sleep(0.2)
    raise AssertionError("the e-book was not delivered")


async def test_serve_seeds_an_empty_database_and_serves_graphiql(oms_database_url, tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oms.cli", "serve", "--port", str(port)],
            env=server_env(oms_database_url, {"OMS_SEED_DEMO": "true"}),
            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_for_health(url, process)
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            page = await client.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "graphiql" in page.text.lower()

            body = (await client.post("/graphql", json={"query": PRODUCTS})).json()
            products = [edge["node"] for edge in body["data"]["products"]["edges"]]
            assert body["data"]["products"]["totalCount"] == 4
            assert sorted(p["productType"] for p in products) == [
                "consultation", "digital", "physical", "subscription"
            ]

            output = log_path.read_text()
            password = re.search(r"password: (\S+)", output).group(1)
            login = (await client.post("/graphql", json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
                         "{ token me { isStaff } userErrors { code } } }",
                "variables": {"e": "admin@example.com", "p": password},
            })).json()["data"]["login"]
            assert login["userErrors"] == [] and login["me"]["isStaff"] is True

            # The demo consultant has free slots in the coming two weeks.
            now = dt.datetime.now(dt.UTC)
            slots = (await client.post("/graphql", json={
                "query": "query($f: DateTime!, $t: DateTime!) { availableSlots(sku: \"CONSULT-60\", "
                         "from: $f, to: $t) { start consultant } }",
                "variables": {"f": now.isoformat(), "t": (now + dt.timedelta(days=14)).isoformat()},
            })).json()["data"]["availableSlots"]
            assert len(slots) >= 10 and {s["consultant"] for s in slots} == {"Grete Hansen"}

            # A newcomer buys the demo e-book, staff mark it paid, the worker delivers it,
            # and the download link serves the demo PDF.
            placed = (await client.post("/graphql", json={
                "query": "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) "
                         "{ order { id } orderToken userErrors { code } } }",
                "variables": {"i": {"lines": [{"sku": "EBOOK-GUIDE", "quantity": 1}],
                                    "email": "newcomer@example.com", "idempotencyKey": "demo-1"}},
            })).json()["data"]["placeOrder"]
            assert placed["userErrors"] == []
            paid = (await client.post("/graphql", headers={"Authorization": f"Bearer {login['token']}"}, json={
                "query": "mutation($id: ID!) { markOrderPaid(id: $id) { userErrors { code } } }",
                "variables": {"id": placed["order"]["id"]},
            })).json()["data"]["markOrderPaid"]
            assert paid["userErrors"] == []
            download = await _download_url(client, placed["orderToken"])
            # Without OMS_PUBLIC_URL, links follow the address served (not port 8000).
            assert download.startswith(f"{url}/downloads/"), download
            pdf = await client.get(download.removeprefix(url))
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            assert pdf.headers["content-type"] == "application/pdf"
    finally:
        await asyncio.to_thread(_stop, process)


def test_serve_tunes_the_collector_just_before_uvicorn_runs(tmp_path, monkeypatch):
    """``oms serve`` freezes what start-up made and raises the collector's thresholds
    (oms.serving.tune_gc), after the app is built and before uvicorn serves."""
    import gc

    import uvicorn

    from oms import cli
    from oms.serving import GC_THRESHOLDS

    seen: dict[str, object] = {}

    def run(server, sockets=None):
        seen["thresholds"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    monkeypatch.setattr("oms.logs.configure_logging", lambda *args: None)  # the session's logging stays
    monkeypatch.setenv("OMS_DATABASE_URL", f"sqlite://{tmp_path}/oms.sqlite3")
    monkeypatch.setenv("OMS_SEED_DEMO", "false")
    monkeypatch.setenv("OMS_SECRET_KEY", "test-secret-" + "x" * 32)
    monkeypatch.setenv("OMS_MEDIA_ROOT", str(tmp_path / "media"))
    before = gc.get_threshold()
    try:
        assert cli.main(["serve", "--host", "127.0.0.1", "--port", str(free_port())]) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
    assert seen["thresholds"] == GC_THRESHOLDS != before
    assert seen["frozen"] > 10_000  # the modules, the schema, the plugins
