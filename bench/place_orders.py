"""Benchmark placeOrder: oms over HTTP against the same work in raw asyncpg, and the SQL
statements one placeOrder and one staff orders page issue.

    .venv/bin/python bench/place_orders.py                  # 1, 10 and 50 clients, ~1.5 min
    .venv/bin/python bench/place_orders.py --clients 50 --duration 20 --profile 300

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it,
serves it with ``uvicorn --factory oms.app:create_app --workers W``, and drops it at the end.

Per concurrency N, for ``--duration`` seconds (after ``--warmup``):
- oms: N clients post ``placeOrder`` (3 physical lines, 1 unit each, a new idempotency key
  each time) to the server as guests; the lines are 3 of ``--catalog`` variants (default 3:
  every order locks the same stock rows);
- raw: N tasks do what placeOrder stores, in the fewest statements: look up the variants,
  then in one transaction reserve each line with the same conditional UPDATE, insert the
  order (number included), its lines (one INSERT), its event and its outbox job; the pool
  has as many connections as the oms server (``--raw-pool``, default 5 per worker).
It prints orders/s, p50/p99 latency, the ratio oms/raw, and CPU milliseconds per order of
the load generator, the server processes and PostgreSQL's backends (from /proc schedstat,
so only when PostgreSQL runs on this machine).

Then, in-process (create_app + httpx.ASGITransport), it records every round trip asyncpg
makes (statements, BEGIN/COMMIT, the pool's reset on release) for one placeOrder, and for
one staff ``orders(first: N)`` page with lines, events and customer, N = 10 and 100.
``--profile K`` runs K placeOrders in-process under cProfile and prints own time by package.
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import dataclasses
import hashlib
import io
import json
import os
import pstats
import random
import re
import secrets
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.common import CREATE_PRODUCT, LOGIN, gql  # noqa: E402
from bench.sqltap import StatementTap  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import (  # noqa: E402
    STAFF_EMAIL,
    STAFF_PASSWORD,
    create_staff,
    live_server,
    migrate,
    server_env,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
PRICES = ("12.50", "9.00", "3.25")
LINES = 3
SHIPPING = Decimal("4.90")  # the physical plugin's "standard" rate (subtotals stay < 50)
ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
           "postalCode": "N1 9GU", "country": "GB"}

SET_STOCK = """mutation($input: SetStockInput!) { setStock(input: $input) { userErrors { code message } } }"""
PLACE_ORDER = """mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } orderToken userErrors { field code message } } }"""
ORDERS_PAGE = """query Orders($first: Int!) { orders(first: $first) { edges { node {
  lines { sku } events { type } customer { email } } } } }"""
REGISTER = """mutation { register(input: {email: "bench-customer@example.com", password: "bench-pass-1"}) {
  token userErrors { code message } } }"""


def catalog_skus(size: int) -> list[str]:
    return [f"BENCH-{i:03d}" for i in range(size)]


def pick_cart(skus: list[str]) -> list[str]:
    """LINES distinct skus. Sorted: carts that lock stock rows in different orders deadlock
    on PostgreSQL (see docs/performance.md), which is not what this measures."""
    return sorted(random.sample(skus, LINES)) if len(skus) > LINES else skus[:LINES]


def new_key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def place_input(key: str, email: str | None, cart: list[str]) -> dict:
    return {"input": {
        "lines": [{"sku": sku, "quantity": 1} for sku in cart],
        "email": email, "shippingAddress": ADDRESS, "shippingMethod": "standard",
        "idempotencyKey": key,
    }}


# -- CPU accounting (/proc: works when PostgreSQL runs on this machine) -------------------------


def _cpu_seconds(pid: str) -> float:
    """CPU time of all threads of ``pid``, from the scheduler (``schedstat``: exact, unlike
    the tick-sampled utime/stime, which miss short bursts on a mostly idle machine)."""
    total = 0
    for task in os.scandir(f"/proc/{pid}/task"):
        total += int(Path(task.path, "schedstat").read_text().split()[0])
    return total / 1e9


def _proc_cpu(select: Callable[[str, int], bool]) -> dict[str, float]:
    """CPU seconds per pid of the processes ``select(cmdline, process group)`` picks."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = raw[raw.rindex(")") + 2 :].split()
            if select(cmdline, int(fields[2])):  # fields[2]: process group
                found[entry.name] = _cpu_seconds(entry.name)
        except OSError:  # the process ended meanwhile
            continue
    return found


def cpu_snapshot(server_pgid: int, database: str) -> dict[str, dict[str, float]]:
    """CPU seconds so far, per pid, of this process (the load generator, and the raw
    path's own work), of the server's process group, and of the PostgreSQL backends
    serving ``database`` (its background writer and WAL writer are not counted)."""
    return {
        "client": {"self": _cpu_seconds(str(os.getpid()))},
        "app": _proc_cpu(lambda cmdline, pgid: pgid == server_pgid),
        "db": _proc_cpu(lambda cmdline, pgid: cmdline.startswith("postgres: ") and f" {database} " in cmdline),
    }


def cpu_used(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict[str, float]:
    """Seconds per kind between two snapshots (a process that ended in between is lost)."""
    return {
        kind: sum(seconds - before.get(kind, {}).get(pid, 0.0) for pid, seconds in pids.items())
        for kind, pids in after.items()
    }


# -- load ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    name: str
    clients: int
    orders: int
    seconds: float
    latencies: list[float]
    errors: list[str]
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self) -> str:
        cpu = " ".join(f"{k} {v / self.orders * 1000:.2f}" for k, v in self.cpu.items()) if self.orders else "n/a"
        busy = sum(self.cpu.values()) / self.seconds if self.seconds else 0.0
        errors = f"  ERRORS {len(self.errors)}: {self.errors[0][:200]}" if self.errors else ""
        return (f"{self.name:4} N={self.clients:<3} {self.rate:8.1f} orders/s  p50 {self.percentile(50):7.1f} ms"
                f"  p99 {self.percentile(99):7.1f} ms  ({self.orders} in {self.seconds:.1f} s;"
                f" CPU ms/order: {cpu}; {busy:.2f} cores busy){errors}")


async def run_load(name: str, clients: int, warmup: float, duration: float,
                   cpu: Callable[[], dict[str, dict[str, float]]],
                   one_order: Callable[[str], Awaitable[None]]) -> Result:
    """``clients`` tasks placing orders back to back; only the ``duration`` after ``warmup``
    counts."""
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + duration
    latencies: list[float] = []
    errors: list[str] = []
    before: dict[str, dict[str, float]] = {}

    async def client(i: int) -> None:
        seq = 0
        while (now := time.monotonic()) < stop_at:
            seq += 1
            began = time.perf_counter()
            try:
                await one_order(new_key(f"{name}-{clients}-{i}-{seq}"))
            except Exception as exc:  # counted and shown, never hidden
                errors.append(repr(exc))
                continue
            if now >= measure_from:
                latencies.append(time.perf_counter() - began)

    async def snapshot() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        before.update(cpu())

    await asyncio.gather(snapshot(), *(client(i) for i in range(clients)))
    after = cpu()
    seconds = time.monotonic() - measure_from
    return Result(name, clients, len(latencies), seconds, latencies, errors, cpu_used(before, after))


def oms_client(http: httpx.AsyncClient, skus: list[str]) -> Callable[[str], Awaitable[None]]:
    async def one_order(key: str) -> None:
        data = await gql(http, PLACE_ORDER, place_input(key, "bench@example.com", pick_cart(skus)))
        payload = data["placeOrder"]
        if payload["userErrors"] or not payload["order"]:
            raise RuntimeError(f"placeOrder refused: {payload['userErrors']}")
    return one_order


# -- raw asyncpg: the same rows, the fewest statements ---------------------------------------

RAW_VARIANTS = """SELECT v.id, v.sku, v.name, v.price, v.currency, p.name AS product_name,
  p.product_type FROM variant v JOIN product p ON p.id = v.product_id WHERE v.sku = ANY($1::text[])"""
# One conditional UPDATE per line: the first warehouse by (priority, id) that can fill it.
RAW_RESERVE = """UPDATE stock SET reserved = reserved + $1 WHERE id = (
  SELECT s.id FROM stock s JOIN warehouse w ON w.id = s.warehouse_id
  WHERE s.variant_id = $2 AND s.quantity - s.reserved >= $1 ORDER BY w.priority, w.id LIMIT 1 FOR UPDATE OF s
) AND quantity - reserved >= $1 RETURNING warehouse_id"""
# ``{cols}``/``{vals}``: NOT NULL columns without a database default that a newer model
# added (see required_extras); the statements fill them with a zero value.
RAW_ORDER = """INSERT INTO "order" (id, number, token, email, status, payment_status, currency,
  subtotal, shipping_total, total, refunded_total, shipping_address, shipping_method,
  idempotency_key, cart_fingerprint, created_at, updated_at{cols})
SELECT s.id, (1000 + s.id)::text, $1, $2, 'PENDING_PAYMENT', 'PENDING', $3, $4, $5, $6, 0,
  $7::jsonb, $8::jsonb, $9, $10, now(), now(){vals}
FROM (SELECT nextval(pg_get_serial_sequence('"order"', 'id')) AS id) s RETURNING id, number"""
RAW_LINES = """INSERT INTO order_line (order_id, position, variant_id, sku, name, product_type,
  quantity, quantity_fulfilled, quantity_canceled, quantity_returned, unit_price, currency,
  status, warehouse_id{cols})
SELECT $1, l.pos, l.variant_id, l.sku, l.name, l.product_type, l.quantity, 0, 0, 0, l.price,
  $2, 'PENDING', l.warehouse_id{vals}
FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::numeric[],
  $10::int[]) AS l(pos, variant_id, sku, name, product_type, quantity, price, warehouse_id)"""
RAW_EVENT = """INSERT INTO order_event (order_id, type, message, actor, data, created_at{cols})
VALUES ($1, 'order.placed', $2, $3, $4::jsonb, now(){vals}) RETURNING id"""
RAW_JOB = """INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at, created_at,
  updated_at{cols}) VALUES ('order.event', $1::jsonb, 'QUEUED', 0, 8, now(), now(), now(){vals})"""
_ZERO = {"boolean": "false", "smallint": "0", "integer": "0", "bigint": "0", "numeric": "0",
         "character varying": "''", "text": "''", "jsonb": "'{}'::jsonb", "json": "'{}'::json",
         "timestamp with time zone": "now()", "timestamp without time zone": "now()"}


async def raw_statements(pool: asyncpg.Pool) -> dict[str, str]:
    """The raw INSERTs, completed with any NOT NULL column (no default) they don't name."""
    statements = {}
    async with pool.acquire() as conn:
        for template in (RAW_ORDER, RAW_LINES, RAW_EVENT, RAW_JOB):
            table, named = re.match(r'INSERT INTO "?(\w+)"? \(([^{]*)', template).groups()
            given = {c.strip() for c in named.replace("\n", " ").split(",")}
            rows = await conn.fetch(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1"
                " AND is_nullable = 'NO' AND column_default IS NULL", table)
            extra = {r["column_name"]: r["data_type"] for r in rows if r["column_name"] not in given}
            unknown = {c: t for c, t in extra.items() if t not in _ZERO}
            if unknown:
                raise RuntimeError(f"raw: don't know what to put in {table}: {unknown}")
            if extra:
                print(f"  (raw: {table} has new required columns {sorted(extra)}; filling zero values)")
            statements[template] = template.format(
                cols="".join(f', "{c}"' for c in extra), vals="".join(f", {_ZERO[t]}" for t in extra.values()))
    return statements


def raw_client(pool: asyncpg.Pool, catalog: list[str], sql: dict[str, str]) -> Callable[[str], Awaitable[None]]:
    address = json.dumps({"name": ADDRESS["name"], "line1": ADDRESS["line1"], "city": ADDRESS["city"],
                          "postal_code": ADDRESS["postalCode"], "country": ADDRESS["country"]})
    method = json.dumps({"code": "standard", "name": "Standard shipping", "price": str(SHIPPING)})

    async def one_order(key: str) -> None:
        email = "bench@example.com"
        skus = pick_cart(catalog)
        fingerprint = hashlib.sha256(json.dumps([key, email, skus]).encode()).hexdigest()
        async with pool.acquire() as conn:
            variants = {r["sku"]: r for r in await conn.fetch(RAW_VARIANTS, skus)}
            lines = [variants[sku] for sku in skus]
            subtotal = sum((v["price"] for v in lines), Decimal(0))
            async with conn.transaction():
                warehouses = []
                for v in lines:
                    warehouse = await conn.fetchval(RAW_RESERVE, 1, v["id"])
                    if warehouse is None:
                        raise RuntimeError(f"out of stock: {v['sku']}")
                    warehouses.append(warehouse)
                order_id, number = await conn.fetchrow(
                    sql[RAW_ORDER], secrets.token_urlsafe(32), email, "USD", subtotal, SHIPPING,
                    subtotal + SHIPPING, address, method, key, fingerprint)
                await conn.execute(
                    sql[RAW_LINES], order_id, "USD", list(range(len(lines))), [v["id"] for v in lines],
                    skus, [f"{v['product_name']} ({v['name']})" if v["name"] != v["product_name"]
                           else v["name"] for v in lines],
                    [v["product_type"] for v in lines], [1] * len(lines),
                    [v["price"] for v in lines], warehouses)
                event_id = await conn.fetchval(
                    sql[RAW_EVENT], order_id, f"Order {number} placed: {len(lines)} line(s).", email,
                    json.dumps({"total": str(subtotal + SHIPPING), "lines": len(lines)}))
                await conn.execute(sql[RAW_JOB], json.dumps(
                    {"order_id": order_id, "event_id": event_id, "type": "order.placed"}))
    return one_order


# -- statements, in-process -----------------------------------------------------------------


def describe(statements: list[str]) -> tuple[int, int, list[str]]:
    """(statements, pool resets, one line each)."""
    lines, resets = [], 0
    for sql in statements:
        flat = " ".join(sql.split())
        if "pg_advisory_unlock_all" in flat:
            resets += 1
            lines.append("  (pool reset on release: SELECT pg_advisory_unlock_all(); CLOSE ALL; ...)")
        else:
            lines.append("  " + (flat if len(flat) <= 150 else flat[:147] + "..."))
    return len(statements) - resets, resets, lines


async def count_statements(database_url: str, skus: list[str], profile: int) -> None:
    from oms.app import create_app
    from oms.config import Settings

    app = create_app(Settings.from_env(server_env(database_url, {"OMS_RUN_WORKER": "false"})))
    cart = skus[:LINES]
    tap = StatementTap()
    with tap.installed():
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://oms.bench"
        ) as http:
            staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            customer = (await gql(http, REGISTER))["register"]["token"]
            for _ in range(3):  # warm: prepared statements, type introspection, customer orders
                await gql(http, PLACE_ORDER, place_input(new_key("warm"), "w@example.com", cart))
                await gql(http, PLACE_ORDER, place_input(new_key("warm-c"), None, cart), customer)
            await gql(http, ORDERS_PAGE, {"first": 100}, staff)

            for who, token, email in (("guest", None, "g@example.com"), ("customer", customer, None)):
                async with tap.recording() as recorded:
                    await gql(http, PLACE_ORDER, place_input(new_key(who), email, cart), token)
                n, resets, lines = describe(recorded)
                print(f"\nplaceOrder as {who}, 3 stock-tracked lines: {n} statements "
                      f"(incl. BEGIN/COMMIT) + {resets} pool resets; target <= {8 + 3}")
                print("\n".join(lines))
            for first in (10, 100):
                async with tap.recording() as recorded:
                    data = await gql(http, ORDERS_PAGE, {"first": first}, staff)
                n, resets, lines = describe(recorded)
                print(f"\norders(first: {first}) as staff ({len(data['orders']['edges'])} orders, lines,"
                      f" events, customer): {n} statements + {resets} pool resets; target <= 8")
                print("\n".join(lines))

            if profile:
                await profile_place_order(http, profile, cart)


async def profile_place_order(http: httpx.AsyncClient, count: int, cart: list[str]) -> None:
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        await gql(http, PLACE_ORDER, place_input(new_key("profile"), "p@example.com", cart))
    profiler.disable()
    elapsed = time.perf_counter() - began
    stats = pstats.Stats(profiler)
    by_package: collections.Counter[str] = collections.Counter()
    for (file, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(file, function)] += tottime
    print(f"\nProfile: {count} placeOrders in-process, one at a time: {elapsed / count * 1000:.2f} ms each"
          " under cProfile (client and server in this process). Own time by package, ms/order:")
    for package, seconds in by_package.most_common(15):
        print(f"  {seconds / count * 1000:6.2f}  {package}")
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(20)
    print("Top functions by own time:")
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def _package(file: str, function: str) -> str:
    if file == "~":
        return "(builtins: " + ("I/O wait in epoll" if "poll" in function else "C functions") + ")"
    path = Path(file)
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for marker in ("oms", "plugins"):
        if marker in parts:
            return marker
    return "stdlib " + (path.parent.name if path.parent.name not in ("", "lib") else path.stem)


# -- main ------------------------------------------------------------------------------------


async def setup_catalog(http: httpx.AsyncClient, skus: list[str]) -> str:
    token = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
    for i, sku in enumerate(skus):
        price = PRICES[i % len(PRICES)]
        product = {"name": f"Bench {sku}", "productType": "physical",
                   "variants": [{"sku": sku, "price": price, "attributes": {"weight_grams": 250}}]}
        for query, variables in ((CREATE_PRODUCT, {"input": product}),
                                 (SET_STOCK, {"input": {"sku": sku, "quantity": 100_000_000}})):
            data = await gql(http, query, variables, token)
            if next(iter(data.values()))["userErrors"]:
                raise RuntimeError(data)
    return token


def print_summary(results: list[tuple[Result, Result | None]]) -> None:
    print("\nSummary (orders/s; latency ms)")
    print("  N    oms/s    p50     p99 |   raw/s    p50     p99 | oms/raw")
    for oms, raw in results:
        row = f"{oms.clients:>3} {oms.rate:8.1f} {oms.percentile(50):6.1f} {oms.percentile(99):7.1f} |"
        if raw is not None and raw.rate:
            ratio = oms.rate / raw.rate
            verdict = ""
            if oms.clients == 50:
                verdict = "  (target >= 0.3 at 50 clients: " + ("met)" if ratio >= 0.3 else "MISSED)")
            row += f" {raw.rate:7.1f} {raw.percentile(50):6.1f} {raw.percentile(99):7.1f} | {ratio:6.2f}{verdict}"
        print(row)


async def bench(args: argparse.Namespace) -> None:
    base = args.database_url
    url = await create_postgres_database(base)
    skus = catalog_skus(args.catalog)
    print(f"database {url.rsplit('/', 1)[1]}; uvicorn --workers {args.workers}"
          f"{' with job worker' if args.with_worker else ''}; raw pool {args.raw_pool};"
          f" {os.cpu_count()} CPUs; {LINES}-line carts from {len(skus)} variants;"
          f" {args.warmup:g} + {args.duration:g} s per run")
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        server_url = url + (("&" if "?" in url else "?") + args.db_params if args.db_params else "")
        results: list[tuple[Result, Result | None]] = []
        env = {"OMS_RUN_WORKER": "true" if args.with_worker else "false"}
        async with live_server(server_url, workers=args.workers, env=env) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                await setup_catalog(http, skus)
            dsn = url.replace("postgres://", "postgresql://", 1)
            database = url.rsplit("/", 1)[1]

            def cpu() -> dict[str, dict[str, float]]:
                return cpu_snapshot(server.process.pid, database)

            raw_sql: dict[str, str] = {}
            for n in args.clients:
                # A client per run: a keep-alive connection left idle through the raw run
                # would be closed by uvicorn (5 s) just as it is reused.
                limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
                async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as http:
                    oms = await run_load("oms", n, args.warmup, args.duration, cpu, oms_client(http, skus))
                print(oms.line(), flush=True)
                raw = None
                if not args.skip_raw:
                    async with asyncpg.create_pool(dsn, min_size=min(n, args.raw_pool),
                                                   max_size=args.raw_pool) as pool:
                        raw_sql = raw_sql or await raw_statements(pool)
                        raw = await run_load("raw", n, args.warmup, args.duration, cpu,
                                             raw_client(pool, skus, raw_sql))
                    print(raw.line(), flush=True)
                results.append((oms, raw))
        print_summary(results)
        if not args.skip_statements:
            await count_statements(url, skus, args.profile)
    finally:
        await drop_postgres_database(base, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; a fresh database is created next to it")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10, 50],
                        help="comma-separated concurrency levels (default 1,10,50)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--raw-pool", type=int, default=None,
                        help="raw asyncpg pool size (default: 5 per uvicorn worker, like Tortoise's)")
    parser.add_argument("--db-params", default="",
                        help="query string added to the server's database URL, e.g. maxsize=10")
    parser.add_argument("--catalog", type=int, default=LINES, metavar="K",
                        help=f"variants to draw each {LINES}-line cart from (default {LINES}: every "
                             "order takes the same rows, the worst case for row locks)")
    parser.add_argument("--with-worker", action="store_true",
                        help="run the server's in-process job worker (off: placement only)")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--skip-statements", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="K",
                        help="profile K in-process placeOrders with cProfile")
    args = parser.parse_args(argv)
    if args.catalog < LINES:
        parser.error(f"--catalog must be at least {LINES}")
    if args.raw_pool is None:
        args.raw_pool = 5 * args.workers
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
