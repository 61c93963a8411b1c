"""Database faults: during a partition or an outage requests fail fast with a typed,
retryable error, /healthz says 503 within 2 s, and service comes back without a restart.

On PostgreSQL a TCP proxy (written here, on loopback) sits between a real oms server and
the database; pausing it stops forwarding without closing anything, like a partition.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from oms.dbfaults import DatabaseFaults, is_unavailable
from oms.testing import test_database_url
from tests.live_server import fresh_database, live_server, migrate

PRODUCTS = {"query": "{ products(first: 1) { totalCount } }"}
COMMAND_TIMEOUT = 2.0


class PausableProxy:
    """Forwards loopback TCP connections to ``target``; :meth:`pause` holds every byte (and
    every new connection) until :meth:`resume`; :meth:`close` is an outage (all connections
    closed, nothing listening) until :meth:`start` again."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    def pause(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            await self.flowing.wait()
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except (OSError, asyncio.CancelledError):
            writer.transport.abort()
            return
        self.writers.add(up_writer)
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self.flowing.wait()
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()
            self.writers.discard(writer)


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


async def _timed(client: httpx.AsyncClient, method: str, path: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.request(method, path, **kwargs)
    return response, time.monotonic() - started


def _unavailable(body: dict) -> bool:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []] == ["SERVICE_UNAVAILABLE"]


async def _assert_fails_fast(client: httpx.AsyncClient) -> None:
    # Bound: the connect or command timeout (2 s here) plus the pool wait, with room for a busy CI.
    for _ in range(3):
        response, elapsed = await _timed(client, "POST", "/graphql", json=PRODUCTS)
        assert response.status_code == 200
        body = response.json()
        assert _unavailable(body), body
        assert "retry" in body["errors"][0]["message"]
        assert elapsed < 3 * COMMAND_TIMEOUT + 2, elapsed
    health, elapsed = await _timed(client, "GET", "/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "error" and health.json()["database"] == "unavailable"
    assert elapsed < 2.5, elapsed


async def _assert_recovers(client: httpx.AsyncClient, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while True:
        response = await client.post("/graphql", json=PRODUCTS)
        if response.json().get("data"):
            break
        assert time.monotonic() < deadline, response.json()
        await asyncio.sleep(0.5)
    assert response.json()["data"]["products"]["totalCount"] == 0
    assert (await client.get("/healthz")).status_code == 200


@pytest.mark.skipif(test_database_url() is None, reason="a network partition needs PostgreSQL")
async def test_a_partition_and_an_outage_give_typed_errors_fast_and_recover_without_restart(tmp_path):
    async with fresh_database() as url:
        await migrate(url)
        target = urlsplit(url)
        proxy = PausableProxy(target.hostname or "127.0.0.1", target.port or 5432)
        await proxy.start()
        env = {
            "OMS_DB_CONNECT_TIMEOUT_SECONDS": "1", "OMS_DB_COMMAND_TIMEOUT_SECONDS": str(COMMAND_TIMEOUT),
            "OMS_RUN_WORKER": "false",
        }
        try:
            async with live_server(_through(url, proxy.port), env=env, log_dir=tmp_path) as server:
                async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                    assert (await client.post("/graphql", json=PRODUCTS)).json()["data"]
                    # A partition: nothing flows for 10 s, nothing is closed.
                    proxy.pause()
                    paused_at = time.monotonic()
                    await _assert_fails_fast(client)
                    await asyncio.sleep(max(0.0, 10 - (time.monotonic() - paused_at)))
                    await _assert_fails_fast(client)
                    proxy.resume()
                    await _assert_recovers(client)
                    # An outage: every connection dropped, the port refuses.
                    await proxy.close()
                    await _assert_fails_fast(client)
                    await proxy.start()
                    await _assert_recovers(client)
                assert "Traceback" not in server.log(), server.log()[-3000:]
        finally:
            proxy.resume()
            await proxy.close()


async def test_other_routes_answer_503_with_json_when_the_database_is_unavailable():
    import asyncpg

    async def needs_database(request):
        raise asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation")

    async def plain_bug(request):
        raise KeyError("a bug stays a 500")

    app = Starlette(
        routes=[Route("/db", needs_database), Route("/bug", plain_bug)], middleware=[Middleware(DatabaseFaults)]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://test") as client:
        response = await client.get("/db")
        assert response.status_code == 503
        assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert (await client.get("/bug")).status_code == 500


def test_unavailable_is_recognised_through_wrappers():
    import asyncpg
    from tortoise.exceptions import OperationalError

    try:
        try:
            raise asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
        except Exception as exc:
            raise OperationalError(exc) from exc
    except OperationalError as wrapped:
        assert is_unavailable(wrapped)
    assert is_unavailable(TimeoutError())
    assert is_unavailable(ConnectionRefusedError(111, "refused"))
    assert not is_unavailable(FileNotFoundError(2, "No such file"))
    assert not is_unavailable(OperationalError("syntax error at or near"))
    assert not is_unavailable(None)
