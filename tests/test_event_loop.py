"""Nothing CPU-heavy on the event loop: a flood of logins (argon2, 0.4-0.9 s of CPU each)
must not stall the other requests of the process.

Before the hashing moved to a bounded thread pool (oms.accounts.passwords), 16
concurrent wrong-password logins pushed /healthz to 14 s on one uvicorn process.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

import httpx
import pytest

from bench.common import percentile
from tests.live_server import fresh_database, live_server, migrate

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"
CLIENTS = 16


async def _poll_healthz(
    http: httpx.AsyncClient, stop: asyncio.Event, samples: list[tuple[float, float]]
) -> None:
    """(start, duration) of each /healthz call until ``stop``."""
    while not stop.is_set():
        started = time.perf_counter()
        response = await http.get("/healthz")
        samples.append((started, time.perf_counter() - started))
        assert response.status_code == 200
        await asyncio.sleep(0.02)


async def _login(http: httpx.AsyncClient, n: int) -> list[str]:
    # Different unknown emails: each costs one argon2 verification (the dummy hash), and
    # no per-account rate limit cuts the flood short.
    response = await http.post(
        "/graphql", json={"query": LOGIN, "variables": {"e": f"nobody-{n}@example.com", "p": "wrong-pass-1"}}
    )
    return [e["code"] for e in response.json()["data"]["login"]["userErrors"]]


async def test_a_login_flood_leaves_healthz_fast(tmp_path):
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        async with live_server(url, log_dir=tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                # A first burst opens the database pool's connections and fills the parser
                # cache: a cold start (seen once in CI: one /healthz of 754 ms on PostgreSQL
                # while 16 connections opened) is not what this test is about.
                await asyncio.gather(*(_login(http, CLIENTS + n) for n in range(CLIENTS)))
                samples: list[tuple[float, float]] = []
                stop = asyncio.Event()
                poller = asyncio.create_task(_poll_healthz(http, stop, samples))
                await asyncio.sleep(0.3)  # a few idle samples first
                started = time.perf_counter()
                codes = await asyncio.gather(*(_login(http, n) for n in range(CLIENTS)))
                flood_seconds = time.perf_counter() - started
                stop.set()
                await poller
    times = [duration for start, duration in samples if start >= started]

    # Every login really ran (and was refused), so the flood really cost its CPU.
    assert codes == [["UNAUTHENTICATED"]] * CLIENTS
    assert flood_seconds > 0.5, flood_seconds
    # Generous: "no stall", not a speed figure (bench/logins.py measures).
    assert percentile(times, 99) < 500, f"/healthz p99 {percentile(times, 99):.0f} ms during the flood"
    assert max(times) < 1.0, f"/healthz max {max(times) * 1000:.0f} ms during the flood"
    assert len(times) >= 5, times  # it was polled all along


async def test_an_uploaded_file_is_written_off_the_event_loop(oms_app, monkeypatch):
    """A file for sale (up to 200 MB) is written in 1 MiB chunks; each write may wait on
    the disk, so none may run on the event loop's thread."""
    import tempfile

    from oms.testing import make_product
    from oms_digital import files

    await make_product(oms_app, product_type="digital", sku="BIG", price="5.00",
                       attributes={"file_name": "big.bin", "file": "downloads/big.bin"})
    writers: list[int] = []

    class Recording:
        def __init__(self, inner):
            self.inner = inner
            self.name = inner.name

        def write(self, data):
            writers.append(threading.get_ident())
            return self.inner.write(data)

        def __enter__(self):
            self.inner.__enter__()
            return self

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    real = tempfile.NamedTemporaryFile
    monkeypatch.setattr(files.tempfile, "NamedTemporaryFile", lambda **kw: Recording(real(**kw)))

    async def chunks():
        for _ in range(3):
            yield b"x" * files.CHUNK_BYTES

    variant = await files.store_file(
        "BIG", chunks(), file_name="big.bin", content_type=None, media_root=oms_app.state.settings.media_root
    )

    assert len(writers) == 3
    assert threading.get_ident() not in writers
    stored = files.media_path(oms_app.state.settings.media_root, variant.attributes["file"])
    assert stored.stat().st_size == 3 * files.CHUNK_BYTES


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
async def test_password_hashing_runs_in_lower_priority_threads():
    """The hashing threads yield the CPU to the event loop's thread on a busy machine."""
    from oms.accounts import passwords

    def where() -> tuple[int, int]:
        thread = threading.get_native_id()
        return thread, os.getpriority(os.PRIO_PROCESS, thread)

    loop_thread, loop_nice = where()
    hashing_thread, hashing_nice = await passwords._off_loop(where)

    assert hashing_thread != loop_thread
    assert hashing_nice > loop_nice or hashing_nice == 19
    assert await passwords.verify_password(await passwords.hash_password("a-password"), "a-password")
