"""Cancelling a paid order (issue 11): staff cancel some units of some lines or what is not
shipped, customers and guests their whole order while nothing is shipped or delivered.
Stock is released by exactly the canceled units and the money for them is refunded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms.inventory.models import Stock
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.models import Refund
from oms.testing import make_product, place_paid_order

CANCEL = """
mutation Cancel($id: ID!, $token: String, $reason: String, $lines: [CancelLineInput!]) {
  cancelOrder(id: $id, token: $token, reason: $reason, lines: $lines) {
    order { status paymentStatus refundedTotal { amount }
            lines { sku quantity quantityCanceled status } }
    userErrors { field code message }
  }
}
"""

SHIP = """
mutation($i: CreateShipmentInput!) { createShipment(input: $i) { fulfillment { id } userErrors { code } } }
"""
DELIVERED = "mutation($id: ID!) { markShipmentDelivered(id: $id) { order { status } userErrors { code } } }"


@pytest.fixture
async def goods(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                       attributes={"weight_grams": 300}, stock=10)
    await make_product(oms_app, product_type="physical", sku="CUP", price="7.50",
                       attributes={"weight_grams": 200}, stock=10)


async def reserved(sku: str) -> int:
    return (await Stock.get(variant__sku=sku)).reserved


def line_id(placed, sku: str) -> str:
    return next(line["id"] for line in placed["order"]["lines"] if line["sku"] == sku)


async def refunds(number: str) -> list[tuple[Decimal, str]]:
    rows = await Refund.filter(order__number=number).order_by("id")
    return [(Decimal(r.amount), r.status.value) for r in rows]


async def test_staff_cancel_some_units_before_shipping(oms_app, oms_graphql, oms_accounts, goods):
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 3), ("CUP", 2)], shipping_method="standard")
    number = placed["order"]["number"]
    shipping = Decimal((await Order.get(number=number)).shipping_total)
    assert shipping > 0
    assert (await reserved("MUG"), await reserved("CUP")) == (3, 2)
    staff = oms_graphql.as_(oms_accounts.staff)

    data = (await staff.query(CANCEL, {"id": placed["order"]["id"], "reason": "out of glaze",
                                       "lines": [{"lineId": line_id(placed, "MUG"), "quantity": 2}]}))["cancelOrder"]
    assert data["userErrors"] == []
    order = data["order"]
    assert (order["status"], order["paymentStatus"]) == ("PROCESSING", "PARTIALLY_REFUNDED")
    assert {line["sku"]: (line["quantityCanceled"], line["status"]) for line in order["lines"]} == {
        "MUG": (2, "IN_PROGRESS"), "CUP": (0, "IN_PROGRESS")}
    # Stock released by exactly the canceled units; the refund is exactly those units.
    assert (await reserved("MUG"), await reserved("CUP")) == (1, 2)
    assert await refunds(number) == [(Decimal("24.00"), "SUCCEEDED")]
    assert Decimal(order["refundedTotal"]["amount"]) == Decimal("24.00")
    event = await OrderEvent.filter(order__number=number, type="order.lines_canceled").get()
    mug = await OrderLine.get(order__number=number, sku="MUG")
    assert event.actor == "staff@example.com"
    assert event.data["lines"] == {str(mug.id): 2}
    assert (event.data["amount"], event.data["reason"]) == ("24.00", "out of glaze")

    # The rest, whole: nothing is left to ship, so shipping goes back too.
    data = (await staff.query(CANCEL, {"id": placed["order"]["id"]}))["cancelOrder"]
    assert data["userErrors"] == []
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("CANCELED", "REFUNDED")
    assert (await reserved("MUG"), await reserved("CUP")) == (0, 0)
    assert await refunds(number) == [
        (Decimal("24.00"), "SUCCEEDED"), (Decimal("12.00") + Decimal("15.00") + shipping, "SUCCEEDED")]
    order_row = await Order.get(number=number)
    assert Decimal(order_row.refunded_total) == Decimal(order_row.total)
    assert await OrderEvent.filter(order__number=number, type="order.canceled").count() == 1


@pytest.mark.parametrize("who", ["customer", "guest"])
async def test_customer_or_guest_cancels_the_whole_paid_order(oms_app, oms_graphql, oms_accounts, goods, who):
    if who == "customer":
        client, email = oms_graphql.as_(oms_accounts.customer), "alice@example.com"
    else:
        client, email = oms_graphql, "guest@example.com"
    placed = await place_paid_order(oms_app, client, [("MUG", 2)], shipping_method="standard", email=email)
    token = placed["orderToken"] if who == "guest" else None
    number = placed["order"]["number"]
    total = Decimal((await Order.get(number=number)).total)

    # Only staff choose lines.
    partial = (await client.query(CANCEL, {"id": placed["order"]["id"], "token": token,
                                           "lines": [{"lineId": line_id(placed, "MUG"), "quantity": 1}]}))
    assert [e["code"] for e in partial["cancelOrder"]["userErrors"]] == ["PERMISSION_DENIED"]
    assert await reserved("MUG") == 2

    data = (await client.query(CANCEL, {"id": placed["order"]["id"], "token": token}))["cancelOrder"]
    assert data["userErrors"] == []
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("CANCELED", "REFUNDED")
    assert data["order"]["lines"] == [{"sku": "MUG", "quantity": 2, "quantityCanceled": 2, "status": "CANCELED"}]
    assert await reserved("MUG") == 0
    assert await refunds(number) == [(total, "SUCCEEDED")]
    event = await OrderEvent.filter(order__number=number, type="order.canceled").get()
    assert event.actor == email


async def test_a_wrong_token_or_another_customer_cannot_cancel(oms_app, oms_graphql, oms_accounts, goods):
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard")
    wrong = (await oms_graphql.query(CANCEL, {"id": placed["order"]["id"], "token": "x" * 43}))["cancelOrder"]
    assert [e["code"] for e in wrong["userErrors"]] == ["NOT_FOUND"]
    other = (await oms_graphql.as_(oms_accounts.other_customer).query(CANCEL, {"id": placed["order"]["id"]}))
    assert [e["code"] for e in other["cancelOrder"]["userErrors"]] == ["NOT_FOUND"]
    assert await reserved("MUG") == 1
    assert await Refund.all().count() == 0


async def test_cancel_refused_after_shipping_and_the_rest_completes(oms_app, oms_graphql, oms_accounts, goods):
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard")
    number, token = placed["order"]["number"], placed["orderToken"]
    staff = oms_graphql.as_(oms_accounts.staff)
    shipped = (await staff.query(SHIP, {"i": {"orderId": placed["order"]["id"], "trackingNumber": "T-1",
                                             "lines": [{"lineId": line_id(placed, "MUG"), "quantity": 1}]}}))
    assert shipped["createShipment"]["userErrors"] == []

    # The guest can no longer cancel: one unit left in a parcel.
    guest = (await oms_graphql.query(CANCEL, {"id": placed["order"]["id"], "token": token}))["cancelOrder"]
    assert [e["code"] for e in guest["userErrors"]] == ["INVALID_TRANSITION"]
    # Staff cannot cancel the shipped unit.
    too_many = (await staff.query(CANCEL, {"id": placed["order"]["id"],
                                           "lines": [{"lineId": line_id(placed, "MUG"), "quantity": 2}]}))
    assert [(e["code"], e["field"]) for e in too_many["cancelOrder"]["userErrors"]] == [
        ("INVALID", ["lines", "0", "quantity"])]
    assert await Refund.all().count() == 0

    delivered = (await staff.query(DELIVERED, {"id": shipped["createShipment"]["fulfillment"]["id"]}))
    assert delivered["markShipmentDelivered"]["order"]["status"] == "PARTIALLY_FULFILLED"
    # Staff cancel the unit not shipped: everything left is delivered, so the order completes.
    data = (await staff.query(CANCEL, {"id": placed["order"]["id"]}))["cancelOrder"]
    assert data["userErrors"] == []
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("COMPLETED", "PARTIALLY_REFUNDED")
    assert data["order"]["lines"] == [{"sku": "MUG", "quantity": 2, "quantityCanceled": 1, "status": "DELIVERED"}]
    assert await refunds(number) == [(Decimal("12.00"), "SUCCEEDED")]  # a unit shipped: no shipping back
    stock = await Stock.get(variant__sku="MUG")
    assert (stock.quantity, stock.reserved) == (9, 0)
    again = (await staff.query(CANCEL, {"id": placed["order"]["id"]}))["cancelOrder"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]


async def test_a_goodwill_refund_is_not_paid_twice_on_cancel(oms_app, oms_graphql, oms_accounts, goods):
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard")
    number = placed["order"]["number"]
    total = Decimal((await Order.get(number=number)).total)
    staff = oms_graphql.as_(oms_accounts.staff)
    goodwill = (await staff.query(
        "mutation($id: ID!) { refundOrder(id: $id, amount: \"5.00\", reason: \"late\") { userErrors { code } } }",
        {"id": placed["order"]["id"]}))["refundOrder"]
    assert goodwill["userErrors"] == []

    data = (await oms_graphql.query(CANCEL, {"id": placed["order"]["id"], "token": placed["orderToken"],
                                            "reason": "x" * 2000}))["cancelOrder"]
    assert data["userErrors"] == []
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("CANCELED", "REFUNDED")
    assert await refunds(number) == [(Decimal("5.00"), "SUCCEEDED"), (total - Decimal("5.00"), "SUCCEEDED")]
    assert Decimal(data["order"]["refundedTotal"]["amount"]) == total
