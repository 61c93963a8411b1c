"""Placement with several warehouses: each stock-tracked line is reserved whole from the
first warehouse by (priority, id) that can fill it, the line records that warehouse, and
cancelling gives the units back there."""

from __future__ import annotations

import uuid

import pytest

from oms.inventory import services as inventory
from oms.inventory.models import Stock, Warehouse
from oms.orders.models import OrderLine
from oms.testing import make_product
from tests.conftest import ADDRESS

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } orderToken userErrors { field code message } }
}
"""
CANCEL = """
mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code message } } }
"""


@pytest.fixture
async def shelves(oms_app):
    """MUG in three warehouses: default 5 units (priority 0), near 3 (priority -1), far 20 (priority 9)."""
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    near = await Warehouse.create(code="near", name="Near", priority=-1)
    far = await Warehouse.create(code="far", name="Far", priority=9)
    await inventory.set_stock((await Stock.get(warehouse__code="default")).variant_id, 3, "near", sku="MUG")
    await inventory.set_stock((await Stock.get(warehouse__code="default")).variant_id, 20, "far", sku="MUG")
    return {"near": near.id, "far": far.id, "default": (await Warehouse.get(code="default")).id}


async def _place(graphql, quantity: int) -> dict:
    return (await graphql.query(PLACE, {"input": {
        "lines": [{"sku": "MUG", "quantity": quantity}], "email": "buyer@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}))["placeOrder"]


async def _levels() -> dict[str, tuple[int, int]]:
    return {s.warehouse.code: (s.quantity, s.reserved) for s in await Stock.all().select_related("warehouse")}


async def _line_warehouse(placed: dict) -> int | None:
    line = await OrderLine.get(order__number=placed["order"]["number"])
    return line.warehouse_id


async def test_lines_come_from_the_first_warehouse_by_priority_that_can_fill_them(oms_graphql, shelves):
    first = await _place(oms_graphql, 2)  # near (priority -1) has 3
    second = await _place(oms_graphql, 2)  # near has 1 left: the default (priority 0) has 5
    third = await _place(oms_graphql, 6)  # only far (priority 9) has 6
    fourth = await _place(oms_graphql, 1)  # near's last unit

    assert [await _line_warehouse(p) for p in (first, second, third, fourth)] == [
        shelves["near"], shelves["default"], shelves["far"], shelves["near"]
    ]
    assert await _levels() == {"near": (3, 3), "default": (5, 2), "far": (20, 6)}


async def test_a_line_is_never_split_between_warehouses(oms_graphql, shelves):
    # 28 units in all, but no single warehouse holds 21.
    refused = await _place(oms_graphql, 21)

    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("OUT_OF_STOCK", ["lines", "0", "quantity"])]
    assert await _levels() == {"near": (3, 0), "default": (5, 0), "far": (20, 0)}


async def test_a_tie_in_priority_goes_to_the_older_warehouse(oms_graphql, shelves):
    await Warehouse.filter(code="far").update(priority=0)
    placed = await _place(oms_graphql, 4)  # near cannot; default and far tie: default is older

    assert await _line_warehouse(placed) == shelves["default"]


async def test_cancelling_gives_the_units_back_to_their_warehouse(oms_graphql, oms_accounts, shelves):
    placed = await _place(oms_graphql, 6)
    assert await _levels() == {"near": (3, 0), "default": (5, 0), "far": (20, 6)}

    data = (await oms_graphql.as_(oms_accounts.staff).query(CANCEL, {"id": placed["order"]["id"]}))["cancelOrder"]

    assert data["userErrors"] == []
    assert await _levels() == {"near": (3, 0), "default": (5, 0), "far": (20, 0)}
