"""Discount codes (issue 14 item 3): staff create and update them; priceCart and placeOrder
apply them (each refusal typed and explained); placement redeems them and stores each
line's share; an unpaid order that ends gives its use back; refunds return what was paid."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from oms.discounts.models import DiscountCode, DiscountRedemption
from oms.graphql.common import to_global_id
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.models import Refund
from oms.testing import expire_order, make_product, place_paid_order
from tests.conftest import ADDRESS

CREATE = """
mutation Create($input: CreateDiscountCodeInput!) {
  createDiscountCode(input: $input) {
    discountCode { id code percentage amount { amount currency } freeShipping minimumSubtotal { amount }
                   startsAt endsAt usageLimit usageLimitPerCustomer timesUsed productTypes products active }
    userErrors { field code message }
  }
}
"""
UPDATE = """
mutation Update($id: ID!, $input: UpdateDiscountCodeInput!) {
  updateDiscountCode(id: $id, input: $input) {
    discountCode { code active usageLimit endsAt }
    userErrors { field code message }
  }
}
"""
LIST = "query { discountCodes { code timesUsed usageLimit } }"
PRICE = """
query Price($input: CartInput!) {
  priceCart(input: $input) {
    lines { sku total { amount } discount { amount } }
    subtotal { amount } shippingTotal { amount } discountTotal { amount } total { amount }
    userErrors { field code message }
  }
}
"""
PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number total { amount } subtotal { amount } shippingTotal { amount }
            discountTotal { amount } shippingDiscount { amount }
            lines { id sku total { amount } discount { amount } } }
    orderToken
    userErrors { field code message }
  }
}
"""
CANCEL = """
mutation Cancel($id: ID!, $token: String, $lines: [CancelLineInput!]) {
  cancelOrder(id: $id, token: $token, lines: $lines) {
    order { status refundedTotal { amount } }
    userErrors { field code message }
  }
}
"""


@pytest.fixture
async def shop(oms_app):
    """A mug (physical, 12.00, shipped for 4.90), an e-book (digital, 9.99), a poster
    (physical, 3.33); the products by sku."""
    return {
        "MUG": await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                                  attributes={"weight_grams": 300}, stock=100),
        "EBOOK": await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                                    attributes={"file_name": "book.pdf", "file": "books/book.pdf"}),
        "POSTER": await make_product(oms_app, product_type="physical", sku="POSTER", price="3.33",
                                     attributes={"weight_grams": 100}, stock=100),
    }


@pytest.fixture
def staff(oms_graphql, oms_accounts):
    return oms_graphql.as_(oms_accounts.staff)


async def create(staff, **fields) -> dict:
    payload = (await staff.query(CREATE, {"input": fields}))["createDiscountCode"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["discountCode"]


def cart(lines, codes, *, shipping: bool = True, email: str | None = None) -> dict:
    data: dict = {"lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines], "discountCodes": codes}
    if shipping:
        data.update(shippingAddress=ADDRESS, shippingMethod="standard")
    if email:
        data["email"] = email
    return data


async def price(client, lines, codes, **options) -> dict:
    return (await client.query(PRICE, {"input": cart(lines, codes, **options)}))["priceCart"]


async def place(client, lines, codes, *, email="buyer@example.com", shipping=True) -> dict:
    data = cart(lines, codes, shipping=shipping, email=email)
    data["idempotencyKey"] = uuid.uuid4().hex
    return (await client.query(PLACE, {"input": data}))["placeOrder"]


def errors(payload) -> list[tuple[str, list[str] | None, str]]:
    return [(e["code"], e["field"], e["message"]) for e in payload["userErrors"]]


def amounts(quote) -> dict:
    return {
        "lines": [(line["sku"], line["discount"]["amount"]) for line in quote["lines"]],
        "discountTotal": quote["discountTotal"]["amount"],
        "total": quote["total"]["amount"],
    }


# -- staff -------------------------------------------------------------------------------------


async def test_staff_create_codes_and_bad_input_gets_typed_errors(oms_graphql, oms_accounts, staff, shop):
    code = await create(staff, code="Summer-10", percentage="10", usageLimit=100, usageLimitPerCustomer=1,
                        minimumSubtotal="20", productTypes=["physical"],
                        products=[to_global_id("Product", shop["EBOOK"].id)],
                        startsAt="2026-01-01T00:00:00+00:00", endsAt="2030-01-01T00:00:00+00:00")
    assert code["code"] == "Summer-10"
    assert (code["percentage"], code["amount"], code["freeShipping"]) == ("10.00", None, False)
    assert code["minimumSubtotal"] == {"amount": "20.00"}
    assert (code["usageLimit"], code["usageLimitPerCustomer"], code["timesUsed"]) == (100, 1, 0)
    assert code["productTypes"] == ["physical"]
    assert code["products"] == [to_global_id("Product", shop["EBOOK"].id)]
    assert code["active"] is True
    fixed = await create(staff, code="FIVE", amount="5.00")
    assert fixed["amount"] == {"amount": "5.00", "currency": "USD"}
    assert (await create(staff, code="SHIP", freeShipping=True))["freeShipping"] is True

    async def refused(**fields) -> list[tuple[str, list[str] | None]]:
        payload = (await staff.query(CREATE, {"input": {"code": "X1", **fields}}))["createDiscountCode"]
        assert payload["discountCode"] is None
        return [(e["code"], e["field"]) for e in payload["userErrors"]]

    assert await refused() == [("REQUIRED", ["percentage"])]
    assert await refused(percentage="10", amount="5") == [("INVALID", ["percentage"])]
    assert await refused(amount="5", freeShipping=True) == [("INVALID", ["percentage"])]
    assert await refused(percentage="0") == [("INVALID", ["percentage"])]
    assert await refused(percentage="100.01") == [("INVALID", ["percentage"])]
    assert await refused(percentage="12.345") == [("INVALID", ["percentage"])]
    assert await refused(amount="0") == [("INVALID", ["amount"])]
    assert await refused(amount="-1") == [("INVALID", ["amount"])]
    assert await refused(amount="1.001") == [("INVALID", ["amount"])]
    assert await refused(code="summer-10", percentage="5") == [("INVALID", ["code"])]  # case-insensitive
    assert await refused(code="no spaces", percentage="5") == [("INVALID", ["code"])]
    assert await refused(code="  ", percentage="5") == [("REQUIRED", ["code"])]
    assert await refused(code="x" * 65, percentage="5") == [("INVALID", ["code"])]
    assert await refused(percentage="5", usageLimit=0, usageLimitPerCustomer=-1) == [
        ("INVALID", ["usageLimit"]), ("INVALID", ["usageLimitPerCustomer"])]
    assert await refused(percentage="5", startsAt="2026-02-01T00:00:00+00:00",
                         endsAt="2026-01-01T00:00:00+00:00") == [("INVALID", ["endsAt"])]
    assert await refused(percentage="5", productTypes=["physical", "rocket"]) == [
        ("INVALID", ["productTypes", "1"])]
    assert await refused(percentage="5", products=[to_global_id("Product", 999999)]) == [
        ("NOT_FOUND", ["products", "0"])]
    assert await refused(percentage="5", products=["nonsense"]) == [("INVALID", ["products", "0"])]

    customer = oms_graphql.as_(oms_accounts.customer)
    denied = (await customer.query(CREATE, {"input": {"code": "MINE", "percentage": "50"}}))["createDiscountCode"]
    assert [e["code"] for e in denied["userErrors"]] == ["PERMISSION_DENIED"]
    assert await DiscountCode.filter(code_key="mine").count() == 0
    listed = await customer.execute(LIST)
    assert listed["data"] is None or listed["data"].get("discountCodes") is None
    assert [c["code"] for c in (await staff.query(LIST))["discountCodes"]] == ["SHIP", "FIVE", "Summer-10"]


async def test_staff_update_and_deactivate_a_code(staff, shop):
    code = await create(staff, code="SAVE10", percentage="10", usageLimit=5)
    updated = (await staff.query(UPDATE, {"id": code["id"], "input": {"usageLimit": None,
                                                                      "endsAt": "2031-01-01T00:00:00Z"}}))
    assert updated["updateDiscountCode"] == {
        "discountCode": {"code": "SAVE10", "active": True, "usageLimit": None, "endsAt": "2031-01-01T00:00:00+00:00"},
        "userErrors": [],
    }
    bad = (await staff.query(UPDATE, {"id": code["id"], "input": {"startsAt": "2032-01-01T00:00:00Z"}}))
    assert [(e["code"], e["field"]) for e in bad["updateDiscountCode"]["userErrors"]] == [("INVALID", ["endsAt"])]
    assert (await price(staff, [("MUG", 1)], ["SAVE10"]))["discountTotal"] == {"amount": "1.20"}

    off = (await staff.query(UPDATE, {"id": code["id"], "input": {"active": False}}))["updateDiscountCode"]
    assert off["discountCode"]["active"] is False
    quote = await price(staff, [("MUG", 1)], ["SAVE10"])
    assert errors(quote) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"], "Unknown discount code 'SAVE10'.")]
    assert quote["discountTotal"] == {"amount": "0.00"}
    missing = await staff.query(UPDATE, {"id": to_global_id("DiscountCode", 999999), "input": {"active": True}})
    assert [e["code"] for e in missing["updateDiscountCode"]["userErrors"]] == ["NOT_FOUND"]


# -- applying ----------------------------------------------------------------------------------


async def test_a_percentage_is_allocated_to_the_cent_across_lines(oms_graphql, staff, shop):
    await create(staff, code="SAVE15", percentage="15")
    # 5 mugs (60.00) + 3 e-books (29.97) + 1 poster (3.33) = 93.30; 15 % = 13.995 -> 14.00.
    # Exact shares 9.0032 / 4.4971 / 0.4997: floors 9.00 + 4.49 + 0.49 = 13.98; the two cents
    # left go to the largest remainders: the poster (.97) and the e-books (.71).
    quote = await price(oms_graphql, [("MUG", 5), ("EBOOK", 3), ("POSTER", 1)], ["save15"])
    assert quote["userErrors"] == []
    assert amounts(quote) == {
        "lines": [("MUG", "9.00"), ("EBOOK", "4.50"), ("POSTER", "0.50")],
        "discountTotal": "14.00",
        "total": str(Decimal("93.30") + Decimal("4.90") - Decimal("14.00")),
    }

    placed = await place(oms_graphql, [("MUG", 5), ("EBOOK", 3), ("POSTER", 1)], ["SAVE15"])
    assert placed["userErrors"] == []
    order = placed["order"]
    assert [(line["sku"], line["discount"]["amount"]) for line in order["lines"]] == [
        ("MUG", "9.00"), ("EBOOK", "4.50"), ("POSTER", "0.50")]
    assert (order["discountTotal"], order["total"]) == ({"amount": "14.00"}, {"amount": "84.20"})
    stored = await Order.get(number=order["number"])
    assert (stored.discount_total, stored.shipping_discount, stored.total) == (
        Decimal("14.00"), Decimal("0.00"), Decimal("84.20"))
    assert sorted((line.sku, line.discount) for line in await OrderLine.filter(order_id=stored.id)) == [
        ("EBOOK", Decimal("4.50")), ("MUG", Decimal("9.00")), ("POSTER", Decimal("0.50"))]
    placed_event = await OrderEvent.get(order_id=stored.id, type="order.placed")
    assert placed_event.data["discount_codes"] == ["SAVE15"]
    assert placed_event.data["discount_total"] == "14.00"
    assert (await DiscountCode.get(code_key="save15")).times_used == 1


async def test_a_fixed_amount_is_capped_at_the_eligible_lines_and_restricted_to_their_types(oms_graphql, staff, shop):
    await create(staff, code="BOOKS5", amount="5.00", productTypes=["digital"])
    await create(staff, code="BOOKS50", amount="50.00", productTypes=["digital"])
    quote = await price(oms_graphql, [("MUG", 1), ("EBOOK", 2)], ["BOOKS5"])
    assert amounts(quote) == {"lines": [("MUG", "0.00"), ("EBOOK", "5.00")], "discountTotal": "5.00",
                              "total": "31.88"}  # 12.00 + 19.98 + 4.90 - 5.00
    capped = await price(oms_graphql, [("MUG", 1), ("EBOOK", 2)], ["BOOKS50"])
    assert amounts(capped)["lines"] == [("MUG", "0.00"), ("EBOOK", "19.98")]
    only_mugs = await price(oms_graphql, [("MUG", 1)], ["BOOKS5"])
    assert errors(only_mugs) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"],
                                  "Discount code BOOKS5 applies to nothing in this cart.")]
    assert only_mugs["discountTotal"] == {"amount": "0.00"}


async def test_a_code_for_one_product(oms_graphql, staff, shop):
    await create(staff, code="POSTERS", percentage="50", products=[to_global_id("Product", shop["POSTER"].id)])
    quote = await price(oms_graphql, [("MUG", 1), ("POSTER", 3)], ["POSTERS"])
    assert amounts(quote)["lines"] == [("MUG", "0.00"), ("POSTER", "5.00")]  # 9.99 / 2 = 4.995 -> 5.00


async def test_free_shipping_takes_off_the_chosen_method_and_stacks_with_one_percentage(oms_graphql, staff, shop):
    await create(staff, code="SHIPFREE", freeShipping=True)
    await create(staff, code="TEN", percentage="10")
    await create(staff, code="FIVE", amount="5")
    quote = await price(oms_graphql, [("MUG", 1)], ["SHIPFREE", "TEN"])
    assert quote["userErrors"] == []
    assert amounts(quote) == {"lines": [("MUG", "1.20")], "discountTotal": "6.10", "total": "10.80"}
    not_chosen = await price(oms_graphql, [("MUG", 1)], ["SHIPFREE"], shipping=False)
    assert not_chosen["userErrors"] == [] and not_chosen["discountTotal"] == {"amount": "0.00"}
    digital = await price(oms_graphql, [("EBOOK", 1)], ["SHIPFREE"], shipping=False)
    assert errors(digital) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"],
                                "Discount code SHIPFREE applies to nothing in this cart.")]

    stacked = await price(oms_graphql, [("MUG", 1)], ["TEN", "five", "ten", "nope"])
    assert errors(stacked) == [
        ("DISCOUNT_CODE_INVALID", ["discountCodes", "1"],
         "Only one percentage or amount code per order: TEN is applied already."),
        ("DISCOUNT_CODE_INVALID", ["discountCodes", "2"], "Discount code TEN is given twice."),
        ("DISCOUNT_CODE_INVALID", ["discountCodes", "3"], "Unknown discount code 'nope'."),
    ]
    assert stacked["discountTotal"] == {"amount": "1.20"}
    too_many = await price(oms_graphql, [("MUG", 1)], ["A", "B", "C", "D", "E", "F"])
    assert errors(too_many) == [("DISCOUNT_CODE_INVALID", ["discountCodes"], "At most 5 discount codes per cart.")]

    placed = await place(oms_graphql, [("MUG", 2)], ["SHIPFREE"])
    order = placed["order"]
    assert (order["shippingTotal"], order["shippingDiscount"], order["discountTotal"], order["total"]) == (
        {"amount": "4.90"}, {"amount": "4.90"}, {"amount": "4.90"}, {"amount": "24.00"})


async def test_minimum_subtotal_and_validity_window(oms_graphql, staff, shop):
    await create(staff, code="BIG", percentage="10", minimumSubtotal="24.00")
    now = dt.datetime.now(dt.UTC)
    await create(staff, code="LATER", percentage="10", startsAt=(now + dt.timedelta(days=1)).isoformat())
    await create(staff, code="OVER", percentage="10", endsAt=(now - dt.timedelta(seconds=1)).isoformat())
    await create(staff, code="NOW", percentage="10", startsAt=(now - dt.timedelta(days=1)).isoformat(),
                 endsAt=(now + dt.timedelta(days=1)).isoformat())
    small = await price(oms_graphql, [("MUG", 1)], ["BIG"])
    assert errors(small) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"],
                              "Discount code BIG needs a subtotal of at least 24.00 USD.")]
    assert (await price(oms_graphql, [("MUG", 2)], ["BIG"]))["discountTotal"] == {"amount": "2.40"}
    later = await price(oms_graphql, [("MUG", 1)], ["LATER"])
    assert [(e["code"], e["message"].split(" is not valid before ")[0]) for e in later["userErrors"]] == [
        ("DISCOUNT_CODE_INVALID", "Discount code LATER")]
    over = await price(oms_graphql, [("MUG", 1)], ["OVER"])
    assert [e["message"].split(" expired at ")[0] for e in over["userErrors"]] == ["Discount code OVER"]
    assert (await price(oms_graphql, [("MUG", 1)], ["NOW"]))["discountTotal"] == {"amount": "1.20"}

    refused = await place(oms_graphql, [("MUG", 1)], ["OVER"])
    assert refused["order"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["DISCOUNT_CODE_INVALID"]
    assert await Order.all().count() == 0


async def test_usage_limit_and_an_expired_order_gives_its_use_back_once(oms_app, oms_graphql, staff, shop):
    await create(staff, code="ONCE", amount="2.00", usageLimit=1)
    first = await place(oms_graphql, [("MUG", 1)], ["ONCE"], email="a@example.com")
    assert first["userErrors"] == []
    assert (await DiscountCode.get(code_key="once")).times_used == 1
    used_up = await price(oms_graphql, [("MUG", 1)], ["ONCE"])
    assert errors(used_up) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"], "Discount code ONCE is used up.")]
    assert [e["code"] for e in (await place(oms_graphql, [("MUG", 1)], ["ONCE"]))["userErrors"]] == [
        "DISCOUNT_CODE_INVALID"]

    order = await Order.get(number=first["order"]["number"])
    assert await expire_order(oms_app, order.id) == 1
    assert (await DiscountCode.get(code_key="once")).times_used == 0
    redemption = await DiscountRedemption.get(order_id=order.id)
    assert redemption.released_at is not None
    from oms.discounts.apply import release

    await release(order.id)  # again: nothing more is given back
    assert (await DiscountCode.get(code_key="once")).times_used == 0

    second = await place(oms_graphql, [("MUG", 1)], ["ONCE"], email="b@example.com")
    assert second["userErrors"] == []
    # A guest cancels the unpaid order: the use comes back too.
    canceled = await oms_graphql.query(CANCEL, {"id": second["order"]["id"], "token": second["orderToken"]})
    assert canceled["cancelOrder"]["userErrors"] == []
    assert (await DiscountCode.get(code_key="once")).times_used == 0


async def test_per_customer_limit_counts_the_account_and_its_email(oms_app, oms_graphql, oms_accounts, staff, shop):
    await create(staff, code="WELCOME", percentage="20", usageLimitPerCustomer=1)
    alice = oms_graphql.as_(oms_accounts.customer)
    bob = oms_graphql.as_(oms_accounts.other_customer)
    placed = await place(alice, [("MUG", 1)], ["WELCOME"], email=None)
    assert placed["userErrors"] == []
    message = "Discount code WELCOME is used up for this customer (at most 1 uses)."
    again = await place(alice, [("MUG", 1)], ["WELCOME"], email=None)
    assert errors(again) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"], message)]
    # A guest with alice's email (any case) is the same buyer.
    guest = await price(oms_graphql, [("MUG", 1)], ["WELCOME"], email="Alice@Example.com")
    assert errors(guest) == [("DISCOUNT_CODE_INVALID", ["discountCodes", "0"], message)]
    assert (await place(bob, [("MUG", 1)], ["WELCOME"], email=None))["userErrors"] == []
    assert (await DiscountCode.get(code_key="welcome")).times_used == 2

    await expire_order(oms_app, (await Order.get(number=placed["order"]["number"])).id)
    assert (await place(alice, [("MUG", 1)], ["WELCOME"], email=None))["userErrors"] == []


async def test_redeem_refuses_a_code_used_up_meanwhile_and_the_placement_rolls_back(oms_app, staff, shop):
    """The quote said yes; by the time the order is written the last use went elsewhere."""
    from oms.discounts.apply import AppliedCode, AppliedDiscounts, redeem
    from oms.errors import DomainError

    await create(staff, code="LAST", percentage="10", usageLimit=1)
    code = await DiscountCode.get(code_key="last")
    await DiscountCode.filter(id=code.id).update(times_used=1)
    applied = AppliedDiscounts(currency="USD", codes=[AppliedCode(code.id, code.code, 2)])
    with pytest.raises(DomainError) as refused:
        await redeem(1, applied, email="x@example.com", customer_id=None)
    assert [(e.code.value, e.field, e.message) for e in refused.value.errors] == [
        ("DISCOUNT_CODE_INVALID", ("discountCodes", "2"), "Discount code LAST is used up.")]
    assert await DiscountRedemption.all().count() == 0


# -- refunds -----------------------------------------------------------------------------------


async def test_partial_refunds_return_the_discounted_price(oms_app, oms_graphql, staff, shop):
    await create(staff, code="TEN", percentage="10")
    await create(staff, code="SHIPFREE", freeShipping=True)
    placed = await place_paid_order_with_codes(oms_app, oms_graphql, [("MUG", 3)], ["TEN", "SHIPFREE"])
    order = await Order.get(number=placed["order"]["number"])
    # 36.00 - 3.60 + 4.90 - 4.90 = 32.40 paid.
    assert (order.total, order.discount_total, order.shipping_discount) == (
        Decimal("32.40"), Decimal("8.50"), Decimal("4.90"))
    line = await OrderLine.get(order_id=order.id)
    assert line.discount == Decimal("3.60")

    one = await staff.query(CANCEL, {"id": placed["order"]["id"],
                                     "lines": [{"lineId": to_global_id("OrderLine", line.id), "quantity": 1}]})
    assert one["cancelOrder"]["userErrors"] == []
    assert one["cancelOrder"]["order"]["refundedTotal"] == {"amount": "10.80"}  # 32.40 / 3
    rest = await staff.query(CANCEL, {"id": placed["order"]["id"]})
    assert rest["cancelOrder"]["userErrors"] == []
    # Shipping was free: nothing more than what was paid comes back.
    assert rest["cancelOrder"]["order"]["refundedTotal"] == {"amount": "32.40"}
    assert sum(Decimal(r.amount) for r in await Refund.filter(order_id=order.id)) == Decimal("32.40")


async def test_a_line_canceled_unit_by_unit_gives_back_exactly_what_was_paid(oms_app, oms_graphql, staff, shop):
    """Cumulative rounding: each unit is worth the rounded share of the first n units less
    that of the first n - 1, so three one-unit refunds of a line paid 8.99 come to 8.99
    (rounding each unit alone gave 3.00 three times: a cent more than was paid)."""
    await create(staff, code="TEN", percentage="10")
    placed = await place_paid_order_with_codes(oms_app, oms_graphql, [("MUG", 1), ("POSTER", 3)], ["TEN"])
    order = await Order.get(number=placed["order"]["number"])
    poster = await OrderLine.get(order_id=order.id, sku="POSTER")
    paid = poster.unit_price * 3 - poster.discount
    assert (paid * 100) % 3 != 0, paid  # the case where rounding each unit alone goes wrong

    one = [{"lineId": to_global_id("OrderLine", poster.id), "quantity": 1}]
    for _ in range(3):
        result = await staff.query(CANCEL, {"id": placed["order"]["id"], "lines": one})
        assert result["cancelOrder"]["userErrors"] == []
    refunds = [Decimal(r.amount) for r in await Refund.filter(order_id=order.id).order_by("id")]
    assert len(refunds) == 3
    assert sum(refunds) == paid
    assert all(abs(amount - paid / 3) < Decimal("0.01") for amount in refunds), refunds


async def test_a_line_canceled_in_part_then_returned_unit_by_unit_gives_back_what_was_paid(
    oms_app, oms_graphql, staff, shop
):
    """One unit canceled, two shipped (with the mug, which stays: no shipping refund) and
    returned one at a time: the refunds of the line come to what was paid for it (the
    returns count the canceled unit and the earlier return)."""
    from tests.test_returns import APPROVE, DELIVERED, RECEIVE, REFUND, REQUEST, SHIP, request

    await create(staff, code="TEN", percentage="10")
    placed = await place_paid_order_with_codes(oms_app, oms_graphql, [("MUG", 1), ("POSTER", 3)], ["TEN"])
    order = await Order.get(number=placed["order"]["number"])
    poster = await OrderLine.get(order_id=order.id, sku="POSTER")
    paid = poster.unit_price * 3 - poster.discount
    assert (paid * 100) % 3 != 0, paid
    line = to_global_id("OrderLine", poster.id)

    canceled = await staff.query(CANCEL, {"id": placed["order"]["id"], "lines": [{"lineId": line, "quantity": 1}]})
    assert canceled["cancelOrder"]["userErrors"] == []
    mug = to_global_id("OrderLine", (await OrderLine.get(order_id=order.id, sku="MUG")).id)
    shipped = await staff.query(
        SHIP,
        {
            "i": {
                "orderId": placed["order"]["id"],
                "trackingNumber": "T-9",
                "lines": [{"lineId": line, "quantity": 2}, {"lineId": mug, "quantity": 1}],
            }
        },
    )
    assert shipped["createShipment"]["userErrors"] == []
    await staff.query(DELIVERED, {"id": shipped["createShipment"]["fulfillment"]["id"]})
    for _ in range(2):
        asked = (await staff.query(REQUEST, request(placed, [{"lineId": line, "quantity": 1}])))["requestReturn"]
        assert asked["userErrors"] == []
        rma = asked["return"]["id"]
        for step, variables in ((APPROVE, {"id": rma}), (RECEIVE, {"id": rma, "s": True}), (REFUND, {"id": rma})):
            result = await staff.query(step, variables)
            assert next(iter(result.values()))["userErrors"] == []
    refunds = [Decimal(r.amount) for r in await Refund.filter(order_id=order.id).order_by("id")]
    assert len(refunds) == 3
    assert sum(refunds) == paid, refunds


async def test_shipping_goes_back_once_when_no_unit_that_ships_is_kept_or_left_to_ship(
    oms_app, oms_graphql, staff, shop
):
    """Two mugs and a poster: the poster is shipped and returned while the mugs wait (no
    shipping back: they are still to ship); one mug is canceled (one still to ship); the last
    mug is canceled: shipping goes back with it, once."""
    from tests.test_returns import APPROVE, DELIVERED, RECEIVE, REFUND, REQUEST, SHIP, request

    placed = await place_paid_order_with_codes(oms_app, oms_graphql, [("MUG", 2), ("POSTER", 1)], [])
    order = await Order.get(number=placed["order"]["number"])
    lines = {line.sku: line for line in await OrderLine.filter(order_id=order.id)}
    mug, poster = (to_global_id("OrderLine", lines[sku].id) for sku in ("MUG", "POSTER"))
    shipping = order.shipping_total
    assert shipping > 0

    shipped = await staff.query(SHIP, {"i": {"orderId": placed["order"]["id"], "trackingNumber": "T-5",
                                             "lines": [{"lineId": poster, "quantity": 1}]}})
    await staff.query(DELIVERED, {"id": shipped["createShipment"]["fulfillment"]["id"]})
    rma = (await staff.query(REQUEST, request(placed, [{"lineId": poster, "quantity": 1}])))["requestReturn"]
    for step, variables in ((APPROVE, {"id": rma["return"]["id"]}), (RECEIVE, {"id": rma["return"]["id"], "s": True}),
                            (REFUND, {"id": rma["return"]["id"]})):
        assert next(iter((await staff.query(step, variables)).values()))["userErrors"] == []
    for _ in range(2):
        result = await staff.query(CANCEL, {"id": placed["order"]["id"], "lines": [{"lineId": mug, "quantity": 1}]})
        assert result["cancelOrder"]["userErrors"] == []
    refunds = [Decimal(r.amount) for r in await Refund.filter(order_id=order.id).order_by("id")]
    assert refunds == [lines["POSTER"].unit_price, lines["MUG"].unit_price, lines["MUG"].unit_price + shipping]


async def place_paid_order_with_codes(oms_app, client, lines, codes) -> dict:
    from oms.payments.services import mark_order_paid

    placed = await place(client, lines, codes)
    assert placed["userErrors"] == []
    order = await Order.get(number=placed["order"]["number"])
    await mark_order_paid(order, reference=None, actor="staff@example.com")
    return placed


async def test_orders_without_codes_are_unchanged(oms_app, oms_graphql, shop):
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard")
    order = await Order.get(number=placed["order"]["number"])
    assert (order.discount_total, order.shipping_discount, order.total) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("16.90"))
    assert await DiscountRedemption.all().count() == 0


async def test_the_confirmation_email_shows_the_discount_and_staff_read_codes_by_node(oms_app, oms_graphql, staff,
                                                                                      shop):
    from oms.notifications.preview import preview

    code = await create(staff, code="TEN", percentage="10")
    with_code = await place(oms_graphql, [("MUG", 1)], ["TEN"])
    without = await place(oms_graphql, [("MUG", 1)], [])
    settings, plugins = oms_app.state.settings, oms_app.state.plugins
    [mail] = await preview(with_code["order"]["number"], "order_received", settings=settings, plugins=plugins)
    assert "Discount: -$1.20\nTotal:    $15.70" in mail.rendered.text
    assert "<td>Discount</td><td align=\"right\">-$1.20</td>" in mail.rendered.html
    [plain] = await preview(without["order"]["number"], "order_received", settings=settings, plugins=plugins)
    assert "Discount" not in plain.rendered.text and "Discount" not in plain.rendered.html

    node = "query($id: ID!) { node(id: $id) { ... on DiscountCode { code timesUsed } } }"
    assert (await staff.query(node, {"id": code["id"]}))["node"] == {"code": "TEN", "timesUsed": 1}
    assert (await oms_graphql.query(node, {"id": code["id"]}))["node"] is None
