"""Benchmark the staff orders list: one page of 100 orders with lines, at concurrency 1.

    .venv/bin/python bench/orders_list.py                     # 2,000 orders, 200 requests
    .venv/bin/python bench/orders_list.py --requests 500 --profile 50

Creates a scratch PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it, seeds
``--orders`` orders with ``oms.bulkseed`` (what ``oms seed --orders`` does), and serves the
app in-process (create_app + httpx.ASGITransport, no network). A staff member then asks,
one request at a time, ``--requests`` times after ``--warmup`` requests::

    orders(first: 100) { edges { node { id number status email total { amount currency }
      lines { sku quantity unitPrice { amount } } } } }

or, with ``--query peer``, the query bench/peer.py sends (bench/peer_oms.py's STAFF_LIST;
``--first`` must then be 100, the size written in it)::

    orders(first: 100) { edges { node { id number status createdAt currency email
      total { amount currency } lines { id sku name quantity unitPrice { amount } total { amount } } } } }

It prints p50 and p99 of the wall time per request and the CPU time of this process per
request (``time.process_time()`` around each request: the server's work, the in-process
HTTP client's small share, and asyncpg's decoding; PostgreSQL's own CPU is not in it).
``--profile K`` runs K more requests under cProfile and prints the top functions by own
time and by cumulative time. The database is dropped at the end unless ``--keep``.
See docs/performance.md, "Orders list CPU (issue 15)".
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import resource
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.* when run as a script

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.common import gql, percentile  # noqa: E402
from bench.peer_oms import STAFF_LIST  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
ORDERS_PAGE = """query StaffOrders($first: Int!) { orders(first: $first) { edges { node {
  id number status email total { amount currency } lines { sku quantity unitPrice { amount } } } } } }"""
# bench/peer_oms.py's STAFF_LIST, the very text bench/peer.py measures against Vendure (page
# size 100 written in it): ids, createdAt, currency, and the lines' ids, names and totals too.
QUERIES = {"bench": ORDERS_PAGE, "peer": STAFF_LIST}


def with_db(url: str, name: str) -> str:
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


async def scratch_database(base: str, name: str) -> str:
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_db(base, name)


async def drop_database(base: str, name: str) -> None:
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class ServerClock:
    """The ASGI app, timed: CPU seconds of this process spent inside each call of the app
    (the server's share of a request; the in-process client's request building, gunzip and
    JSON decoding happen outside it). ``calls`` lists them."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.calls: list[float] = []

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        cpu0 = time.process_time()
        try:
            await self.app(scope, receive, send)  # type: ignore[operator]
        finally:
            if scope["type"] == "http":
                self.calls.append(time.process_time() - cpu0)


class Usage:
    """What the kernel and the collector say about a stretch of requests: user and system CPU,
    voluntary and involuntary context switches, and the collector's passes and their time."""

    def __init__(self) -> None:
        self.gc_seconds = 0.0
        self.gc_passes = [0, 0, 0]
        self._gc_start = 0.0

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.process_time()
        else:
            self.gc_seconds += time.process_time() - self._gc_start
            self.gc_passes[info["generation"]] += 1

    def __enter__(self) -> Usage:
        self.before = resource.getrusage(resource.RUSAGE_SELF)
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_gc)
        self.after = resource.getrusage(resource.RUSAGE_SELF)

    def report(self, requests: int) -> str:
        per = 1000 / requests
        b, a = self.before, self.after
        user, system = (a.ru_utime - b.ru_utime) * per, (a.ru_stime - b.ru_stime) * per
        return (
            f"  per request: user {user:.1f} ms, system {system:.1f} ms, "
            f"context switches {(a.ru_nvcsw - b.ru_nvcsw) / requests:.1f} voluntary "
            f"{(a.ru_nivcsw - b.ru_nivcsw) / requests:.2f} involuntary; collector {self.gc_seconds * per:.2f} ms "
            f"(passes by generation {self.gc_passes})"
        )


async def measure(
    http: httpx.AsyncClient, token: str, requests: int, first: int, query: str
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``requests`` page requests, one at a time."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(requests):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        data = await gql(http, query, {"first": first} if "$first" in query else None, token)
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
        if len(data["orders"]["edges"]) != first:
            raise RuntimeError(f"expected {first} orders, got {len(data['orders']['edges'])}")
    return walls, cpus


async def profile(
    http: httpx.AsyncClient, token: str, count: int, first: int, query: str, dump: str | None
) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        await gql(http, query, {"first": first} if "$first" in query else None, token)
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    print(f"\nPython function calls per request (load-independent): {calls / count:,.0f}")
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(35)
        print(f"\n--- cProfile, {count} requests, by {key} ---")
        print(out.getvalue()[out.getvalue().find("ncalls") - 1 :].rstrip())


async def cyclic_garbage(http: httpx.AsyncClient, token: str, count: int, first: int, query: str) -> None:
    """What ``count`` requests leave for the collector (objects only a cycle keeps), by type:
    the young collections' work that reference counting could have done."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(count):
            await gql(http, query, {"first": first} if "$first" in query else None, token)
        gc.collect()
        kinds = Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    print(f"\ncyclic garbage per request ({count} requests): {sum(kinds.values()) / count:,.0f} objects")
    for kind, n in kinds.most_common(15):
        print(f"  {n / count:8.1f}  {kind}")


async def bench(args: argparse.Namespace) -> None:
    from oms.accounts import services as accounts
    from oms.accounts.permissions import Viewer
    from oms.app import create_app
    from oms.bulkseed import seed_orders
    from oms.config import Settings
    from oms.migrate import apply_all_migrations
    from oms.serving import tune_gc

    url = await scratch_database(args.database_url, args.db_name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                database_url=url,
                secret_key=secrets.token_urlsafe(48),
                media_root=str(Path(tmp) / "media"),
                mail_dir=str(Path(tmp) / "maildir"),
                seed_demo=False,
                run_worker=False,
                rate_limits=False,
                public_url="http://bench.test",
                log_level="warning",
            )
            await apply_all_migrations(settings)
            app = create_app(settings)
            async with app.router.lifespan_context(app):
                await seed_orders(args.orders, plugins=app.state.plugins, settings=settings, seed=1)
                staff = await accounts.create_staff(
                    email=f"bench-{secrets.token_hex(4)}@example.com",
                    password=secrets.token_urlsafe(16),
                    superuser=True,
                )
                token = await accounts.issue_token(Viewer(staff=staff), secret=settings.secret_key, ttl_seconds=3600)
                if not args.default_gc:
                    tune_gc()  # as `oms serve` does once the app is built
                server = ServerClock(app)
                transport = httpx.ASGITransport(app=server)  # type: ignore[arg-type]
                async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=60) as http:
                    query = QUERIES[args.query]
                    await measure(http, token, args.warmup, args.first, query)
                    server.calls.clear()
                    with Usage() as usage:
                        walls, cpus = await measure(http, token, args.requests, args.first, query)
                    load = os.getloadavg()
                    print(
                        f"orders list ({args.query} query): {args.orders} orders seeded, first: {args.first}, "
                        f"{args.requests} requests at concurrency 1 (after {args.warmup} warm-up); "
                        f"collector {'default' if args.default_gc else 'tuned (oms.serving.tune_gc)'}"
                    )
                    print(f"  wall p50 {percentile(walls, 50):.1f} ms  p99 {percentile(walls, 99):.1f} ms")
                    print(
                        f"  CPU  p50 {percentile(cpus, 50):.1f} ms  p99 {percentile(cpus, 99):.1f} ms  "
                        f"mean {sum(cpus) / len(cpus) * 1000:.1f} ms per request"
                    )
                    print(
                        f"  server CPU (inside the app) p50 {percentile(server.calls, 50):.1f} ms  "
                        f"p99 {percentile(server.calls, 99):.1f} ms  "
                        f"mean {sum(server.calls) / len(server.calls) * 1000:.1f} ms"
                    )
                    print(usage.report(args.requests))
                    blocks = [percentile(cpus[i : i + 50], 50) for i in range(0, len(cpus), 50)]
                    print("  CPU p50 per 50 requests: " + " ".join(f"{b:.1f}" for b in blocks))
                    print(f"  load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
                    if args.garbage:
                        await cyclic_garbage(http, token, args.garbage, args.first, query)
                    if args.profile:
                        await profile(http, token, args.profile, args.first, query, args.profile_dump)
    finally:
        if not args.keep:
            await drop_database(args.database_url, args.db_name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--db-name", default="oms_bench_orders_list")
    parser.add_argument("--orders", type=int, default=2000, help="orders to seed")
    parser.add_argument("--first", type=int, default=100, help="page size")
    parser.add_argument("--query", choices=sorted(QUERIES), default="bench",
                        help="bench: the query above; peer: bench/peer_oms.py's (ids, names, line totals too)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, help="requests to run under cProfile afterwards")
    parser.add_argument("--profile-dump", help="write the cProfile stats to this file (pstats format)")
    parser.add_argument("--garbage", type=int, default=0,
                        help="requests after which to list the cyclic garbage they left, by type")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep Python's collector as it is (default: tuned as oms serve does, oms.serving.tune_gc)")
    asyncio.run(bench(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
