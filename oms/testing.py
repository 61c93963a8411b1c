"""pytest fixtures for oms and for plugin authors.

Installed as a pytest plugin (entry point ``pytest11``), so a plugin package's tests can
use them directly::

    async def test_my_type_is_registered(oms_graphql):
        data = await oms_graphql.query("{ productTypes { name } }")
        assert "tickets" in [t["name"] for t in data["productTypes"]]

Each test gets a brand-new database: a temporary SQLite file, or a fresh PostgreSQL
database when ``OMS_TEST_DATABASE_URL`` is set (created before and dropped after the test).
``oms_app`` fills it from a schema template made once per session (oms.testing_templates)
while it is still empty. To test a plugin that is not installed, override ``oms_extra_plugins``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import pytest_asyncio

TEST_DATABASE_ENV = "OMS_TEST_DATABASE_URL"


def test_database_url() -> str | None:
    """The PostgreSQL server to create test databases on, or None for SQLite."""
    url = os.environ.get(TEST_DATABASE_ENV) or None
    if url and not url.startswith(("postgres://", "postgresql://")):
        return None
    return url


def test_database_prefix() -> str:
    """How the test databases on PostgreSQL are named: ``OMS_TEST_DATABASE_PREFIX`` (default
    ``oms_test``) then ``_`` and a random suffix, e.g. to tell apart the databases of two
    projects, or two CI jobs, on one server."""
    prefix = os.environ.get("OMS_TEST_DATABASE_PREFIX") or "oms_test"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", prefix):
        raise ValueError(f"OMS_TEST_DATABASE_PREFIX={prefix!r}: use lower-case letters, digits and _ (at most 41)")
    return prefix


async def expire_order(oms_app: Any, order_id: int) -> int:
    """Make an unpaid order's payment deadline pass and run the expiry job, as the worker
    would once ``OMS_PAYMENT_TIMEOUT_SECONDS`` are over: the order is EXPIRED, its stock and
    holds are released (your ``oms_reverse`` is called with ``"expired"``). Returns how many
    orders expired (0 when the order was paid or is gone)."""
    import datetime as dt

    from oms.orders.expiry import expire_unpaid_orders
    from oms.orders.models import Order

    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    await Order.filter(id=order_id).update(payment_due_at=past)
    return await expire_unpaid_orders(
        timeout_seconds=oms_app.state.settings.payment_timeout_seconds, plugins=oms_app.state.plugins
    )


async def _line_of(line: Any):
    from oms.orders.models import OrderLine

    return line if isinstance(line, OrderLine) else await OrderLine.get(id=int(line))


async def return_policy(oms_app: Any, line: Any, quantity: int | None = None) -> str | None:
    """Ask the plugin owning ``line``'s type whether ``quantity`` units of it (default: all)
    may be returned now, as ``requestReturn`` does: its ``oms_return_policy`` is called in
    a transaction holding the order's lock. ``line`` is an ``OrderLine`` or its id.
    Returns None (allowed; also when the plugin has no policy) or the refusal the customer
    would read."""
    from tortoise.transactions import in_transaction

    from oms.orders.models import Order

    row = await _line_of(line)
    plugins = oms_app.state.plugins
    if plugins.get_type(row.product_type) is None or not plugins.owner_implements(
        "oms_return_policy", row.product_type
    ):
        return None
    async with in_transaction():
        order = await Order.select_for_update().get(id=row.order_id)
        return await plugins.call_owner(
            "oms_return_policy",
            row.product_type,
            order=order,
            line=row,
            quantity=row.quantity if quantity is None else quantity,
        )


async def reverse(
    oms_app: Any,
    order: Any,
    lines: Sequence[Any] | None = None,
    reason: str = "returned",
    quantities: dict[int, int] | None = None,
) -> None:
    """Reverse delivery of ``lines`` of ``order`` (default: all of them) as a cancellation
    (``reason="canceled"``), expiry or approved return (``"returned"``) does: one
    transaction, the order locked first, each type's ``oms_reverse`` called with
    ``quantities`` (units by line id; default every unit of each line). ``order`` is an
    ``Order`` or its id; ``lines`` ``OrderLine`` rows or ids. A ``DomainError`` raised by
    the plugin comes out of here, and nothing is written."""
    from tortoise.transactions import in_transaction

    from oms.orders.models import Order, OrderLine
    from oms.orders.services import reverse_lines

    order_id = order.id if isinstance(order, Order) else int(order)
    async with in_transaction():
        locked = await Order.select_for_update().get(id=order_id)
        if lines is None:
            rows = await OrderLine.filter(order_id=order_id).order_by("id")
        else:
            rows = [await _line_of(line) for line in lines]
        await reverse_lines(locked, rows, reason, oms_app.state.plugins, quantities=quantities)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def new_postgres_database_url(base_url: str) -> str:
    """The URL of a database next to ``base_url``'s with a new name (not created)."""
    return _with_database(base_url, f"{test_database_prefix()}_{uuid.uuid4().hex[:16]}")


async def create_postgres_database(base_url: str) -> str:
    """Create an empty database next to ``base_url``'s and return its URL."""
    import asyncpg

    url = new_postgres_database_url(base_url)
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(base_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url


async def drop_postgres_database(base_url: str, url: str) -> None:
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(base_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class GraphQLClient:
    """Posts GraphQL to the app under test; ``query`` fails the test on top-level errors."""

    def __init__(self, http: Any):
        self.http = http
        self.token: str | None = None

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The whole response body (``data`` and maybe ``errors``); asserts HTTP 200."""
        token = token if token is not None else self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """``data`` of a response that must have no top-level errors."""
        body = await self.execute(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def as_(self, token: str | None) -> GraphQLClient:
        """A client that sends ``token`` (None: anonymous) with every request."""
        other = GraphQLClient(self.http)
        other.token = token
        return other


@pytest.fixture
def oms_extra_plugins() -> Sequence[object]:
    """Plugin objects registered on top of the installed ones; override to add yours."""
    return ()


@pytest_asyncio.fixture
async def oms_database_url(tmp_path, oms_schema_templates) -> AsyncIterator[str]:
    """A brand-new database: a SQLite file not written yet, or an empty PostgreSQL database
    (dropped after the test) when ``OMS_TEST_DATABASE_URL`` is set."""
    base = test_database_url()
    if base is None:
        yield f"sqlite://{tmp_path / 'oms-test.sqlite3'}"
        return
    if oms_schema_templates is None:
        url = await create_postgres_database(base)
    else:
        url = await oms_schema_templates.empty_database(base)
    try:
        yield url
    finally:
        await drop_postgres_database(base, url)


@pytest.fixture
def oms_settings(oms_database_url, tmp_path):
    from oms.config import Settings

    return Settings(
        database_url=oms_database_url,
        secret_key="test-secret-" + "x" * 32,
        media_root=str(tmp_path / "media"),
        mail_dir=str(tmp_path / "maildir"),
        seed_demo=False,
        # Tests run jobs explicitly (oms.jobs.worker.Worker.run_once); override this
        # fixture with run_worker=True for a background worker in the app.
        run_worker=False,
    )


def hand_written_postgres_indexes() -> tuple[str, ...]:
    """The PostgreSQL indexes the migrations write by hand because no model can express
    them: the search's ``varchar_pattern_ops`` and the sales report's ``INCLUDE`` indexes."""
    from oms.orders.search import POSTGRES_INDEXES
    from oms.reports.sql import REPORT_INDEXES

    return POSTGRES_INDEXES + REPORT_INDEXES


@pytest.fixture(scope="session")
def oms_schema_templates() -> Iterator[Any]:
    """The session's schema templates (:mod:`oms.testing_templates`), dropped at its end;
    ``OMS_TEST_SCHEMA_TEMPLATES=0`` turns them off (each test's ``generate_schemas`` again)."""
    from oms.testing_templates import SchemaTemplates

    if os.environ.get("OMS_TEST_SCHEMA_TEMPLATES", "1") == "0":
        yield None
        return
    templates = SchemaTemplates()
    try:
        yield templates
    finally:
        if templates.names():
            asyncio.run(templates.drop_all())


@pytest_asyncio.fixture
async def oms_app(oms_settings, oms_extra_plugins, oms_schema_templates):
    """The app with its lifespan running on a fresh database (schema from the models).

    The schema is copied from a template made once per session (and per set of model
    modules) when the database is still empty; otherwise ``generate_schemas`` makes it."""
    from tortoise import Tortoise

    from oms.app import create_app
    from oms.db import model_modules
    from oms.plugins import plugin_model_modules

    app = create_app(oms_settings, extra_plugins=oms_extra_plugins)
    # As the migrations make them: indexes no model can express.
    extra = hand_written_postgres_indexes() if oms_settings.is_postgres else ()
    copied = oms_schema_templates is not None and await oms_schema_templates.fill(
        oms_settings, model_modules(plugin_model_modules(app.state.plugins)), extra
    )
    async with app.router.lifespan_context(app):
        if not copied:
            await Tortoise.generate_schemas()
            connection = Tortoise.get_connection("default")
            for statement in extra:
                await connection.execute_script(statement)
        yield app


@pytest_asyncio.fixture
async def oms_http(oms_app):
    import httpx

    transport = httpx.ASGITransport(app=oms_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://oms.test") as client:
        yield client


@pytest.fixture
def oms_graphql(oms_http) -> GraphQLClient:
    return GraphQLClient(oms_http)


@dataclasses.dataclass
class Accounts:
    """Tokens for the usual actors of a test."""

    staff: str
    customer: str
    other_customer: str


@pytest_asyncio.fixture
async def oms_accounts(oms_app) -> Accounts:
    """A superuser staff member and two customers, with bearer tokens."""
    from oms.accounts import services as accounts
    from oms.accounts.permissions import Viewer

    settings = oms_app.state.settings

    async def token(viewer: Viewer) -> str:
        return await accounts.issue_token(viewer, secret=settings.secret_key, ttl_seconds=3600)

    staff = await accounts.create_staff(email="staff@example.com", password="staff-pass-1", superuser=True)
    alice = await accounts.register_customer(email="alice@example.com", password="alice-pass-1")
    bob = await accounts.register_customer(email="bob@example.com", password="bob-pass-12")
    return Accounts(
        staff=await token(Viewer(staff=staff)),
        customer=await token(Viewer(customer=alice)),
        other_customer=await token(Viewer(customer=bob)),
    )


async def make_product(
    oms_app,
    *,
    product_type: str,
    sku: str,
    price: str = "10.00",
    attributes: dict[str, Any] | None = None,
    name: str | None = None,
    stock: int | None = None,
):
    """Create a product of ``product_type`` with one variant (and stock, if tracked)."""
    from oms.catalog import services as catalog

    settings = oms_app.state.settings
    product = await catalog.create_product(
        catalog.ProductData(
            name=name or f"Product {sku}",
            product_type=product_type,
            variants=[catalog.VariantData(sku=sku, price=Decimal(price), attributes=attributes or {})],
        ),
        plugins=oms_app.state.plugins,
        currency=settings.currency,
    )
    if stock is not None:
        await catalog.set_stock(sku=sku, quantity=stock, warehouse_code=None, plugins=oms_app.state.plugins)
    return product


TEST_ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical St",
    "city": "London",
    "postalCode": "N1 9GU",
    "country": "GB",
}

_PLACE_ORDER = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number status lines { id sku productType quantity status } }
    orderToken
    userErrors { field code message }
  }
}
"""


async def place_paid_order(
    oms_app,
    graphql,
    lines: Sequence[tuple[str, int] | dict[str, Any]],
    *,
    email: str = "buyer@example.com",
    shipping_address: dict[str, Any] | None = None,
    shipping_method: str | None = None,
    pay: bool = True,
    key: str | None = None,
) -> dict[str, Any]:
    """Place an order through GraphQL (as whoever ``graphql`` is signed in as), then, unless
    ``pay`` is false, mark it paid and run the jobs (its deliveries included).

    ``lines`` are ``(sku, quantity)`` pairs or whole ``CartLineInput`` dicts (with
    ``options``). A shipping address (:data:`TEST_ADDRESS` by default) is sent whenever a
    shipping method is. Returns ``{"order": {...}, "orderToken": ...}`` as placed (lines
    have ``id``, ``sku``, ``productType``, ``quantity``).
    """
    from oms.orders.models import Order
    from oms.payments.services import mark_order_paid

    cart_lines = [line if isinstance(line, dict) else {"sku": line[0], "quantity": line[1]} for line in lines]
    data: dict[str, Any] = {
        "lines": cart_lines,
        "email": email,
        "idempotencyKey": key or uuid.uuid4().hex,
    }
    if shipping_method is not None:
        data["shippingMethod"] = shipping_method
        data["shippingAddress"] = shipping_address or TEST_ADDRESS
    placed = (await graphql.query(_PLACE_ORDER, {"input": data}))["placeOrder"]
    assert placed["userErrors"] == [], placed["userErrors"]
    if pay:
        order = await Order.get(number=placed["order"]["number"])
        await mark_order_paid(order, reference=None, actor="staff@example.com")
        await run_jobs(oms_app)
    return placed


async def refund_paid_order(
    oms_app,
    order_id: int,
    amount: str,
    *,
    reason: str = "test refund",
    reference: str | None = None,
    actor: str = "staff@example.com",
) -> list[Any]:
    """Refund ``amount`` (a decimal string, in the order's currency) of a paid order as staff
    do with ``refundOrder``, then run the jobs (the gateway's refund, the ``refund.*``
    timeline events your ``oms_order_event`` sees). Returns the order's Refund rows,
    oldest first. A refused refund raises :class:`oms.errors.DomainError`
    (``REFUND_EXCEEDS_PAID``, ``INVALID``)."""
    from oms.payments.models import Refund
    from oms.payments.refunds import refund_order

    await refund_order(order_id, Decimal(amount), reason=reason, actor=actor, reference=reference)
    await run_jobs(oms_app)
    return await Refund.filter(order_id=order_id).order_by("id")


# A helper, not a test, wherever it is imported (pytest reads the attribute; mypy knows no such one).
test_database_url.__test__ = False  # type: ignore[attr-defined]


async def run_jobs(oms_app, *, rounds: int = 20) -> int:
    """Run the outbox until it is empty, as the worker of ``oms serve`` would; the number
    of jobs run. Fails when jobs keep coming after ``rounds`` batches."""
    from oms.jobs.registry import JobRegistry
    from oms.jobs.worker import Worker

    registry = JobRegistry.build(
        oms_app.state.plugins, oms_app.state.settings, gateway=getattr(oms_app.state, "gateway", None)
    )
    worker = Worker(registry)
    total = 0
    for _ in range(rounds):
        ran = await worker.run_once()
        if not ran:
            return total
        total += ran
    raise AssertionError(f"jobs keep coming after {rounds} batches")


@pytest.fixture
def fake_stripe():
    """A local fake of Stripe's HTTP API on a loopback port (see :mod:`oms.fake_stripe`)."""
    import stripe

    from oms.fake_stripe import FakeStripe

    telemetry = stripe.enable_telemetry
    stripe.enable_telemetry = False  # no telemetry file or headers from tests
    try:
        with FakeStripe() as fake:
            yield fake
    finally:
        stripe.enable_telemetry = telemetry
