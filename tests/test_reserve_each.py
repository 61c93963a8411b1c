"""``inventory.reserve_each``: several lines reserved one after the other by ``reserve``'s
rule (first warehouse by priority, then id, that holds the whole line). On PostgreSQL lines
of distinct variants take one statement; its answers and stock levels must be those of the
line-by-line path."""

from __future__ import annotations

import uuid

import pytest
from tortoise.transactions import in_transaction

from oms.inventory import services as inventory
from oms.inventory.models import Stock, Warehouse
from oms.testing import make_product
from tests.conftest import ADDRESS

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number } userErrors { field code message } }
}
"""


class _RolledBack(Exception):
    pass


@pytest.fixture
async def shelves(oms_app):
    """MUG: default 5 (priority 0), near 3 (priority -1), far 20 (priority 9); CUP: default 2,
    far 4; PLATE: default 1."""
    for sku, units in (("MUG", 5), ("CUP", 2), ("PLATE", 1)):
        await make_product(oms_app, product_type="physical", sku=sku, attributes={"weight_grams": 300}, stock=units)
    await Warehouse.create(code="near", name="Near", priority=-1)
    await Warehouse.create(code="far", name="Far", priority=9)
    ids = {s.variant.sku: s.variant_id for s in await Stock.all().select_related("variant")}
    await inventory.set_stock(ids["MUG"], 3, "near", sku="MUG")
    await inventory.set_stock(ids["MUG"], 20, "far", sku="MUG")
    await inventory.set_stock(ids["CUP"], 4, "far", sku="CUP")
    return ids


async def _levels() -> dict[tuple[str, str], tuple[int, int]]:
    rows = await Stock.all().select_related("warehouse", "variant")
    return {(s.variant.sku, s.warehouse.code): (s.quantity, s.reserved) for s in rows}


async def _codes(ids: dict[str, int], taken: list[int | None]) -> list[str | None]:
    codes = {w.id: w.code for w in await Warehouse.all()}
    return [codes[w] if w is not None else None for w in taken]


async def _both_ways(ids, wanted: list[tuple[str, int]]):
    """(warehouses, levels) line by line (rolled back), then by reserve_each (kept)."""
    pairs = [(ids[sku], n) for sku, n in wanted]
    try:
        async with in_transaction():
            one_by_one = []
            for variant_id, n in pairs:
                one_by_one.append(await inventory.reserve(variant_id, n))
                if one_by_one[-1] is None:
                    break
            one_by_one += [None] * (len(pairs) - len(one_by_one))
            levels_one_by_one = await _levels()
            raise _RolledBack
    except _RolledBack:
        pass
    async with in_transaction():
        together = await inventory.reserve_each(pairs)
        levels_together = await _levels()
    return (await _codes(ids, one_by_one), levels_one_by_one), (await _codes(ids, together), levels_together)


@pytest.mark.parametrize(
    "wanted, expected",
    [
        ([("MUG", 2), ("CUP", 1)], ["near", "default"]),
        ([("CUP", 3), ("MUG", 4)], ["far", "default"]),
        ([("MUG", 6), ("CUP", 2), ("PLATE", 1)], ["far", "default", "default"]),
        ([("MUG", 3), ("MUG", 3)], ["near", "default"]),  # a variant twice: the second sees the first
    ],
)
async def test_reserve_each_answers_and_reserves_as_line_by_line(shelves, wanted, expected):
    (by_line, levels_by_line), (together, levels_together) = await _both_ways(shelves, wanted)

    assert together == by_line == expected
    assert levels_together == levels_by_line


async def test_a_line_no_warehouse_can_fill_is_none(shelves):
    async with in_transaction():
        taken = await inventory.reserve_each([(shelves["MUG"], 1), (shelves["CUP"], 5)])

    assert taken[0] is not None and taken[1] is None


async def test_placement_refuses_the_line_out_of_stock_and_keeps_nothing(oms_graphql, shelves):
    before = await _levels()
    refused = (await oms_graphql.query(PLACE, {"input": {
        "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "CUP", "quantity": 5}, {"sku": "PLATE", "quantity": 1}],
        "email": "buyer@example.com", "shippingAddress": ADDRESS, "shippingMethod": "standard",
        "idempotencyKey": uuid.uuid4().hex,
    }}))["placeOrder"]

    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("OUT_OF_STOCK", ["lines", "1", "quantity"])]
    assert await _levels() == before
