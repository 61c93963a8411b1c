"""SQL statements of one orders page whose fulfillments have plugin details.

An orders page of N orders, each with a shipped physical fulfillment (a Shipment) and a
digital one, read as staff with every fulfillment's ``details``. Prints the statements of
the request for N = 10 and 100, with the details batched (``from_fulfillments``, the
default) and, for comparison, one query per fulfillment (``from_fulfillment``).

    .venv/bin/python bench/details_statements.py            # SQLite, a temporary file
    OMS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/details_statements.py        # PostgreSQL, its own database
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import httpx
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oms.accounts import services as accounts  # noqa: E402
from oms.accounts.permissions import Viewer  # noqa: E402
from oms.app import create_app  # noqa: E402
from oms.config import Settings  # noqa: E402
from oms.fulfillment.models import Fulfillment  # noqa: E402
from oms.orders.models import Order  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database, test_database_url  # noqa: E402
from oms_consultation.graphql import Booking  # noqa: E402
from oms_digital.graphql import DigitalDelivery  # noqa: E402
from oms_physical.graphql import Shipment as ShipmentType  # noqa: E402
from oms_physical.models import Shipment  # noqa: E402
from oms_subscription.graphql import SubscriptionActivation  # noqa: E402

PAGE = """{ orders(first: 100) { edges { node { number fulfillments { details { __typename
  ... on Shipment { trackingNumber } ... on DigitalDelivery { downloads { fileName } } } } } } } }"""
DETAIL_TYPES = (ShipmentType, DigitalDelivery, SubscriptionActivation, Booking)


class Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args[0], str):  # a statement, not a connection message
            self.statements += 1


async def one(batch, fulfillment):
    return (await batch([fulfillment]))[0]


@contextlib.contextmanager
def per_row():
    """Hide the batch classmethods: the details resolve one fulfillment at a time (as
    before from_fulfillments), through the same queries."""
    saved = {cls: (cls.__dict__["from_fulfillments"], cls.__dict__["from_fulfillment"]) for cls in DETAIL_TYPES}
    for cls in DETAIL_TYPES:
        cls.from_fulfillment = staticmethod(lambda row, batch=cls.from_fulfillments: one(batch, row))
        cls.from_fulfillments = None
    try:
        yield
    finally:
        for cls, (batch, single) in saved.items():
            cls.from_fulfillments, cls.from_fulfillment = batch, single


async def add_orders(count: int) -> None:
    for _ in range(count):
        order = await Order.create(
            token=uuid.uuid4().hex, email="buyer@example.com", currency="USD", subtotal=Decimal("1.00"),
            shipping_total=Decimal("0.00"), total=Decimal("1.00"), idempotency_key=uuid.uuid4().hex,
            cart_fingerprint="x",
        )
        order.number = str(1000 + order.id)
        await order.save(update_fields=["number"])
        shipped = await Fulfillment.create(order=order, product_type="physical")
        await Shipment.create(fulfillment=shipped, carrier="manual", carrier_name="Manual", tracking_number="T1")
        await Fulfillment.create(order=order, product_type="digital")


async def statements(http: httpx.AsyncClient, token: str) -> int:
    logger = logging.getLogger("tortoise.db_client")
    counter = Count()
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # count, don't print
    try:
        response = await http.post("/graphql", json={"query": PAGE}, headers={"Authorization": f"Bearer {token}"})
    finally:
        logger.removeHandler(counter)
        logger.propagate = True
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"][0])
    return counter.statements


async def run(url: str, label: str) -> None:
    settings = Settings(database_url=url, secret_key="bench-" + "x" * 32, seed_demo=False, run_worker=False,
                        rate_limits=False)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        staff = await accounts.create_staff(email="bench@example.com", password="bench-pass-1", superuser=True)
        token = await accounts.issue_token(Viewer(staff=staff), secret=settings.secret_key, ttl_seconds=600)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://oms.bench") as http:
            done = 0
            for orders in (10, 100):
                await add_orders(orders - done)
                done = orders
                batched = await statements(http, token)
                with per_row():
                    rowwise = await statements(http, token)
                print(f"{label}: {orders} orders, {2 * orders} fulfillments: {batched} statements batched, "
                      f"{rowwise} one query per fulfillment")


async def main() -> None:
    base = test_database_url()
    if base is None:
        with tempfile.TemporaryDirectory() as folder:
            await run(f"sqlite://{folder}/bench.sqlite3", "SQLite")
        return
    url = await create_postgres_database(base)
    try:
        await run(url, "PostgreSQL")
    finally:
        await drop_postgres_database(base, url)


if __name__ == "__main__":
    asyncio.run(main())
