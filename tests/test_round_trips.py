"""What placement sends to PostgreSQL (issue 15): no pool reset after a statement, one
conditional UPDATE per stock line, the order number in the order's INSERT."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from oms.orders.models import Order
from oms.testing import make_product, test_database_url
from tests.conftest import ADDRESS

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="round trips to PostgreSQL only")

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } userErrors { field code message } }
}
"""


@contextlib.contextmanager
def sent() -> Iterator[list[str]]:
    """Every statement asyncpg sends while the block runs (the pool's reset included)."""
    statements: list[str] = []
    conn_class = asyncpg.connection.Connection
    execute, _execute, executemany = conn_class.execute, conn_class._execute, conn_class.executemany

    async def tap_execute(self, query, *args, **kwargs):
        if not args:  # with arguments it goes through _execute
            statements.append(query)
        return await execute(self, query, *args, **kwargs)

    async def tap__execute(self, query, *args, **kwargs):
        statements.append(query)
        return await _execute(self, query, *args, **kwargs)

    async def tap_executemany(self, command, args, **kwargs):
        statements.append(command)
        return await executemany(self, command, args, **kwargs)

    conn_class.execute, conn_class._execute, conn_class.executemany = tap_execute, tap__execute, tap_executemany
    try:
        yield statements
    finally:
        conn_class.execute, conn_class._execute, conn_class.executemany = execute, _execute, executemany


async def test_placement_sends_no_reset_one_reservation_statement_and_no_number_update(oms_app, oms_graphql):
    for sku in ("MUG", "CUP"):
        await make_product(oms_app, product_type="physical", sku=sku, attributes={"weight_grams": 300}, stock=5)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "CUP", "quantity": 1}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}
    with sent() as statements:
        payload = (await oms_graphql.query(PLACE, variables))["placeOrder"]
    assert payload["userErrors"] == []
    flat = [" ".join(s.split()) for s in statements]
    assert not [s for s in flat if "pg_advisory_unlock_all" in s]
    # The key (and the id) with the cart's variants, the zones with the tax rates, BEGIN,
    # one reservation statement for every stock line, the order's one INSERT (lines,
    # event, job, notification), COMMIT.
    assert len(flat) == 6, flat
    assert not [s for s in flat if s.startswith('UPDATE "order"')]
    assert len([s for s in flat if "UPDATE stock SET reserved" in s]) == 1
    assert not [s for s in flat if s.startswith("SELECT s.id FROM stock")]
    order = await Order.get(number=payload["order"]["number"])
    assert order.number == str(1000 + order.id)
    assert [line.warehouse_id is not None for line in await order.lines.all()] == [True, True]


async def test_placement_in_one_statement_stores_what_the_orm_stores(oms_app, oms_graphql, monkeypatch):
    """Placement's single INSERT (order, lines, event, job: oms.orders.placed) writes the
    rows the ORM's statements write (the path SQLite takes), column for column."""
    from decimal import Decimal

    from tortoise import connections

    from oms.orders import numbers, services
    from oms.taxes.rates import TaxRateData, create_tax_rate

    await create_tax_rate(TaxRateData(name="VAT", country="GB", region=None, tax_class=None, rate=Decimal("20")))
    for sku in ("MUG", "CUP"):
        await make_product(oms_app, product_type="physical", sku=sku, attributes={"weight_grams": 300}, stock=5)

    async def place() -> int:
        variables = {"input": {
            "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "CUP", "quantity": 1}], "email": "ada@example.com",
            "shippingAddress": ADDRESS, "billingAddress": {**ADDRESS, "name": "Ada King"},
            "shippingMethod": "standard", "note": "Gift wrap", "idempotencyKey": uuid.uuid4().hex,
        }}
        payload = (await oms_graphql.query(PLACE, variables))["placeOrder"]
        assert payload["userErrors"] == []
        return int(payload["order"]["number"]) - 1000

    one_statement = await place()
    real_lookup = numbers.order_by_key_and_variants

    looked_up = []

    async def orm_path(key, skus):  # no id taken ahead: the ORM's INSERT, UPDATE and bulk INSERT
        looked_up.append(key)
        existing, _, variants = await real_lookup(key, skus)
        return existing, None, variants

    monkeypatch.setattr(services.numbers, "order_by_key_and_variants", orm_path)
    by_orm = await place()
    assert len(looked_up) == 1  # placement took the ORM's path

    conn = connections.get("default")

    async def rows(sql: str, order_id: int, skip: set[str]) -> list[dict]:
        found = await conn.execute_query_dict(sql, [order_id])
        return [{k: v for k, v in row.items() if k not in skip} for row in found]

    unique = {"id", "number", "token", "idempotency_key", "cart_fingerprint", "created_at", "updated_at", "order_id"}
    order_sql = 'SELECT * FROM "order" WHERE id = $1'
    assert await rows(order_sql, one_statement, unique) == await rows(order_sql, by_orm, unique)
    lines_sql = "SELECT * FROM order_line WHERE order_id = $1 ORDER BY id"
    placed_lines = await rows(lines_sql, one_statement, {"id", "order_id"})
    assert [line["position"] for line in placed_lines] == [0, 1]  # ids follow the positions
    assert placed_lines == await rows(lines_sql, by_orm, {"id", "order_id"})
    event_sql = "SELECT * FROM order_event WHERE order_id = $1 ORDER BY id"
    placed_events = await rows(event_sql, one_statement, {"id", "order_id", "created_at", "message"})
    assert placed_events == await rows(event_sql, by_orm, {"id", "order_id", "created_at", "message"})
    jobs_sql = "SELECT kind, payload, status, attempts, max_attempts FROM job WHERE (payload->>'order_id')::int = $1"
    placed_jobs = await rows(jobs_sql, one_statement, set())
    orm_jobs = await rows(jobs_sql, by_orm, set())
    assert [job["kind"] for job in placed_jobs] == ["order.event"]
    for job in (*placed_jobs, *orm_jobs):
        job["payload"] = {k: v for k, v in json.loads(job["payload"]).items() if k not in ("order_id", "event_id")}
    assert placed_jobs == orm_jobs
    order = await Order.get(id=one_statement)
    assert order.number == str(1000 + one_statement) and order.created_at.tzinfo is not None
