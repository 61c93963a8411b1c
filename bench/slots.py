"""Benchmark availableSlots: 10 consultants, 30 days, 1000 existing bookings; latency
in-process (the service alone, and the GraphQL query through the ASGI app) and the SQL
statements it issues for 1 and 10 consultants over 7 and 30 days.

    .venv/bin/python bench/slots.py                    # temporary SQLite file, ~15 s
    .venv/bin/python bench/slots.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Setup (not timed): a fresh database (a temporary SQLite file, or with ``--database-url``
a new PostgreSQL database on that server, dropped at the end) whose tables are made from
the models (``Tortoise.generate_schemas``, as the test fixtures do); ``create_app`` with
its lifespan (no job worker). Two consultation products: ``BENCH-10`` with 10 consultants
in 10 time zones (Europe/Berlin, America/New_York, Asia/Tokyo...), each 09:00-17:00 every
day, 60-minute sessions with a 15-minute buffer (6 a day), horizon 365 days, no notice;
``BENCH-1`` with the first of them only (the same calendar). ``--bookings`` orders (1000)
of one line each, placed as ``placeOrder`` would write them, each holding a random slot
(seeded RNG) of the 30-day window through ``oms_consultation.services.hold_slots``, so
every booking has its claims.

Timed, ``--repeat`` times each (200), one at a time, after 10 untimed warm-up calls:
- service: ``services.available_slots("BENCH-10", window)``;
- GraphQL: ``{ availableSlots(sku: "BENCH-10", from, to) { start end consultant } }``
  POSTed to /graphql through ``httpx.ASGITransport`` (parsing, validation, serialization
  of ~800 slots, no network).
Printed: p50/p90/max in ms, the number of slots, and the SQL statements of one call for
each of (1, 10 consultants) x (7, 30 days), counted from Tortoise's statement log (one
line per statement sent; no transaction is opened by this query).
See docs/performance.md ("Consultation slots").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from bench.common import percentile  # noqa: E402

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "America/Los_Angeles",
         "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Nairobi", "Pacific/Auckland"]
WEEK = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
QUERY = """query($sku: String!, $from: DateTime!, $to: DateTime!) {
  availableSlots(sku: $sku, from: $from, to: $to) { start end consultant } }"""


def attributes(consultants: int) -> dict:
    return {
        "duration_minutes": 60, "buffer_minutes": 15, "horizon_days": 365, "min_notice_hours": 0,
        "consultants": [{"name": f"Consultant {i}", "timezone": ZONES[i % len(ZONES)], "availability": WEEK}
                        for i in range(consultants)],
    }


def fmt(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):7.2f}  p90 {percentile(values, 90):7.2f}  "
            f"max {max(values) * 1000:7.2f} ms  (mean {statistics.mean(values) * 1000:.2f})")


class Statements(logging.Handler):
    """Tortoise logs each statement it sends as ("%s: %s", sql, values) on tortoise.db_client."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args[0], str):
            self.found.append(" ".join(record.args[0].split()))

    @contextlib.contextmanager
    def recording(self):
        logger = logging.getLogger("tortoise.db_client")
        level, self.found = logger.level, []
        logger.addHandler(self)
        logger.setLevel(logging.DEBUG)
        try:
            yield self.found
        finally:
            logger.removeHandler(self)
            logger.setLevel(level)


async def book(count: int, window: tuple[dt.datetime, dt.datetime], now: dt.datetime, seed: int) -> int:
    """``count`` one-line orders, each holding a random free slot of BENCH-10 in ``window``."""
    from oms.catalog.models import Variant
    from oms.orders.models import Order, OrderLine
    from oms_consultation import services, slots
    from tortoise.transactions import in_transaction

    variant = await Variant.get(sku="BENCH-10")
    policy = slots.Policy.of(variant.attributes)
    grid = [slot for consultant in slots.consultants(variant.attributes)
            for slot in slots.grid(consultant, policy, *window)]
    chosen = random.Random(seed).sample(grid, min(count, len(grid)))
    for i, slot in enumerate(chosen):
        async with in_transaction():
            order = await Order.create(
                token=uuid.uuid4().hex, email=f"bench{i}@example.com", currency="USD", subtotal=90,
                shipping_total=0, total=90, idempotency_key=uuid.uuid4().hex, cart_fingerprint="bench",
            )
            line = await OrderLine.create(
                order=order, variant=variant, sku=variant.sku, name="Bench session", product_type="consultation",
                options={"slot": slot.start.isoformat(), "consultant": slot.consultant.name}, quantity=1,
                unit_price=90, currency="USD",
            )
            await services.hold_slots(order, [line], now=now)
    return len(chosen)


async def run(args: argparse.Namespace, database_url: str) -> None:
    from tortoise import Tortoise

    from oms.app import create_app
    from oms.config import Settings
    from oms.testing import make_product
    from oms_consultation import services

    settings = Settings(database_url=database_url, secret_key="bench-" + "k" * 32, seed_demo=False,
                        run_worker=False, media_root=tempfile.mkdtemp(prefix="oms-bench-media-"))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        await make_product(app, product_type="consultation", sku="BENCH-10", attributes=attributes(10))
        await make_product(app, product_type="consultation", sku="BENCH-1", attributes=attributes(1))
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        start = now + dt.timedelta(days=1)
        window = (start, start + dt.timedelta(days=30))
        began = time.perf_counter()
        booked = await book(args.bookings, window, now, args.seed)
        print(f"setup: {booked} bookings in the 30-day window in {time.perf_counter() - began:.1f} s "
              f"({settings.database_url.split(':')[0]})")

        for _ in range(10):
            found = await services.available_slots("BENCH-10", *window)
        service = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = await services.available_slots("BENCH-10", *window)
            service.append(time.perf_counter() - t)
        print(f"\nservice, 10 consultants x 30 days, {len(found)} free slots of "
              f"{len(found) + booked}:  {fmt(service)}")

        variables = {"sku": "BENCH-10", "from": window[0].isoformat(), "to": window[1].isoformat()}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://oms.bench") as http:
            async def query() -> int:
                response = await http.post("/graphql", json={"query": QUERY, "variables": variables})
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise RuntimeError(f"GraphQL failed: {body}")
                return len(body["data"]["availableSlots"])

            for _ in range(10):
                await query()
            graphql = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                count = await query()
                graphql.append(time.perf_counter() - t)
            print(f"GraphQL (ASGI, in-process), same query, {count} slots:        {fmt(graphql)}")

            print("\nSQL statements of one call (service / GraphQL):")
            tap = Statements()
            last: list[str] = []
            for sku, consultants in (("BENCH-1", 1), ("BENCH-10", 10)):
                for days in (7, 30):
                    span = (start, start + dt.timedelta(days=days))
                    with tap.recording() as in_service:
                        await services.available_slots(sku, *span)
                    with tap.recording() as in_graphql:
                        response = await http.post("/graphql", json={"query": QUERY, "variables": {
                            "sku": sku, "from": span[0].isoformat(), "to": span[1].isoformat()}})
                        assert not response.json().get("errors"), response.text
                    print(f"  {consultants:2d} consultant(s), {days:2d} days: {len(in_service)} / {len(in_graphql)}")
                    last = in_service
            for sql in last:
                print("    " + (sql if len(sql) <= 160 else sql[:157] + "..."))


async def bench(args: argparse.Namespace) -> None:
    if args.database_url:
        url = await create_postgres_database(args.database_url)
        try:
            await run(args, url)
        finally:
            await drop_postgres_database(args.database_url, url)
    else:
        with tempfile.TemporaryDirectory(prefix="oms-bench-slots-") as folder:
            await run(args, f"sqlite://{folder}/bench.sqlite3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to create the database on (default: SQLite)")
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(bench(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
