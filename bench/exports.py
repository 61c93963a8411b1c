"""CSV export rate and memory: rows/s and peak memory of ``oms.reports.exports.Export``
(what ``/exports/*.csv`` and ``oms export`` stream) for growing numbers of orders, and
the time of ``salesReport`` for a year by day and by product on the same orders.

Memory stays flat when the peak of Python allocations (tracemalloc, reset before each
export) does not grow with N: one chunk of 5000 orders is held at a time.

    .venv/bin/python bench/exports.py 10000 50000          # SQLite, a temporary file
    OMS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/exports.py 10000 100000     # PostgreSQL, its own database
"""

from __future__ import annotations

import asyncio
import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tortoise import Tortoise  # noqa: E402

from oms.db import CORE_MODEL_MODULES  # noqa: E402
from oms.orders.models import Order, OrderLine  # noqa: E402
from oms.orders.status import OrderStatus, PaymentStatus  # noqa: E402
from oms.reports.exports import Export  # noqa: E402
from oms.reports.periods import GroupBy  # noqa: E402
from oms.reports.sales import sales_report  # noqa: E402
from oms.reports.sql import REPORT_INDEXES  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database, test_database_url  # noqa: E402

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


async def add_orders(first: int, count: int) -> None:
    """``count`` paid orders of two lines each, numbered from ``first``, in batches."""
    for low in range(first, first + count, 5000):
        high = min(first + count, low + 5000)
        await Order.bulk_create([
            Order(number=str(i), token=f"t{i}", email=f"buyer{i % 997}@example.com", status=OrderStatus.COMPLETED,
                  payment_status=PaymentStatus.PAID, currency="USD", subtotal=Decimal("37.48"),
                  shipping_total=Decimal("4.90"), total=Decimal("42.38"), idempotency_key=f"k{i}",
                  cart_fingerprint="f", created_at=START + dt.timedelta(minutes=i),
                  paid_at=START + dt.timedelta(seconds=i * 631 % 31_536_000))
            for i in range(low, high)
        ], batch_size=1000)  # fmt: skip
        ids = await Order.filter(number__in=[str(i) for i in range(low, high)]).values_list("id", flat=True)
        await OrderLine.bulk_create([
            OrderLine(order_id=order_id, position=p, sku=f"SKU-{p}", name="A mug, \"blue\"", product_type="physical",
                      quantity=p + 1, unit_price=Decimal("12.50") if p == 0 else Decimal("12.49"), currency="USD")
            for order_id in ids for p in range(2)
        ], batch_size=1000)  # fmt: skip


class Sink:
    """A file that keeps nothing: the bytes only."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: str) -> None:
        self.size += len(data)


async def measure(kind: str, orders: int) -> None:
    export = Export(kind, None)
    sink = Sink()
    tracemalloc.reset_peak()
    began = time.perf_counter()
    rows = -1  # the header
    async for text in export.chunks():
        sink.write(text)
        rows += text.count("\r\n")  # fields hold no line breaks here
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{kind:6} {orders:>8} orders {rows:>8} rows  {rows / elapsed:>9.0f} rows/s  "
          f"{sink.size / 1e6:7.1f} MB  peak traced {peak / 1e6:5.1f} MB  max RSS {rss:6.0f} MB")  # fmt: skip


async def run(url: str, sizes: list[int]) -> None:
    await Tortoise.init(db_url=url, modules={"models": CORE_MODEL_MODULES})
    try:
        await Tortoise.generate_schemas()
        if url.startswith("postgres"):
            for statement in REPORT_INDEXES:  # as the migration makes them
                await Tortoise.get_connection("default").execute_script(statement)
        tracemalloc.start()
        done = 0
        for size in sizes:
            tracemalloc.stop()  # inserting is not what is measured
            await add_orders(done, size - done)
            if url.startswith("postgres"):  # the planner's statistics, as autovacuum keeps them
                await Tortoise.get_connection("default").execute_script("ANALYZE")
            tracemalloc.start()
            done = size
            for kind in ("orders", "lines"):
                await measure(kind, size)
            for group_by in (GroupBy.DAY, GroupBy.PRODUCT):
                began = time.perf_counter()
                report = await sales_report(START, START + dt.timedelta(days=365), group_by, timezone="Europe/Berlin",
                                            currency="USD")
                print(f"salesReport a year by {group_by.value:7} {size:>8} orders: {len(report.rows)} rows "
                      f"in {time.perf_counter() - began:.3f} s")
    finally:
        await Tortoise.close_connections()


async def main() -> None:
    sizes = sorted(int(n) for n in sys.argv[1:]) or [10_000, 50_000]
    base = test_database_url()
    if base is None:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            await run(f"sqlite://{folder}/bench.sqlite3", sizes)
        return
    url = await create_postgres_database(base)
    try:
        print("PostgreSQL")
        await run(url, sizes)
    finally:
        await drop_postgres_database(base, url)


if __name__ == "__main__":
    asyncio.run(main())
