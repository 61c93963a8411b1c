"""Benchmark transactional email: emails/s through one job worker to a local SMTP server.

    .venv/bin/python bench/emails.py                      # SQLite, 500 mails
    .venv/bin/python bench/emails.py --mails 2000 --database-url postgres://postgres@127.0.0.1:5432/postgres

A fresh database (a temporary SQLite file, or a database created and dropped on the
PostgreSQL server of ``--database-url``) gets ``--mails`` orders of 3 lines, each with an
``order.placed`` event and its ``notification.email`` job (the "Order received" message).
Then one worker (``Worker.run_once`` in a loop, default ``OMS_JOB_CONCURRENCY`` and batch
size) renders and sends them to an aiosmtpd server in the same process, over loopback;
the clock runs from the first claim to the last job done. Every mail must arrive once.
Each mail is a fresh SMTP connection (aiosmtplib.send), as in production. Prints mails/s
and ms per mail. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from tortoise import Tortoise  # noqa: E402
from tortoise.transactions import in_transaction  # noqa: E402

from oms.config import Settings  # noqa: E402
from oms.core_plugins import CORE_PLUGINS  # noqa: E402
from oms.db import tortoise_config  # noqa: E402
from oms.jobs.models import Job, JobStatus  # noqa: E402
from oms.jobs.registry import JobRegistry  # noqa: E402
from oms.jobs.worker import Worker  # noqa: E402
from oms.notifications.sending import enqueue_email  # noqa: E402
from oms.orders.models import Order, OrderEvent, OrderLine  # noqa: E402
from oms.plugins import PluginHost, plugin_model_modules  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import free_port  # noqa: E402


class Count:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


async def seed(mails: int) -> None:
    address = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
               "postal_code": "N1 9GU", "country": "GB"}
    async with in_transaction():
        for i in range(mails):
            order = await Order.create(
                number=str(10_000 + i), token=secrets.token_urlsafe(32), email=f"buyer{i}@example.com",
                currency="USD", subtotal=Decimal("36.00"), shipping_total=Decimal("5.00"), total=Decimal("41.00"),
                shipping_address=address, billing_address=address, idempotency_key=f"bench-{i}",
                cart_fingerprint="bench",
            )
            await OrderLine.bulk_create([
                OrderLine(order=order, position=n, sku=f"SKU-{n}", name=f"Product {n}", product_type="physical",
                          quantity=n + 1, unit_price=Decimal("6.00"), currency="USD")
                for n in range(3)
            ])
            event = await OrderEvent.create(order=order, type="order.placed", message="Order placed.", actor=None)
            await enqueue_email(event, order.email, "order_received")


async def run(args: argparse.Namespace) -> None:
    handler = Count()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    tmp = tempfile.TemporaryDirectory()
    if args.database_url:
        url = await create_postgres_database(args.database_url)
    else:
        url = f"sqlite://{tmp.name}/bench.sqlite3"
    settings = Settings(database_url=url, secret_key="bench-secret-" + "x" * 32, public_url="http://127.0.0.1:8000",
                        smtp_url=f"smtp://127.0.0.1:{controller.port}", seed_demo=False, run_worker=False)
    plugins = PluginHost.load(core_plugins=CORE_PLUGINS)
    await Tortoise.init(config=tortoise_config(settings, plugin_model_modules(plugins)))
    try:
        await Tortoise.generate_schemas()
        await seed(args.mails)
        worker = Worker.from_settings(JobRegistry.build(plugins, settings), settings)
        started = time.perf_counter()
        while await worker.run_once():
            pass
        elapsed = time.perf_counter() - started
        done = await Job.filter(kind="notification.email", status=JobStatus.DONE, attempts=1).count()
        assert done == args.mails and handler.received == args.mails, (done, handler.received)
        print(f"{'PostgreSQL' if args.database_url else 'SQLite'}: {args.mails} mails in {elapsed:.2f} s: "
              f"{args.mails / elapsed:.1f} mails/s, {elapsed / args.mails * 1000:.1f} ms per mail "
              f"(concurrency {worker.concurrency}, batch {worker.batch_size})")
    finally:
        await Tortoise.close_connections()
        controller.stop()
        if args.database_url:
            await drop_postgres_database(args.database_url, url)
        tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: a temporary SQLite file)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
