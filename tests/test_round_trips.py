"""What placement sends to PostgreSQL (issue 15): no pool reset after a statement, one
conditional UPDATE per stock line, the order number in the order's INSERT."""

from __future__ import annotations

import contextlib
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


async def test_placement_sends_no_reset_one_update_per_stock_line_and_no_number_update(oms_app, oms_graphql):
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
    assert not [s for s in flat if s.startswith('UPDATE "order"')]
    assert len([s for s in flat if s.startswith("UPDATE stock")]) == 2
    assert not [s for s in flat if s.startswith("SELECT s.id FROM stock")]
    order = await Order.get(number=payload["order"]["number"])
    assert order.number == str(1000 + order.id)
    assert [line.warehouse_id is not None for line in await order.lines.all()] == [True, True]
