"""Placement's first read (``numbers.order_by_key_and_variants``): the idempotency key's
order or the next id, and on PostgreSQL the cart's variants in the same statement, the
models ``variants_by_sku`` makes."""

from __future__ import annotations

import uuid

import pytest
from tortoise.connection import get_connection

from oms.catalog.models import Variant
from oms.orders import numbers
from oms.orders.models import Order
from oms.orders.variants import variants_by_sku
from oms.testing import make_product
from tests.conftest import ADDRESS
from tests.test_variants_by_sku import state

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number } userErrors { field code message } }
}
"""


@pytest.fixture
async def catalog(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", attributes={"weight_grams": 350}, stock=5)
    await make_product(oms_app, product_type="physical", sku="CUP", price="4.00", attributes={"weight_grams": 200}, stock=5)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})


def _postgres() -> bool:
    return get_connection("default").capabilities.dialect == "postgres"


async def test_a_new_key_gives_the_next_id_and_the_variants_variants_by_sku_gives(catalog):
    existing, order_id, found = await numbers.order_by_key_and_variants("new-key", ["CUP", "EBOOK", "MUG", "NONE"])

    assert existing is None
    if not _postgres():
        assert (order_id, found) == (None, None)
        return
    assert order_id is not None and found is not None
    expected = await variants_by_sku(["CUP", "EBOOK", "MUG", "NONE"])
    assert sorted(found) == sorted(expected) == ["CUP", "EBOOK", "MUG"]
    for sku, variant in expected.items():
        assert state(found[sku]) == state(variant)
        assert state(found[sku].product) == state(variant.product)
    assert {v.sku for v in await Variant.filter(sku__in=["CUP", "EBOOK", "MUG"])} == set(found)


async def test_the_sequence_moves_once_per_lookup_whatever_the_variants(catalog):
    if not _postgres():
        pytest.skip("the id comes from the sequence on PostgreSQL only")
    _, first, _ = await numbers.order_by_key_and_variants("key-1", ["CUP", "EBOOK", "MUG"])
    _, second, _ = await numbers.order_by_key_and_variants("key-2", ["CUP", "EBOOK", "MUG"])
    _, third, none_known = await numbers.order_by_key_and_variants("key-3", ["NONE"])
    _, fourth, no_skus = await numbers.order_by_key_and_variants("key-4", [])

    assert [second - first, third - second, fourth - third] == [1, 1, 1]
    assert none_known == {} and no_skus == {}


async def test_without_skus_to_read_the_variants_are_left_to_pricing(catalog):
    existing, _, found = await numbers.order_by_key_and_variants("other-key", None)

    assert existing is None and found is None


async def test_a_used_key_gives_its_order_and_no_variants(oms_graphql, catalog):
    placed = (await oms_graphql.query(PLACE, {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "EBOOK", "quantity": 1}], "email": "buyer@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}))["placeOrder"]
    order = await Order.get(number=placed["order"]["number"])

    existing, order_id, found = await numbers.order_by_key_and_variants(order.idempotency_key, ["MUG"])

    assert existing is not None and existing.id == order.id
    assert order_id is None and found is None


async def test_placement_with_unknown_and_repeated_skus_answers_as_before(oms_graphql, catalog):
    answer = (await oms_graphql.query(PLACE, {"input": {
        "lines": [{"sku": " MUG ", "quantity": 1}, {"sku": "NONE", "quantity": 1}, {"sku": "MUG", "quantity": 2}],
        "email": "buyer@example.com", "shippingAddress": ADDRESS, "shippingMethod": "standard",
        "idempotencyKey": uuid.uuid4().hex,
    }}))["placeOrder"]

    assert answer["order"] is None
    assert [(e["code"], e["field"]) for e in answer["userErrors"]] == [("NOT_FOUND", ["lines", "1", "sku"])]
