"""Benchmark createShipment (a shipment and its PDF label): latency, one request at a
time, against a real uvicorn on PostgreSQL, with a trivial query's latency as the baseline.

    .venv/bin/python bench/shipments.py                # 200 shipments, PostgreSQL, ~30 s
    .venv/bin/python bench/shipments.py --orders 1000 --sqlite

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; dropped at the
end), or with ``--sqlite`` a temporary SQLite file, migrates it and adds a staff account
(``oms create-staff``).

Setup (not timed), through GraphQL on a first server (``uvicorn --factory
oms.app:create_app``, job worker in-process): a physical product (350 g) with stock,
``--warmup + --orders`` guest orders of 1 unit with a shipping address, each marked paid
by staff (``markOrderPaid``); the worker runs their delivery jobs (the lines await
shipment) and the queue is empty before that server stops.

Timed, on a second server of the same database, one uvicorn process with
``OMS_RUN_WORKER=false`` (the jobs the shipments enqueue stay queued instead of running
between the measured requests), one httpx client, one request at a time:
- baseline (before and after): ``{ productTypes { name } }`` with the same staff token
  (so the bearer token's check is in both figures);
- createShipment: ``--warmup`` orders untimed, then ``--orders`` orders, each
  ``createShipment(input: {orderId, lines: [{lineId, quantity: 1}], carrier: "ups",
  trackingNumber})`` selecting the fulfillment, the shipment's tracking number and
  label URL and the order's status; every answer must have no userErrors and a SHIPPED
  shipment.
Printed: p50/p90/p99/max per phase (nearest rank, as bench/webhooks.py), and the server
process's CPU ms per request. Then ``oms_physical.label.draw_label`` alone, in this
process, ``--labels`` times (default = --orders) with the same kind of addresses: p50 and
p90, and the PDF size. A check from SQL at the end: one shipment with a label per order.
See docs/performance.md ("Shipments").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import httpx  # noqa: E402

from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, live_server, migrate, sql_rows  # noqa: E402
from bench.common import CREATE_PRODUCT, LOGIN, MARK_PAID, gql, ok, percentile  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
SKU = "BENCH-PARCEL"
WEIGHT_GRAMS = 350
ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
           "postalCode": "N1 9GU", "country": "GB"}

SET_STOCK = """mutation($input: SetStockInput!) { setStock(input: $input) { userErrors { code message } } }"""
PLACE_ORDER = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id lines { id } } userErrors { field code message } } }"""
CREATE_SHIPMENT = """mutation Ship($input: CreateShipmentInput!) {
  createShipment(input: $input) {
    fulfillment { id status details { ... on Shipment { status trackingNumber labelUrl } } }
    order { status }
    userErrors { field code message }
  }
}"""
TRIVIAL = "{ productTypes { name } }"


def fmt(values: list[float]) -> str:
    return "  ".join(f"p{p} {percentile(values, p):6.1f}" for p in (50, 90, 99)) + \
        f"  max {max(values, default=float('nan')) * 1000:6.1f} ms"


def cpu_seconds(pid: int) -> float:
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- setup ----------------------------------------------------------------------------------------


async def place_paid_orders(server_url: str, count: int, clients: int) -> list[tuple[str, str]]:
    """(order id, line id) of ``count`` paid guest orders of one physical unit."""
    async with httpx.AsyncClient(base_url=server_url, timeout=60) as http:
        staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
        ok((await gql(http, CREATE_PRODUCT, {"input": {
            "name": "Bench parcel", "productType": "physical",
            "variants": [{"sku": SKU, "price": "12.50", "attributes": {"weight_grams": WEIGHT_GRAMS}}]}},
            staff))["createProduct"], "createProduct")
        ok((await gql(http, SET_STOCK, {"input": {"sku": SKU, "quantity": count + 10}}, staff))["setStock"],
           "setStock")
        placed: list[tuple[str, str]] = []
        todo = list(range(count))

        async def client() -> None:
            while todo:
                i = todo.pop()
                order = ok((await gql(http, PLACE_ORDER, {"input": {
                    "lines": [{"sku": SKU, "quantity": 1}], "email": f"guest{i}@example.com",
                    "shippingAddress": ADDRESS, "shippingMethod": "standard",
                    "idempotencyKey": f"bench-shipments-{uuid.uuid4().hex}"}}))["placeOrder"], "placeOrder")["order"]
                ok((await gql(http, MARK_PAID, {"id": order["id"]}, staff))["markOrderPaid"], "markOrderPaid")
                placed.append((order["id"], order["lines"][0]["id"]))

        await asyncio.gather(*(client() for _ in range(clients)))
    return placed


async def wait_for_jobs(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (left,), = await sql_rows(url, "SELECT count(*) FROM job WHERE status NOT IN ('DONE', 'FAILED')")
        if not left:
            return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"jobs still queued after {timeout:.0f} s")


# -- timed phases ---------------------------------------------------------------------------------


async def timed(http: httpx.AsyncClient, query: str, variables: dict, token: str) -> tuple[float, dict]:
    began = time.perf_counter()
    data = await gql(http, query, variables, token)
    return time.perf_counter() - began, data


async def trivial_phase(http: httpx.AsyncClient, token: str, count: int, pid: int) -> tuple[list[float], float]:
    latencies = []
    cpu = cpu_seconds(pid)
    for _ in range(count):
        latency, _ = await timed(http, TRIVIAL, {}, token)
        latencies.append(latency)
    return latencies, (cpu_seconds(pid) - cpu) / count


async def ship(http: httpx.AsyncClient, token: str, order_id: str, line_id: str, number: int) -> float:
    latency, data = await timed(http, CREATE_SHIPMENT, {"input": {
        "orderId": order_id, "lines": [{"lineId": line_id, "quantity": 1}],
        "carrier": "ups", "trackingNumber": f"1ZBENCH{number:08d}"}}, token)
    payload = ok(data["createShipment"], "createShipment")
    details = payload["fulfillment"]["details"]
    if details["status"] != "SHIPPED" or not details["labelUrl"]:
        raise RuntimeError(f"createShipment: {payload}")
    return latency


def time_labels(count: int) -> tuple[list[float], int]:
    from oms_physical.config import load_config
    from oms_physical.label import draw_label

    ship_from = load_config().ship_from
    ship_to = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
               "postal_code": "N1 9GU", "country": "GB"}
    latencies, size = [], 0
    for i in range(count):
        began = time.perf_counter()
        pdf = draw_label(ship_from=ship_from, ship_to=ship_to, order_number=str(1000 + i),
                         weight_grams=WEIGHT_GRAMS, carrier_name="UPS", tracking_number=f"1ZBENCH{i:08d}",
                         reference=f"oms-{i}-0123456789ab")
        latencies.append(time.perf_counter() - began)
        size = len(pdf)
    return latencies, size


# -- the run --------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(args: argparse.Namespace):
    if args.sqlite:
        with tempfile.TemporaryDirectory(prefix="oms-bench-shipments-") as folder:
            yield f"sqlite://{Path(folder) / 'oms-bench.sqlite3'}"
        return
    url = await create_postgres_database(args.database_url)
    try:
        yield url
    finally:
        await drop_postgres_database(args.database_url, url)


async def bench(args: argparse.Namespace) -> int:
    total = args.warmup + args.orders
    failed = False
    async with database(args) as url:
        kind = "SQLite" if args.sqlite else f"PostgreSQL, database {url.rsplit('/', 1)[1]}"
        print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {kind}; {os.cpu_count()} CPUs, load average"
              f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.orders} shipments", flush=True)
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        began = time.monotonic()
        async with live_server(url) as server:
            orders = await place_paid_orders(server.url, total, args.place_concurrency)
            await wait_for_jobs(url)
        print(f"setup: {total} paid guest orders through GraphQL, delivery jobs done,"
              f" {time.monotonic() - began:.1f} s", flush=True)

        async with live_server(url, env={"OMS_RUN_WORKER": "false"}) as server, \
                httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            pid = server.process.pid
            staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            for _ in range(args.warmup):
                await gql(http, TRIVIAL, {}, staff)
            before, before_cpu = await trivial_phase(http, staff, args.baseline, pid)
            for number, (order_id, line_id) in enumerate(orders[:args.warmup]):
                await ship(http, staff, order_id, line_id, number)
            shipments: list[float] = []
            cpu = cpu_seconds(pid)
            for number, (order_id, line_id) in enumerate(orders[args.warmup:], start=args.warmup):
                shipments.append(await ship(http, staff, order_id, line_id, number))
            ship_cpu = (cpu_seconds(pid) - cpu) / args.orders
            after, after_cpu = await trivial_phase(http, staff, args.baseline, pid)
            logged = [line for line in server.log().splitlines() if line.strip()]

        (shipped, labels), = await sql_rows(url, "SELECT count(*), count(label_pdf) FROM physical_shipment")
        (queued,), = await sql_rows(url, "SELECT count(*) FROM job WHERE status = 'QUEUED'")

    labels_latency, label_bytes = await asyncio.to_thread(time_labels, args.labels or args.orders)

    print(f"\n{'phase':26} {'requests':>8}  latency (ms)                               server CPU ms/req")
    for name, values, cpu in (("baseline productTypes", before, before_cpu), ("createShipment", shipments, ship_cpu),
                              ("baseline productTypes", after, after_cpu)):
        print(f"{name:26} {len(values):8}  {fmt(values)}   {cpu * 1000:5.1f}")
    print(f"{'draw_label (in-process)':26} {len(labels_latency):8}  p50 {percentile(labels_latency, 50):6.1f}"
          f"  p90 {percentile(labels_latency, 90):6.1f}  max {max(labels_latency) * 1000:6.1f} ms"
          f"   (PDF {label_bytes / 1000:.1f} kB)")
    base = statistics.median(before + after) * 1000
    p50 = percentile(shipments, 50)
    print(f"\ncreateShipment p50 {p50:.1f} ms = {p50 / base:.1f}x the trivial query's p50 ({base:.1f} ms);"
          f" drawing the label alone: p50 {percentile(labels_latency, 50):.1f} ms")
    if (shipped, labels) != (total, total):
        failed = True
        print(f"check: FAILED: {shipped} shipments, {labels} with a label; {total} orders shipped")
    else:
        print(f"check: {shipped} shipments stored, each with its label PDF; {queued} jobs left queued"
              " (the server ran with OMS_RUN_WORKER=false)")
    if logged:
        print(f"server log: {len(logged)} lines:\n  " + "\n  ".join(logged[:5]))
        failed |= any("Traceback" in line for line in logged)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; a fresh database is created next to it")
    parser.add_argument("--sqlite", action="store_true", help="use a temporary SQLite file instead")
    parser.add_argument("--orders", type=int, default=200, help="timed shipments (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="shipments (and queries) before timing")
    parser.add_argument("--baseline", type=int, default=200, help="trivial queries before and after (default 200)")
    parser.add_argument("--labels", type=int, default=0, help="draw_label calls (default: --orders)")
    parser.add_argument("--place-concurrency", type=int, default=4, help="clients placing the orders (setup)")
    args = parser.parse_args(argv)
    if args.orders < 1 or args.baseline < 1:
        parser.error("--orders and --baseline must be at least 1")
    if not args.sqlite and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL (or pass --sqlite)")
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
