"""Benchmark placeOrder with taxes and a discount code beside the plain placement, in one
run on one server: SQL statements per placement and p50/p99 latency of each (issue 14).

    .venv/bin/python bench/place_orders_commerce.py                 # 1 and 10 clients, ~1.5 min
    .venv/bin/python bench/place_orders_commerce.py --clients 1,10,50 --duration 15

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it, serves
it with ``uvicorn --factory oms.app:create_app --workers W`` (no job worker: placement only)
and drops it at the end. Every order is the same guest cart as bench/place_orders.py: 3
physical lines (1 unit each, the same 3 stock rows), shipped to GB by the standard method.

1. **plain**: no tax rate and no discount code exist (the store of bench/place_orders.py).
2. Staff then create a 20 % rate for GB (the address's country) and the code BENCH10 (10 %
   off the order, a total usage limit, so each placement counts its use with a conditional
   UPDATE as stock is reserved).
3. **tax**: the same cart, now taxed; **tax+code**: taxed and with ``discountCodes:
   ["BENCH10"]``.

For each, at each concurrency N: ``--duration`` seconds of N clients placing back to back
(after ``--warmup``), and, in-process with asyncpg's round trips recorded (bench/sqltap.py),
the statements of one placement (after warm-up placements: prepared statements, type
introspection). It prints one table: statements, pool resets, and per N orders/s, p50, p99.
See docs/performance.md, "placeOrder with taxes and a discount code".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.* and tests.live_server when run as a script

import httpx  # noqa: E402

from bench.common import LOGIN, gql, ok  # noqa: E402
from bench.place_orders import (  # noqa: E402
    PLACE_ORDER,
    Result,
    catalog_skus,
    cpu_snapshot,
    describe,
    new_key,
    pick_cart,
    place_input,
    run_load,
    setup_catalog,
)
from bench.sqltap import StatementTap  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, live_server, migrate, server_env  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
CODE = "BENCH10"
CREATE_RATE = """mutation { createTaxRate(input: {name: "VAT", country: "GB", rate: "20"}) {
  taxRate { id } userErrors { code message } } }"""
CREATE_CODE = f"""mutation {{ createDiscountCode(input: {{code: "{CODE}", percentage: "10",
  usageLimit: 100000000}}) {{ discountCode {{ id }} userErrors {{ code message }} }} }}"""
CHECK = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { subtotal { amount } discountTotal { amount } taxTotal { amount } total { amount } }
  userErrors { field code message } } }"""


def order_input(key: str, cart: list[str], code: bool) -> dict:
    variables = place_input(key, "bench@example.com", cart)
    if code:
        variables["input"]["discountCodes"] = [CODE]
    return variables


def placer(http: httpx.AsyncClient, skus: list[str], code: bool):
    async def one_order(key: str) -> None:
        payload = (await gql(http, PLACE_ORDER, order_input(key, pick_cart(skus), code)))["placeOrder"]
        if payload["userErrors"] or not payload["order"]:
            raise RuntimeError(f"placeOrder refused: {payload['userErrors']}")
    return one_order


async def statements_of_one(url: str, cart: list[str], code: bool, expect: tuple[bool, bool]) -> tuple[int, int, list[str]]:
    """The round trips of one guest placement, in-process, after three warm-up placements;
    checks first that the order is taxed and discounted as ``expect`` says."""
    from oms.app import create_app
    from oms.config import Settings

    app = create_app(Settings.from_env(server_env(url, {"OMS_RUN_WORKER": "false"})))
    tap = StatementTap()
    with tap.installed():
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://oms.bench"
        ) as http:
            order = ok((await gql(http, CHECK, order_input(new_key("check"), cart, code)))["placeOrder"], "check")
            taxed, discounted = float(order["order"]["taxTotal"]["amount"]) > 0, \
                float(order["order"]["discountTotal"]["amount"]) > 0
            if (taxed, discounted) != expect:
                raise RuntimeError(f"expected (taxed, discounted) = {expect}, got {order['order']}")
            for _ in range(3):
                await gql(http, PLACE_ORDER, order_input(new_key("warm"), cart, code))
            async with tap.recording() as recorded:
                await gql(http, PLACE_ORDER, order_input(new_key("count"), cart, code))
    return describe(recorded)


async def scenario(name: str, url: str, server_url: str, skus: list[str], code: bool, expect: tuple[bool, bool],
                   args: argparse.Namespace, cpu) -> dict:
    n, resets, lines = await statements_of_one(url, skus[:3], code, expect)
    print(f"\n{name}: one placeOrder = {n} statements (incl. BEGIN/COMMIT) + {resets} pool resets")
    print("\n".join(lines), flush=True)
    runs: list[Result] = []
    for clients in args.clients:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=server_url, limits=limits, timeout=60) as http:
            result = await run_load(name, clients, args.warmup, args.duration, cpu, placer(http, skus, code))
        result.name = name[:8]
        print(result.line(), flush=True)
        runs.append(result)
    return {"name": name, "statements": n, "resets": resets, "runs": runs}


def print_table(rows: list[dict], clients: list[int]) -> None:
    print("\nSummary: one guest placeOrder, 3 physical lines (latency ms)")
    head = f"{'':10} {'stmts':>5} {'resets':>6}" + "".join(f" | N={n:<3} {'/s':>6} {'p50':>6} {'p99':>6}" for n in clients)
    print(head)
    for row in rows:
        cells = "".join(
            f" |       {r.rate:6.1f} {r.percentile(50):6.1f} {r.percentile(99):6.1f}" for r in row["runs"]
        )
        errors = sum(len(r.errors) for r in row["runs"])
        print(f"{row['name']:10} {row['statements']:5d} {row['resets']:6d}{cells}" + (f"  ERRORS {errors}" if errors else ""))


async def bench(args: argparse.Namespace) -> None:
    base = args.database_url
    url = await create_postgres_database(base)
    skus = catalog_skus(3)
    print(f"database {url.rsplit('/', 1)[1]}; uvicorn --workers {args.workers}, no job worker;"
          f" {os.cpu_count()} CPUs; clients {args.clients}; {args.warmup:g} + {args.duration:g} s per run;"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        rows = []
        async with live_server(url, workers=args.workers, env={"OMS_RUN_WORKER": "false"}) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                await setup_catalog(http, skus)
            database = url.rsplit("/", 1)[1]

            def cpu() -> dict[str, dict[str, float]]:
                return cpu_snapshot(server.process.pid, database)

            rows.append(await scenario("plain", url, server.url, skus, False, (False, False), args, cpu))
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
                ok((await gql(http, CREATE_RATE, token=staff))["createTaxRate"], "tax rate")
                ok((await gql(http, CREATE_CODE, token=staff))["createDiscountCode"], "discount code")
            rows.append(await scenario("tax", url, server.url, skus, False, (True, False), args, cpu))
            rows.append(await scenario("tax+code", url, server.url, skus, True, (True, True), args, cpu))
        print_table(rows, args.clients)
        print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        await drop_postgres_database(base, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; a fresh database is created next to it")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10],
                        help="comma-separated concurrency levels (default 1,10)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
