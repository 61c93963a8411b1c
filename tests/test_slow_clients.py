"""Slow clients cannot hold connections: request headers and each body chunk have a
deadline (raw sockets against a real server), and SIGTERM waits a bounded time."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.live_server import _stop, fresh_database, free_port, live_server, migrate, server_env

HEADER_TIMEOUT = 2.0
BODY_TIMEOUT = 2.0
SLOW_ENV = {
    "OMS_REQUEST_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
    "OMS_REQUEST_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
    "OMS_RUN_WORKER": "false",
}
BODY = b'{"query": "{ productTypes { name } }"}'


@pytest.fixture
async def server(tmp_path):
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, env=SLOW_ENV, log_dir=tmp_path) as running:
            yield running


async def _open(server) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = server.url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def _closed_after(reader: asyncio.StreamReader, started: float, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    data = await asyncio.wait_for(reader.read(), limit)
    return data, time.monotonic() - started


async def _healthz_fast(server) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as client:
        started = time.monotonic()
        assert (await client.get("/healthz")).status_code == 200
        assert time.monotonic() - started < 1.0


async def test_headers_sent_one_line_at_a_time_are_cut_off(server):
    reader, writer = await _open(server)
    started = time.monotonic()
    writer.write(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")

    async def trickle() -> None:
        # A header line every 0.5 s for 15 s: without a deadline, the request never ends.
        for i in range(30):
            await asyncio.sleep(0.5)
            if writer.is_closing():
                return
            try:
                writer.write(b"X-Slow-%d: y\r\n" % i)
                await writer.drain()
            except (ConnectionError, OSError):
                return

    trickling = asyncio.create_task(trickle())
    await _healthz_fast(server)  # other clients are served meanwhile
    data, elapsed = await _closed_after(reader, started, 12)
    trickling.cancel()
    writer.close()
    assert data.startswith(b"HTTP/1.1 408"), data
    assert HEADER_TIMEOUT - 0.5 <= elapsed < HEADER_TIMEOUT + 3, elapsed


async def test_a_connection_that_sends_nothing_is_closed(server):
    reader, writer = await _open(server)
    data, elapsed = await _closed_after(reader, time.monotonic(), 12)
    writer.close()
    assert data.startswith(b"HTTP/1.1 408") and elapsed < HEADER_TIMEOUT + 3


async def test_a_kept_alive_connection_gets_the_deadline_for_each_request(server):
    reader, writer = await _open(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    first = await asyncio.wait_for(reader.readuntil(b'{"status":"ok"}'), 5)
    assert first.startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    writer.write(b"GET /healthz HTTP/1.1\r\n")  # and then nothing
    data, elapsed = await _closed_after(reader, started, 12)
    writer.close()
    assert b"408" in data and elapsed < HEADER_TIMEOUT + 3


async def test_a_trickled_body_gets_408(server):
    reader, writer = await _open(server)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY[:10]
    )
    started = time.monotonic()
    data, elapsed = await _closed_after(reader, started, 12)
    writer.close()
    assert data.startswith(b"HTTP/1.1 408"), data
    assert b"took too long" in data and elapsed < BODY_TIMEOUT + 3


async def test_a_body_sent_in_timely_chunks_is_served(server):
    reader, writer = await _open(server)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(BODY)
    )
    for start in range(0, len(BODY), 10):  # a chunk every second: each within the deadline
        writer.write(BODY[start:start + 10])
        await writer.drain()
        await asyncio.sleep(1.0)
    data = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert data.startswith(b"HTTP/1.1 200") and b"productTypes" in data


async def test_sigterm_during_a_long_request_stops_within_the_graceful_period(oms_database_url, tmp_path):
    port = free_port()
    env = server_env(oms_database_url, {
        "OMS_SHUTDOWN_TIMEOUT_SECONDS": "2", "OMS_REQUEST_BODY_TIMEOUT_SECONDS": "120",
    })
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oms.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as client:
            while True:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        break
                assert time.monotonic() < deadline
                await asyncio.sleep(0.2)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        # A request whose body never finishes: it runs until the body timeout (120 s).
        writer.write(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{")
        await writer.drain()
        await asyncio.sleep(0.5)
        started = time.monotonic()
        os.killpg(process.pid, signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 30)
        elapsed = time.monotonic() - started
        writer.close()
        assert elapsed < 2 + 5, elapsed  # the graceful period (2 s) and a margin, not 120 s
        # uvicorn re-raises the signal once shut down: "terminated by SIGTERM" is the clean end.
        assert code in (0, -signal.SIGTERM), code
        log = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in log, log
    finally:
        await asyncio.to_thread(_stop, process)
