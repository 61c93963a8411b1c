"""Stock tracking per variant (issue 13 item 1): ``Variant.track_stock``, createVariant and
updateVariant ``trackStock``, and the one rule (oms.inventory.services.tracks_stock): a
variant whose tracking is off reserves nothing, is never out of stock, and its stock
cannot be set or adjusted; reservations made before it was turned off stay with their
orders."""

from __future__ import annotations

import uuid

import pytest

from oms.catalog.audit import CatalogChange
from oms.catalog.models import Variant
from oms.clock import utcnow
from oms.graphql.common import to_global_id
from oms.inventory.models import Stock
from oms.orders.models import OrderLine
from oms.testing import make_product
from tests.conftest import ADDRESS

CREATE_VARIANT = """
mutation CreateVariant($input: CreateVariantInput!) {
  createVariant(input: $input) {
    variant { sku trackStock quantityAvailable availableForSale stockLevels { quantity } }
    userErrors { field code message }
  }
}
"""
UPDATE_VARIANT = """
mutation UpdateVariant($id: ID!, $input: UpdateVariantInput!) {
  updateVariant(id: $id, input: $input) {
    variant { sku trackStock quantityAvailable availableForSale }
    userErrors { field code message }
  }
}
"""
PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } userErrors { field code message } }
}
"""
PRICE_CART = """
query Price($input: CartInput!) { priceCart(input: $input) { userErrors { field code message } } }
"""
CANCEL = """
mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code message } } }
"""
ADJUST = """
mutation Adjust($input: AdjustStockInput!) {
  adjustStock(input: $input) { variant { sku } userErrors { field code message } }
}
"""
SET_STOCK = """
mutation SetStock($input: SetStockInput!) { setStock(input: $input) { variant { sku } userErrors { field code } } }
"""
LOW = "query { lowStock { totalCount edges { node { variant { sku } } } } }"
VARIANT = """
query One($slug: String) { product(slug: $slug) { variants { sku trackStock quantityAvailable availableForSale } } }
"""


@pytest.fixture
def staff(oms_graphql, oms_accounts):
    return oms_graphql.as_(oms_accounts.staff)


@pytest.fixture
async def mug(oms_app):
    """MUG: a physical product with 5 units in the default warehouse."""
    return await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", name="Mug",
                              attributes={"weight_grams": 350}, stock=5)


async def _vid(sku: str) -> str:
    return to_global_id("Variant", (await Variant.get(sku=sku)).id)


async def _set_tracking(staff, sku: str, on: bool) -> dict:
    data = await staff.query(UPDATE_VARIANT, {"id": await _vid(sku), "input": {"trackStock": on}})
    assert data["updateVariant"]["userErrors"] == []
    return data["updateVariant"]["variant"]


async def _place(graphql, sku: str, quantity: int) -> dict:
    return (await graphql.query(PLACE, {"input": {
        "lines": [{"sku": sku, "quantity": quantity}], "email": "buyer@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}))["placeOrder"]


async def _levels(sku: str = "MUG") -> tuple[int, int]:
    """(on hand, reserved) of the sku in the default warehouse."""
    stock = await Stock.get(variant__sku=sku, warehouse__code="default")
    return stock.quantity, stock.reserved


async def _line_warehouse(placed: dict) -> int | None:
    return (await OrderLine.get(order__number=placed["order"]["number"])).warehouse_id


async def test_a_new_variant_without_tracking_is_never_out_of_stock(oms_graphql, staff, mug):
    data = await staff.query(CREATE_VARIANT, {"input": {
        "productId": to_global_id("Product", mug.id), "sku": "MUG-PRINT", "price": "20.00",
        "attributes": {"weight_grams": 350}, "trackStock": False}})

    assert data["createVariant"] == {
        "variant": {"sku": "MUG-PRINT", "trackStock": False, "quantityAvailable": None,
                    "availableForSale": True, "stockLevels": []},
        "userErrors": [],
    }
    placed = await _place(oms_graphql, "MUG-PRINT", 40)
    assert placed["userErrors"] == []
    assert await _line_warehouse(placed) is None
    assert not await Stock.exists(variant__sku="MUG-PRINT")


async def test_create_variant_tracks_stock_by_default(staff, mug):
    data = await staff.query(CREATE_VARIANT, {"input": {
        "productId": to_global_id("Product", mug.id), "sku": "MUG-XL", "price": "15.00",
        "attributes": {"weight_grams": 500}}})

    assert data["createVariant"]["variant"] == {
        "sku": "MUG-XL", "trackStock": True, "quantityAvailable": 0, "availableForSale": False,
        "stockLevels": [{"quantity": 0}],
    }


async def test_turning_tracking_off_lets_orders_past_the_stock_and_reserves_nothing(oms_graphql, staff, mug):
    assert (await _place(oms_graphql, "MUG", 9))["userErrors"][0]["code"] == "OUT_OF_STOCK"

    variant = await _set_tracking(staff, "MUG", False)
    cart = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "MUG", "quantity": 9}]}})
    placed = await _place(oms_graphql, "MUG", 9)

    assert variant == {"sku": "MUG", "trackStock": False, "quantityAvailable": None, "availableForSale": True}
    assert cart["priceCart"]["userErrors"] == []
    assert placed["userErrors"] == []
    assert await _line_warehouse(placed) is None
    assert await _levels() == (5, 0)


async def test_an_untracked_variant_is_for_sale_only_while_published_and_not_archived(oms_graphql, staff, mug):
    await Stock.filter(variant__sku="MUG").update(quantity=0)
    await _set_tracking(staff, "MUG", False)
    assert (await oms_graphql.query(VARIANT, {"slug": "mug"}))["product"]["variants"][0]["availableForSale"] is True

    await Variant.filter(sku="MUG").update(archived_at=utcnow())

    data = await staff.query(VARIANT, {"slug": "mug"})
    assert data["product"]["variants"][0]["availableForSale"] is False


async def test_stock_of_an_untracked_variant_cannot_be_set_or_adjusted(staff, mug):
    await _set_tracking(staff, "MUG", False)

    adjusted = await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": 3, "reason": "found"}})
    set_ = await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 9}})

    assert [(e["field"], e["code"]) for e in adjusted["adjustStock"]["userErrors"]] == [(["sku"], "INVALID")]
    assert "Stock tracking is off for MUG" in adjusted["adjustStock"]["userErrors"][0]["message"]
    assert set_["setStock"]["userErrors"] == [{"field": ["sku"], "code": "INVALID"}]
    assert await _levels() == (5, 0)


async def test_an_untracked_variant_is_never_low(staff, mug):
    await Stock.filter(variant__sku="MUG").update(quantity=1)
    assert (await staff.query(LOW))["lowStock"]["totalCount"] == 1

    await _set_tracking(staff, "MUG", False)

    assert (await staff.query(LOW))["lowStock"] == {"totalCount": 0, "edges": []}


async def test_reservations_made_before_tracking_is_turned_off_stay_with_their_orders(
    oms_graphql, staff, mug
):
    before = await _place(oms_graphql, "MUG", 2)  # tracked: reserves 2 of 5
    await _set_tracking(staff, "MUG", False)
    after = await _place(oms_graphql, "MUG", 4)  # untracked: reserves nothing
    assert await _levels() == (5, 2)

    # Cancelling the order placed before gives its 2 units back, once; the order placed
    # after holds none, so cancelling it changes nothing.
    for placed in (before, after):
        data = await staff.query(CANCEL, {"id": placed["order"]["id"]})
        assert data["cancelOrder"]["userErrors"] == []
    assert await _levels() == (5, 0)

    variant = await _set_tracking(staff, "MUG", True)
    assert variant["quantityAvailable"] == 5


async def test_turning_tracking_on_again_starts_from_the_stock_levels_as_they_are(oms_graphql, staff, mug):
    held = await _place(oms_graphql, "MUG", 2)
    await _set_tracking(staff, "MUG", False)
    await _place(oms_graphql, "MUG", 10)

    variant = await _set_tracking(staff, "MUG", True)

    # The 2 units held by the first order still count; the 10 ordered untracked never did.
    assert variant == {"sku": "MUG", "trackStock": True, "quantityAvailable": 3, "availableForSale": True}
    assert await _line_warehouse(held) is not None
    assert (await _place(oms_graphql, "MUG", 4))["userErrors"][0]["code"] == "OUT_OF_STOCK"
    assert (await _place(oms_graphql, "MUG", 3))["userErrors"] == []
    assert await _levels() == (5, 5)


async def test_turning_tracking_on_gives_a_variant_created_without_it_a_stock_row(staff, mug):
    await staff.query(CREATE_VARIANT, {"input": {
        "productId": to_global_id("Product", mug.id), "sku": "MUG-PRINT", "price": "20.00",
        "attributes": {"weight_grams": 350}, "trackStock": False}})

    variant = await _set_tracking(staff, "MUG-PRINT", True)

    assert variant == {"sku": "MUG-PRINT", "trackStock": True, "quantityAvailable": 0, "availableForSale": False}
    assert await _levels("MUG-PRINT") == (0, 0)


async def test_tracking_changes_are_on_the_catalog_audit_trail(staff, mug):
    await _set_tracking(staff, "MUG", False)
    await _set_tracking(staff, "MUG", False)  # no change: nothing recorded
    await _set_tracking(staff, "MUG", True)

    rows = await CatalogChange.filter(product_id=mug.id, field="track_stock").order_by("id")
    assert [(row.sku, row.old, row.new) for row in rows] == [("MUG", True, False), ("MUG", False, True)]


async def test_a_type_that_tracks_no_stock_stays_untracked_whatever_the_variant_says(oms_app, staff):
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99", name="The Book",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})

    variant = await _set_tracking(staff, "EBOOK", True)
    adjusted = await staff.query(ADJUST, {"input": {"sku": "EBOOK", "delta": 3, "reason": "found"}})

    assert variant == {"sku": "EBOOK", "trackStock": True, "quantityAvailable": None, "availableForSale": True}
    assert adjusted["adjustStock"]["userErrors"][0]["message"] == "This product type does not track stock."
    assert not await Stock.exists(variant__sku="EBOOK")
