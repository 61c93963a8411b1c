"""Benchmark outbound webhooks: deliveries per second through one job worker to a local
receiver (uvicorn on a loopback port, in a thread of this process).

    .venv/bin/python bench/webhook_deliveries.py                         # SQLite, 100 orders x 5 events
    .venv/bin/python bench/webhook_deliveries.py --postgres --orders 200 --concurrency 8

Setup (not timed): a fresh database (a temporary SQLite file, or with ``--postgres`` a new
database on the server of env OMS_TEST_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/postgres, dropped at the end), ``--orders`` guest
orders placed through GraphQL (in-process), one endpoint subscribed to "*", then
``--events`` timeline events per order written with ``record_event`` (each queues its
``order.event`` job). Timed: one worker (``Worker.run_once`` in a loop, ``--concurrency``
jobs at a time) from the first claim until every delivery is SUCCEEDED: the
``order.event`` jobs create the deliveries, the ``webhook.deliver`` jobs sign and POST
them (one new HTTP connection each, the SSRF guard's lookup included). Checked: one
request per delivery, every order's events received in order.
See docs/performance.md ("Outbound webhooks").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.* when run as a script

import httpx  # noqa: E402
from tortoise import Tortoise  # noqa: E402

from oms.app import create_app  # noqa: E402
from oms.config import Settings  # noqa: E402
from oms.jobs.registry import JobRegistry  # noqa: E402
from oms.jobs.worker import Worker  # noqa: E402
from oms.orders.events import record_event  # noqa: E402
from oms.orders.models import Order, OrderEvent  # noqa: E402
from oms.testing import (  # noqa: E402
    GraphQLClient,
    create_postgres_database,
    drop_postgres_database,
    make_product,
    place_paid_order,
    test_database_url,
)
from oms.webhooks import services as webhooks  # noqa: E402
from oms.webhooks.models import DeliveryStatus, WebhookDelivery  # noqa: E402
from tests.webhook_receiver import Receiver  # noqa: E402

EVENT_TYPES = ("order.paid", "shipment.created", "shipment.delivered", "order.completed", "email.sent")


async def run(args: argparse.Namespace) -> None:
    base = test_database_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    tmp = tempfile.TemporaryDirectory()
    url = await create_postgres_database(base) if args.postgres else f"sqlite://{tmp.name}/bench.sqlite3"
    settings = Settings(
        database_url=url, secret_key="bench-" + "x" * 40, media_root=f"{tmp.name}/media",
        mail_dir=f"{tmp.name}/maildir", seed_demo=False, run_worker=False, webhooks_allow_private=True,
        job_concurrency=args.concurrency, log_level="warning",
    )
    receiver = Receiver().start()
    try:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            await Tortoise.generate_schemas()
            await measure(app, settings, receiver, args)
    finally:
        receiver.stop()
        if args.postgres:
            await drop_postgres_database(base, url)
        tmp.cleanup()


async def measure(app, settings: Settings, receiver: Receiver, args: argparse.Namespace) -> None:
    await make_product(app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://oms.bench") as http:
        graphql = GraphQLClient(http)
        for _ in range(args.orders):
            await place_paid_order(app, graphql, [("EBOOK", 1)], pay=False, key=uuid.uuid4().hex)
    registry = JobRegistry.build(app.state.plugins, settings, gateway=getattr(app.state, "gateway", None))
    worker = Worker.from_settings(registry, settings)
    while await worker.run_once():  # the orders' own jobs, before any endpoint exists
        pass
    await webhooks.create_endpoint(url=receiver.url, events=["*"], description="bench", actor="bench",
                                   allow_private=True)
    before = await OrderEvent.all().order_by("-id").first()
    for order in await Order.all():
        for event_type in EVENT_TYPES[: args.events]:
            await record_event(order, event_type, f"bench {event_type}", actor="bench")

    started = time.perf_counter()
    while await worker.run_once():
        pass
    elapsed = time.perf_counter() - started
    # Every event written since the endpoint exists: the bench's own, and those their jobs
    # write (an order.paid mail adds its email.sent event), each to be delivered once.
    expected = await OrderEvent.filter(id__gt=before.id if before else 0).count()

    succeeded = await WebhookDelivery.filter(status=DeliveryStatus.SUCCEEDED).count()
    by_order: dict[int, list[int]] = {}
    for message in receiver.messages():
        by_order.setdefault(message["data"]["order_id"], []).append(message["data"]["event_id"])
    in_order = all(ids == sorted(ids) for ids in by_order.values())
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {'postgres' if args.postgres else 'sqlite'}, worker concurrency {args.concurrency}, "
          f"load average {load}")
    print(f"deliveries: {succeeded}/{expected} SUCCEEDED, {len(receiver.received)} requests received, "
          f"in order per order: {in_order}")
    print(f"time: {elapsed:.2f} s -> {succeeded / elapsed:.0f} deliveries/s "
          f"({args.orders} orders x {args.events} events, and {expected - args.orders * args.events} "
          "that their jobs wrote)")
    if succeeded != expected or len(receiver.received) != expected or not in_order:
        raise SystemExit("FAILED: not every event was delivered once and in order")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--events", type=int, default=5, choices=range(1, len(EVENT_TYPES) + 1))
    parser.add_argument("--concurrency", type=int, default=4, help="jobs a worker runs at a time")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
