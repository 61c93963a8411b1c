"""Benchmark paid orders/s on a fresh database against one with a long order history.

    .venv/bin/python bench/history.py                        # fresh vs 100,000 past orders, ~4 min
    .venv/bin/python bench/history.py --baseline             # also the schema without the indexes
    .venv/bin/python bench/history.py --past 20000 --clients 4 --duration 10

For each scenario it creates a PostgreSQL database on the server of ``--database-url``
(default env OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres),
migrates it, creates a physical and a digital product, bulk-loads the past orders in SQL
(tests/history.py: lines, events, payments, deliveries, fulfillments, finished jobs) and
ANALYZEs, then serves it with ``uvicorn --factory oms.app:create_app --workers W`` with
the in-process job worker on. Scenarios:

- ``fresh``: no past orders;
- ``history``: ``--past`` past orders (default 100,000);
- ``history, old schema`` (with ``--baseline``): the same history on a database built by
  the initial migration only, i.e. without the indexes of migration 1.

``--clients`` tasks each loop for ``--warmup`` + ``--duration`` seconds: ``placeOrder`` as
a guest (one physical and one digital line), then staff ``markOrderPaid``. The worker
delivers meanwhile; after the window the bench waits for the job queue to drain. Printed
per scenario, side by side: paid orders/s in the window, p50/p99 of place + pay, paid and
delivered orders/s (window + drain), CPU ms per paid order of the server processes (app)
and of PostgreSQL's backends (db, from /proc: only when PostgreSQL runs on this machine),
and rows read by sequential scans of the history tables per paid order
(pg_stat_user_tables). The target: history within 20 % of fresh.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.* when run as a script

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.common import CREATE_PRODUCT, LOGIN, MARK_PAID, gql, ok, percentile  # noqa: E402
from bench.cpu import cpu_snapshot, cpu_used  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.history import HISTORY_TABLES, PastVariant, load_history  # noqa: E402
from tests.live_server import (  # noqa: E402
    STAFF_EMAIL,
    STAFF_PASSWORD,
    create_staff,
    live_server,
    migrate,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
           "postalCode": "N1 9GU", "country": "GB"}
SET_STOCK = """mutation($input: SetStockInput!) { setStock(input: $input) { userErrors { code message } } }"""
PLACE_ORDER = """mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } userErrors { field code message } } }"""
PRODUCTS = (
    {"name": "History mug", "productType": "physical",
     "variants": [{"sku": "HIST-MUG", "price": "12.50", "attributes": {"weight_grams": 250}}]},
    {"name": "History ebook", "productType": "digital",
     "variants": [{"sku": "HIST-EBOOK", "price": "9.00",
                   "attributes": {"file": "books/history.pdf", "file_name": "history.pdf"}}]},
)
PENDING_JOBS = "SELECT count(*) FROM job WHERE status IN ('QUEUED', 'RUNNING')"
SEQ_READ = "SELECT COALESCE(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname = ANY($1::text[])"


def dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@contextlib.contextmanager
def initial_migration_only():
    """Migrate with the initial migration alone: the schema before the indexes."""
    from oms.migrate import layout, migration_files

    original = layout.MIGRATIONS_ROOT
    with tempfile.TemporaryDirectory(prefix="oms-bench-migrations-") as root:
        for dialect in layout.DIALECTS:
            folder = Path(root, dialect, "models")
            folder.mkdir(parents=True)
            shutil.copy(migration_files(dialect)[0], folder)
        layout.MIGRATIONS_ROOT = Path(root)
        try:
            yield
        finally:
            layout.MIGRATIONS_ROOT = original


@contextlib.asynccontextmanager
async def prepared_database(base: str, old_schema: bool) -> AsyncIterator[str]:
    url = await create_postgres_database(base)
    try:
        if old_schema:
            with initial_migration_only():
                await migrate(url)
        else:
            await migrate(url)
        await asyncio.to_thread(create_staff, url)
        yield url
    finally:
        await drop_postgres_database(base, url)


async def setup(server_url: str, database_url: str, past: int) -> str:
    """The products (and the history referencing them); the staff token."""
    async with httpx.AsyncClient(base_url=server_url, timeout=60) as http:
        token = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
        for product in PRODUCTS:
            ok((await gql(http, CREATE_PRODUCT, {"input": product}, token))["createProduct"], "createProduct")
        ok((await gql(http, SET_STOCK, {"input": {"sku": "HIST-MUG", "quantity": 100_000_000}}, token))
           ["setStock"], "setStock")
    if past:
        conn = await asyncpg.connect(dsn(database_url))
        try:
            rows = await conn.fetch(
                "SELECT v.id, v.sku, p.product_type, v.price, s.warehouse_id FROM variant v"
                " JOIN product p ON p.id = v.product_id LEFT JOIN stock s ON s.variant_id = v.id ORDER BY v.id")
            began = time.monotonic()
            await load_history(conn, past, variants=[
                PastVariant(r["id"], r["sku"], r["product_type"], r["price"], r["warehouse_id"]) for r in rows])
            print(f"  loaded {past:,} past orders in {time.monotonic() - began:.1f} s (with ANALYZE)", flush=True)
        finally:
            await conn.close()
    return token


async def measure(name: str, server, token: str, args: argparse.Namespace) -> dict:
    database = server.database_url.rsplit("/", 1)[1].split("?")[0]
    conn = await asyncpg.connect(dsn(server.database_url))
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()
    measure_from = start + args.warmup
    stop_at = measure_from + args.duration
    before: dict = {}
    seq_before = 0

    async def snapshot() -> None:
        nonlocal seq_before
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        before.update(cpu_snapshot(server.process.pid, database))
        seq_before = await conn.fetchval(SEQ_READ, list(HISTORY_TABLES))

    async def client(http: httpx.AsyncClient, i: int) -> None:
        seq = 0
        while (now := time.monotonic()) < stop_at:
            seq += 1
            began = time.perf_counter()
            try:
                placed = (await gql(http, PLACE_ORDER, {"input": {
                    "lines": [{"sku": "HIST-MUG", "quantity": 1}, {"sku": "HIST-EBOOK", "quantity": 1}],
                    "email": f"bench{i}@example.com", "shippingAddress": ADDRESS, "shippingMethod": "standard",
                    "idempotencyKey": f"{name}-{i}-{seq}-{uuid.uuid4().hex}",
                }}))["placeOrder"]
                order = ok(placed, "placeOrder")["order"]
                ok((await gql(http, MARK_PAID, {"id": order["id"]}, token))["markOrderPaid"], "markOrderPaid")
            except Exception as exc:  # counted and shown, never hidden
                errors.append(repr(exc))
                continue
            if now >= measure_from:
                latencies.append(time.perf_counter() - began)

    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    try:
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=120) as http:
            await asyncio.gather(snapshot(), *(client(http, i) for i in range(args.clients)))
        window = time.monotonic() - measure_from
        after = cpu_snapshot(server.process.pid, database)
        seq_after = await conn.fetchval(SEQ_READ, list(HISTORY_TABLES))
        drain_began = time.monotonic()
        while await conn.fetchval(PENDING_JOBS) and time.monotonic() - drain_began < args.drain_timeout:
            await asyncio.sleep(0.2)
        drain = time.monotonic() - drain_began
        left = await conn.fetchval(PENDING_JOBS)
        undelivered = await conn.fetchval(
            "SELECT count(*) FROM delivery WHERE status <> 'DONE' AND created_at > now() - interval '1 hour'")
    finally:
        await conn.close()
    paid = len(latencies)
    cpu = cpu_used(before, after)
    return {
        "name": name, "paid": paid, "window": window, "rate": paid / window if window else 0.0,
        "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
        "end_to_end": paid / (window + drain) if window + drain else 0.0, "drain": drain,
        "jobs_left": left, "undelivered": undelivered,
        "app_ms": cpu.get("app", 0.0) / paid * 1000 if paid else float("nan"),
        "db_ms": cpu.get("db", 0.0) / paid * 1000 if paid else float("nan"),
        "seq_rows": (seq_after - seq_before) / paid if paid else float("nan"),
        "errors": errors,
    }


async def run_scenario(name: str, url: str, past: int, tokens: dict[str, str], rnd: int,
                       args: argparse.Namespace) -> dict:
    """One measured window on the database ``url`` (set up on its first round)."""
    async with live_server(url, workers=args.workers, env={"OMS_RUN_WORKER": "true"}) as server:
        if name not in tokens:
            tokens[name] = await setup(server.url, url, past)
        result = await measure(name, server, tokens[name], args)
    result["round"] = rnd
    print(f"  round {rnd}, {name}: {result['rate']:.1f} paid orders/s (p50 {result['p50']:.0f} ms,"
          f" p99 {result['p99']:.0f} ms), {result['paid']} in {result['window']:.1f} s; queue drained in"
          f" {result['drain']:.1f} s; errors {len(result['errors'])}"
          + (f": {result['errors'][0][:200]}" if result["errors"] else ""), flush=True)
    return result


def _mean(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows)


def print_table(results: list[dict], names: list[str]) -> None:
    print(f"\nPaid orders/s ({results[0]['window']:.0f} s windows; placeOrder + markOrderPaid, the"
          " in-process worker delivering)")
    print(f"{'round':>5} {'scenario':<20} {'paid/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'drain s':>7}"
          f" {'paid+delivered/s':>16} {'app ms':>7} {'db ms':>7} {'seq rows':>9}")
    for r in results:
        print(f"{r['round']:>5} {r['name']:<20} {r['rate']:7.1f} {r['p50']:7.0f} {r['p99']:7.0f} {r['drain']:7.1f}"
              f" {r['end_to_end']:16.1f} {r['app_ms']:7.1f} {r['db_ms']:7.1f} {r['seq_rows']:9.0f}")
        if r["jobs_left"] or r["undelivered"]:
            print(f"      ({r['jobs_left']} jobs still pending, {r['undelivered']} deliveries not done)")
    print("\nMeans over the rounds, and against fresh:")
    print(f"{'scenario':<20} {'paid/s':>7} {'vs fresh':>8} {'paid+delivered/s':>16} {'vs fresh':>8}"
          f" {'db ms':>7} {'seq rows':>9}")
    by_name = {n: [r for r in results if r["name"] == n] for n in names}
    fresh_rate, fresh_e2e = _mean(by_name["fresh"], "rate"), _mean(by_name["fresh"], "end_to_end")
    for n, rows in by_name.items():
        rate, e2e = _mean(rows, "rate"), _mean(rows, "end_to_end")
        print(f"{n:<20} {rate:7.1f} {rate / fresh_rate:8.2f} {e2e:16.1f} {e2e / fresh_e2e:8.2f}"
              f" {_mean(rows, 'db_ms'):7.1f} {_mean(rows, 'seq_rows'):9.0f}")
    if "history" in by_name and fresh_rate and fresh_e2e:
        history = by_name["history"]
        for label, key, base in (("paid/s", "rate", fresh_rate), ("paid+delivered/s", "end_to_end", fresh_e2e)):
            ratio = _mean(history, key) / base
            print(f"history / fresh, {label}: {ratio:.2f} (target: within 20 %: "
                  + ("met)" if ratio >= 0.8 else "MISSED)"))
    print("paid+delivered/s: paid orders / (window + time for the job queue to drain afterwards);"
          " app/db ms: CPU per paid order of the server processes / the PostgreSQL backends;"
          " seq rows: rows of the history tables read by sequential scans per paid order.")


async def bench(args: argparse.Namespace) -> None:
    print(f"uvicorn --workers {args.workers} with the job worker; {args.clients} clients;"
          f" {args.warmup:g} + {args.duration:g} s per window; {args.rounds} round(s); {os.cpu_count()} CPUs")
    plan = [("fresh", 0, False), ("history", args.past, False)]
    if args.baseline:
        plan.append(("history, old schema", args.past, True))
    for name, past, old_schema in plan:
        print(f"{name}: {past:,} past orders, {'initial migration only' if old_schema else 'all migrations'}")
    results: list[dict] = []
    tokens: dict[str, str] = {}
    async with contextlib.AsyncExitStack() as stack:
        urls = {name: await stack.enter_async_context(prepared_database(args.database_url, old_schema))
                for name, _, old_schema in plan}
        # Alternating windows: the machine's other load falls on every scenario alike.
        for rnd in range(1, args.rounds + 1):
            for name, past, _ in plan:
                results.append(await run_scenario(name, urls[name], past, tokens, rnd, args))
    print_table(results, [name for name, _, _ in plan])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; fresh databases are created next to it")
    parser.add_argument("--past", type=int, default=100_000, help="past orders in the history scenarios")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients placing and paying")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--rounds", type=int, default=2, help="windows per scenario, alternating")
    parser.add_argument("--drain-timeout", type=float, default=120.0,
                        help="seconds to wait for the job queue to drain after the window")
    parser.add_argument("--baseline", action="store_true",
                        help="also run the history on the schema of the initial migration (no indexes)")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
