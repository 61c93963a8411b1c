"""Benchmark sign-in against a live server: /healthz latency idle and during a flood of
logins, and login throughput.

    .venv/bin/python bench/logins.py                  # SQLite, 16 clients, 10 s flood; ~30 s
    .venv/bin/python bench/logins.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Setup (not timed): a fresh database (a temporary SQLite file, or with ``--database-url`` a
new PostgreSQL database on that server, dropped at the end), migrated; ONE server process
(``uvicorn --factory oms.app:create_app``, tests/live_server.py) with its default settings
(``OMS_PASSWORD_HASH_THREADS`` 2, rate limits on); ``--clients`` customers registered
through GraphQL (``register``).

Timed: ``/healthz`` polled by one client (one request at a time, 20 ms apart) for
``--idle`` seconds; then, for ``--duration`` seconds, ``--clients`` clients each signing
in again and again with its own right password (``login``: one argon2 verification and
one new session row) while the same poller keeps polling. Right passwords, so no rate
limit interferes: a failed login counts, a successful one never does.

Printed: /healthz p50/p99/max idle and during the flood (nearest rank), and logins/s
(completed logins over the flood's duration). See docs/performance.md ("Sign-in").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server and bench.common when run as a script

from bench.common import gql, percentile  # noqa: E402
from tests.live_server import live_server, migrate  # noqa: E402

REGISTER = """mutation($input: RegisterInput!) { register(input: $input) { token userErrors { code message } } }"""
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"
PASSWORD = "bench-pass-123"


async def poll(http: httpx.AsyncClient, until: float) -> list[float]:
    """Durations (s) of one-at-a-time /healthz calls until ``until`` (monotonic)."""
    times = []
    while time.monotonic() < until:
        started = time.perf_counter()
        response = await http.get("/healthz")
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"/healthz answered {response.status_code}")
        await asyncio.sleep(0.02)
    return times


async def sign_in_repeatedly(http: httpx.AsyncClient, email: str, until: float) -> int:
    done = 0
    while time.monotonic() < until:
        payload = (await gql(http, LOGIN, {"e": email, "p": PASSWORD}))["login"]
        if not payload["token"]:
            raise RuntimeError(f"login of {email} failed: {payload['userErrors']}")
        done += 1
    return done


def line(name: str, times: list[float]) -> str:
    return (f"  /healthz {name:<14} n={len(times):<5} p50 {percentile(times, 50):7.1f} ms   "
            f"p99 {percentile(times, 99):7.1f} ms   max {max(times) * 1000:7.1f} ms")


async def bench(args: argparse.Namespace) -> int:
    from oms.testing import create_postgres_database, drop_postgres_database

    with tempfile.TemporaryDirectory(prefix="oms-bench-logins-") as folder:
        async with contextlib.AsyncExitStack() as stack:
            if args.database_url:
                url = await create_postgres_database(args.database_url)
                stack.push_async_callback(drop_postgres_database, args.database_url, url)
            else:
                url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
            await migrate(url)
            server = await stack.enter_async_context(live_server(url, log_dir=folder))
            http = await stack.enter_async_context(httpx.AsyncClient(base_url=server.url, timeout=120))
            emails = [f"bench-{n}@example.com" for n in range(args.clients)]
            for email in emails:
                payload = (await gql(http, REGISTER, {"input": {"email": email, "password": PASSWORD}}))["register"]
                if not payload["token"]:
                    raise RuntimeError(f"register failed: {payload['userErrors']}")

            idle = await poll(http, time.monotonic() + args.idle)
            until = time.monotonic() + args.duration
            started = time.perf_counter()
            during, *counts = await asyncio.gather(
                poll(http, until), *(sign_in_repeatedly(http, email, until) for email in emails)
            )
            elapsed = time.perf_counter() - started

    where = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Sign-in on one uvicorn process ({where}), {args.clients} clients signing in for {args.duration:.0f} s")
    print(line("idle", idle))
    print(line("during flood", during))
    print(f"  logins: {sum(counts)} in {elapsed:.1f} s = {sum(counts) / elapsed:.1f} logins/s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to create a database on (default: a temporary SQLite file)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients signing in (16)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of the login flood (10)")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idle /healthz polling (3)")
    return asyncio.run(bench(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
