"""Benchmark placeOrder with taxes and a discount code beside the plain placement, in one
run on one server: SQL statements per placement and p50/p99 latency of each (issue 14).

    .venv/bin/python bench/place_orders_commerce.py                 # 1 and 10 clients, ~1.5 min
    .venv/bin/python bench/place_orders_commerce.py --clients 1,10,50 --duration 15 --rounds 3

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it, serves
it with ``uvicorn --factory oms.app:create_app --workers W`` (no job worker: placement only)
and drops it at the end. Every order is the guest cart of bench/place_orders.py: 3 physical
lines (1 unit each, the same 3 stock rows), standard shipping. Staff create a 20 % rate for
GB and the code BENCH10 (10 % off the order, with a total usage limit, so each use is
counted by a conditional UPDATE as stock is reserved). Three placements:

- **plain**: shipped to DE, which has no rate, no code: what bench/place_orders.py places
  (the same statements as in a store with no rates at all: the rate lookup by country
  runs either way);
- **tax**: shipped to GB, taxed at 20 %;
- **tax+code**: shipped to GB, taxed, with ``discountCodes: ["BENCH10"]``.

For each, in-process with asyncpg's round trips recorded (bench/sqltap.py): the statements
of one placement, after warm-up placements (prepared statements, type introspection), and a
check that it is taxed and discounted as named. Then per concurrency N, ``--rounds`` rounds
of (plain, tax, tax+code) for ``--duration``/rounds seconds each (after ``--warmup``), so the
shared machine's noise falls on all three alike. One table: statements, pool resets, and per
N orders/s, p50, p99. See docs/performance.md, "placeOrder with taxes and a discount code".
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
UNTAXED = {"name": "Emmy Noether", "line1": "Bunsenstr. 3", "city": "Göttingen", "postalCode": "37073", "country": "DE"}
CREATE_RATE = """mutation { createTaxRate(input: {name: "VAT", country: "GB", rate: "20"}) {
  taxRate { id } userErrors { code message } } }"""
CREATE_CODE = f"""mutation {{ createDiscountCode(input: {{code: "{CODE}", percentage: "10",
  usageLimit: 100000000}}) {{ discountCode {{ id }} userErrors {{ code message }} }} }}"""
CHECK = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { subtotal { amount } discountTotal { amount } taxTotal { amount } total { amount } }
  userErrors { field code message } } }"""


SCENARIOS = {"plain": (False, False), "tax": (True, False), "tax+code": (True, True)}  # (taxed, code)


def order_input(key: str, cart: list[str], scenario: str) -> dict:
    taxed, code = SCENARIOS[scenario]
    variables = place_input(key, "bench@example.com", cart)
    if not taxed:
        variables["input"]["shippingAddress"] = UNTAXED
    if code:
        variables["input"]["discountCodes"] = [CODE]
    return variables


def placer(http: httpx.AsyncClient, skus: list[str], scenario: str):
    async def one_order(key: str) -> None:
        payload = (await gql(http, PLACE_ORDER, order_input(key, pick_cart(skus), scenario)))["placeOrder"]
        if payload["userErrors"] or not payload["order"]:
            raise RuntimeError(f"placeOrder refused: {payload['userErrors']}")
    return one_order


async def statements_of_one(url: str, cart: list[str], scenario: str) -> tuple[int, int, list[str]]:
    """The round trips of one guest placement, in-process, after three warm-up placements;
    checks first that the order is taxed and discounted as the scenario says."""
    expect = SCENARIOS[scenario]
    from oms.app import create_app
    from oms.config import Settings

    app = create_app(Settings.from_env(server_env(url, {"OMS_RUN_WORKER": "false", "OMS_PUBLIC_URL": "http://oms.bench"})))
    tap = StatementTap()
    with tap.installed():
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://oms.bench"
        ) as http:
            order = ok((await gql(http, CHECK, order_input(new_key("check"), cart, scenario)))["placeOrder"], "check")
            taxed, discounted = float(order["order"]["taxTotal"]["amount"]) > 0, \
                float(order["order"]["discountTotal"]["amount"]) > 0
            if (taxed, discounted) != expect:
                raise RuntimeError(f"expected (taxed, discounted) = {expect}, got {order['order']}")
            for _ in range(3):
                await gql(http, PLACE_ORDER, order_input(new_key("warm"), cart, scenario))
            async with tap.recording() as recorded:
                await gql(http, PLACE_ORDER, order_input(new_key("count"), cart, scenario))
    return describe(recorded)


def merged(name: str, parts: list[Result]) -> Result:
    """One Result of a scenario's rounds."""
    cpu = {kind: sum(p.cpu.get(kind, 0.0) for p in parts) for kind in parts[0].cpu}
    return Result(name, parts[0].clients, sum(p.orders for p in parts), sum(p.seconds for p in parts),
                  [x for p in parts for x in p.latencies], [e for p in parts for e in p.errors], cpu)


async def load(server_url: str, skus: list[str], clients: int, args: argparse.Namespace, cpu) -> dict[str, Result]:
    """``--rounds`` rounds of the three scenarios at ``clients`` concurrent clients."""
    parts: dict[str, list[Result]] = {name: [] for name in SCENARIOS}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=server_url, limits=limits, timeout=60) as http:
        for _ in range(args.rounds):
            for name in SCENARIOS:
                parts[name].append(await run_load(name, clients, args.warmup, args.duration / args.rounds,
                                                  cpu, placer(http, skus, name)))
    return {name: merged(name, results) for name, results in parts.items()}


def print_table(statements: dict[str, tuple[int, int]], runs: dict[int, dict[str, Result]]) -> None:
    print("\nSummary: one guest placeOrder, 3 physical lines (latency ms)")
    print(f"{'':9} {'stmts':>5} {'resets':>6}" + "".join(f" | N={n:<3} {'/s':>6} {'p50':>6} {'p99':>6}" for n in runs))
    for name, (n, resets) in statements.items():
        cells = "".join(f" |       {r[name].rate:6.1f} {r[name].percentile(50):6.1f} {r[name].percentile(99):6.1f}"
                        for r in runs.values())
        errors = sum(len(r[name].errors) for r in runs.values())
        print(f"{name:9} {n:5d} {resets:6d}{cells}" + (f"  ERRORS {errors}" if errors else ""))


async def bench(args: argparse.Namespace) -> None:
    base = args.database_url
    url = await create_postgres_database(base)
    skus = catalog_skus(3)
    print(f"database {url.rsplit('/', 1)[1]}; uvicorn --workers {args.workers}, no job worker;"
          f" {os.cpu_count()} CPUs; clients {args.clients};"
          f" {args.rounds} rounds of {args.warmup:g} + {args.duration / args.rounds:g} s;"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        async with live_server(url, workers=args.workers, env={"OMS_RUN_WORKER": "false"}) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                await setup_catalog(http, skus)
                staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
                ok((await gql(http, CREATE_RATE, token=staff))["createTaxRate"], "tax rate")
                ok((await gql(http, CREATE_CODE, token=staff))["createDiscountCode"], "discount code")
            database = url.rsplit("/", 1)[1]

            def cpu() -> dict[str, dict[str, float]]:
                return cpu_snapshot(server.process.pid, database)

            statements = {}
            for name in SCENARIOS:
                n, resets, lines = await statements_of_one(url, skus[:3], name)
                statements[name] = (n, resets)
                print(f"\n{name}: one placeOrder = {n} statements (incl. BEGIN/COMMIT) + {resets} pool resets")
                print("\n".join(lines), flush=True)
            runs = {}
            for clients in args.clients:
                runs[clients] = await load(server.url, skus, clients, args, cpu)
                for result in runs[clients].values():
                    print(result.line(), flush=True)
        print_table(statements, runs)
        print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        await drop_postgres_database(base, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; a fresh database is created next to it")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10],
                        help="comma-separated concurrency levels (default 1,10)")
    parser.add_argument("--duration", type=float, default=10.0,
                        help="measured seconds per placement kind and N (split over the rounds)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three placements per N")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
