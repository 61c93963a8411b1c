"""Returns (RMA, issue 11): requestReturn by the customer, a guest or staff; the owner's
return policy; approve / reject; receiveReturn with or without restock (stock back by
exactly the returned units); refundReturn, also racing on PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from oms.inventory.models import Stock
from oms.orders.models import Order, OrderEvent, OrderLine, Return
from oms.payments.models import Refund
from oms.testing import make_product, place_paid_order, test_database_url
from tests.return_plugin import Gifts

REQUEST = """
mutation Request($input: RequestReturnInput!) {
  requestReturn(input: $input) {
    return { id number status reason lines { quantity reason restock orderLine { sku } } }
    userErrors { field code message }
  }
}
"""
RETURN_FIELDS = """
return { id number status rejectionReason refund { amount { amount } status }
         lines { quantity restock orderLine { sku quantityReturned status } }
         order { paymentStatus refundedTotal { amount } } }
userErrors { field code message }
"""
APPROVE = "mutation($id: ID!) { approveReturn(id: $id) { %s } }" % RETURN_FIELDS
REJECT = "mutation($id: ID!, $r: String!) { rejectReturn(id: $id, reason: $r) { %s } }" % RETURN_FIELDS
RECEIVE = "mutation($id: ID!, $s: Boolean) { receiveReturn(id: $id, restock: $s) { %s } }" % RETURN_FIELDS
REFUND = "mutation($id: ID!, $a: Decimal) { refundReturn(id: $id, amount: $a) { %s } }" % RETURN_FIELDS
SHIP = "mutation($i: CreateShipmentInput!) { createShipment(input: $i) { fulfillment { id } userErrors { code } } }"
DELIVERED = "mutation($id: ID!) { markShipmentDelivered(id: $id) { userErrors { code } } }"
ORDER_RETURNS = "query($t: String) { order(token: $t) { returns { number status lines { quantity } } } }"


async def refund_of(number: str) -> tuple[Decimal, str] | None:
    rma = await Return.get(number=number)
    if rma.refund_id is None:
        return None
    refund = await Refund.get(id=rma.refund_id)
    return Decimal(refund.amount), refund.status.value


def line_id(placed, sku: str) -> str:
    return next(line["id"] for line in placed["order"]["lines"] if line["sku"] == sku)


def request(placed, lines, token=None, reason=None):
    data = {"orderId": placed["order"]["id"], "lines": lines, "reason": reason}
    if token:
        data["orderToken"] = token
    return {"input": data}


async def shipped_and_delivered(staff, placed, sku: str, quantity: int) -> None:
    shipped = (await staff.query(SHIP, {"i": {"orderId": placed["order"]["id"], "trackingNumber": "T-1",
                                             "lines": [{"lineId": line_id(placed, sku), "quantity": quantity}]}}))
    assert shipped["createShipment"]["userErrors"] == []
    done = await staff.query(DELIVERED, {"id": shipped["createShipment"]["fulfillment"]["id"]})
    assert done["markShipmentDelivered"]["userErrors"] == []


@pytest.fixture
async def mugs(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                       attributes={"weight_grams": 300}, stock=10)


async def test_a_return_with_restock_puts_back_exactly_the_returned_units(
    oms_app, oms_graphql, oms_accounts, mugs
):
    alice = oms_graphql.as_(oms_accounts.customer)
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, alice, [("MUG", 3)], shipping_method="standard",
                                    email="alice@example.com")
    number = placed["order"]["number"]
    mug = line_id(placed, "MUG")

    # Nothing delivered yet: nothing to return.
    early = (await alice.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 1}])))["requestReturn"]
    assert [(e["code"], e["field"]) for e in early["userErrors"]] == [("INVALID", ["lines", "0", "quantity"])]

    await shipped_and_delivered(staff, placed, "MUG", 3)
    assert (await Stock.get(variant__sku="MUG")).quantity == 7

    over = (await alice.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 4}])))["requestReturn"]
    assert over["return"] is None
    assert [(e["code"], e["field"]) for e in over["userErrors"]] == [("INVALID", ["lines", "0", "quantity"])]

    asked = (await alice.query(REQUEST, request(
        placed, [{"lineId": mug, "quantity": 2, "reason": "chipped"}], reason="damaged in transit")))["requestReturn"]
    assert asked["userErrors"] == []
    rma = asked["return"]
    assert (rma["number"], rma["status"], rma["reason"]) == (f"{number}-R1", "REQUESTED", "damaged in transit")
    assert rma["lines"] == [{"quantity": 2, "reason": "chipped", "restock": False, "orderLine": {"sku": "MUG"}}]
    # The two units are spoken for: only one more may be asked for.
    more = (await alice.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 2}])))["requestReturn"]
    assert [e["code"] for e in more["userErrors"]] == ["INVALID"]

    # Only staff with MANAGE_RETURNS approve.
    denied = (await alice.query(APPROVE, {"id": rma["id"]}))["approveReturn"]
    assert [e["code"] for e in denied["userErrors"]] == ["PERMISSION_DENIED"]
    approved = (await staff.query(APPROVE, {"id": rma["id"]}))["approveReturn"]
    assert approved["userErrors"] == []
    assert approved["return"]["status"] == "APPROVED"
    assert approved["return"]["lines"][0]["orderLine"]["quantityReturned"] == 0  # the parcel is on its way
    # Not refundable before the units are back.
    early_refund = (await staff.query(REFUND, {"id": rma["id"]}))["refundReturn"]
    assert [e["code"] for e in early_refund["userErrors"]] == ["INVALID_TRANSITION"]

    received = (await staff.query(RECEIVE, {"id": rma["id"]}))["receiveReturn"]
    assert received["userErrors"] == []
    got = received["return"]
    assert got["status"] == "RECEIVED"
    assert got["lines"] == [{"quantity": 2, "restock": True,
                             "orderLine": {"sku": "MUG", "quantityReturned": 2, "status": "DELIVERED"}}]
    stock = await Stock.get(variant__sku="MUG")
    assert (stock.quantity, stock.reserved) == (9, 0)  # back by exactly the two returned units

    refunded = (await staff.query(REFUND, {"id": rma["id"]}))["refundReturn"]
    assert refunded["userErrors"] == []
    assert refunded["return"]["status"] == "REFUNDED"
    # Two of three mugs back: their price, no shipping.
    assert refunded["return"]["refund"] == {"amount": {"amount": "24.00"}, "status": "SUCCEEDED"}
    assert await refund_of(f"{number}-R1") == (Decimal("24.00"), "SUCCEEDED")
    assert refunded["return"]["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
    again = (await staff.query(REFUND, {"id": rma["id"]}))["refundReturn"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]

    # The last mug comes back unsellable: not restocked; shipping is refunded with it.
    last = (await alice.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 1}])))["requestReturn"]
    assert last["return"]["number"] == f"{number}-R2"
    await staff.query(APPROVE, {"id": last["return"]["id"]})
    kept = (await staff.query(RECEIVE, {"id": last["return"]["id"], "s": False}))["receiveReturn"]
    assert kept["return"]["lines"][0]["restock"] is False
    assert kept["return"]["lines"][0]["orderLine"]["status"] == "RETURNED"
    assert (await Stock.get(variant__sku="MUG")).quantity == 9
    order = await Order.get(number=number)
    final = (await staff.query(REFUND, {"id": last["return"]["id"]}))["refundReturn"]
    assert await refund_of(f"{number}-R2") == (Decimal("12.00") + Decimal(order.shipping_total), "SUCCEEDED")
    assert final["return"]["order"]["paymentStatus"] == "REFUNDED"

    events = await OrderEvent.filter(order__number=number, type__startswith="return.").order_by("id")
    assert [(e.type, e.actor) for e in events] == [
        ("return.requested", "alice@example.com"), ("return.approved", "staff@example.com"),
        ("return.received", "staff@example.com"),
        ("return.requested", "alice@example.com"), ("return.approved", "staff@example.com"),
        ("return.received", "staff@example.com")]
    assert events[0].data["return_id"] == (await Return.get(number=f"{number}-R1")).id
    seen = (await oms_graphql.query(ORDER_RETURNS, {"t": placed["orderToken"]}))["order"]["returns"]
    assert seen == [{"number": f"{number}-R1", "status": "REFUNDED", "lines": [{"quantity": 2}]},
                    {"number": f"{number}-R2", "status": "REFUNDED", "lines": [{"quantity": 1}]}]


async def test_a_rejected_return_frees_its_units(oms_app, oms_graphql, oms_accounts, mugs):
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard")
    await shipped_and_delivered(staff, placed, "MUG", 1)
    token, mug = placed["orderToken"], line_id(placed, "MUG")
    rma = (await oms_graphql.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 1}], token=token)))
    rma_id = rma["requestReturn"]["return"]["id"]
    blank = (await staff.query(REJECT, {"id": rma_id, "r": "  "}))["rejectReturn"]
    assert [(e["code"], e["field"]) for e in blank["userErrors"]] == [("REQUIRED", ["reason"])]
    rejected = (await staff.query(REJECT, {"id": rma_id, "r": "Used beyond testing."}))["rejectReturn"]
    assert (rejected["return"]["status"], rejected["return"]["rejectionReason"]) == ("REJECTED", "Used beyond testing.")
    assert [e["code"] for e in (await staff.query(APPROVE, {"id": rma_id}))["approveReturn"]["userErrors"]] == [
        "INVALID_TRANSITION"]
    event = await OrderEvent.get(type="return.rejected")
    assert (event.actor, event.data["reason"]) == ("staff@example.com", "Used beyond testing.")
    node = "query($id: ID!) { node(id: $id) { ... on Return { number status } } }"
    assert (await staff.query(node, {"id": rma_id}))["node"]["status"] == "REJECTED"
    assert (await oms_graphql.as_(oms_accounts.other_customer).query(node, {"id": rma_id}))["node"] is None
    # Staff may ask on the customer's behalf; the unit is returnable again.
    again = (await staff.query(REQUEST, request(placed, [{"lineId": mug, "quantity": 1}])))["requestReturn"]
    assert again["userErrors"] == []


async def test_someone_else_cannot_ask_for_a_return(oms_app, oms_graphql, oms_accounts, mugs):
    alice = oms_graphql.as_(oms_accounts.customer)
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, alice, [("MUG", 1)], shipping_method="standard",
                                    email="alice@example.com")
    await shipped_and_delivered(staff, placed, "MUG", 1)
    lines = [{"lineId": line_id(placed, "MUG"), "quantity": 1}]
    bob = (await oms_graphql.as_(oms_accounts.other_customer).query(REQUEST, request(placed, lines)))
    assert [(e["code"], e["field"]) for e in bob["requestReturn"]["userErrors"]] == [("NOT_FOUND", ["orderId"])]
    anonymous = (await oms_graphql.query(REQUEST, request(placed, lines)))
    assert [e["code"] for e in anonymous["requestReturn"]["userErrors"]] == ["NOT_FOUND"]
    wrong = (await oms_graphql.query(REQUEST, request(placed, lines, token="x" * 43)))
    assert [e["code"] for e in wrong["requestReturn"]["userErrors"]] == ["NOT_FOUND"]
    bad_line = (await alice.query(REQUEST, request(placed, [{"lineId": placed["order"]["id"], "quantity": 1}])))
    assert [(e["code"], e["field"]) for e in bad_line["requestReturn"]["userErrors"]] == [
        ("INVALID", ["lines", "0", "lineId"])]
    assert await Return.all().count() == 0


@pytest.mark.parametrize("oms_extra_plugins", [[Gifts()]], ids=["gifts"])
async def test_the_owners_policy_decides_and_approval_reverses_at_once(
    oms_app, oms_graphql, oms_accounts, oms_extra_plugins
):
    gifts = oms_extra_plugins[0]
    await make_product(oms_app, product_type="gift", sku="GIFT", price="50.00")
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, oms_graphql, [("GIFT", 2)])
    token, gift = placed["orderToken"], line_id(placed, "GIFT")
    assert (await OrderLine.get(sku="GIFT")).quantity_fulfilled == 2

    gifts.refusal = "Gift cards cannot be returned once sent."
    refused = (await oms_graphql.query(REQUEST, request(placed, [{"lineId": gift, "quantity": 1}], token=token)))
    assert [(e["code"], e["message"]) for e in refused["requestReturn"]["userErrors"]] == [
        ("RETURN_NOT_ALLOWED", "Gift cards cannot be returned once sent.")]
    assert await Return.all().count() == 0

    gifts.refusal = None
    asked = (await oms_graphql.query(REQUEST, request(placed, [{"lineId": gift, "quantity": 1}], token=token)))
    rma = asked["requestReturn"]["return"]
    assert rma["status"] == "REQUESTED"
    assert gifts.policy_calls == [(placed["order"]["number"], "GIFT", 1)] * 2
    assert gifts.reversals == []

    approved = (await staff.query(APPROVE, {"id": rma["id"]}))["approveReturn"]["return"]
    assert approved["status"] == "APPROVED"
    line = await OrderLine.get(sku="GIFT")
    assert gifts.reversals == [(placed["order"]["number"], ["GIFT"], "returned", {line.id: 1})]
    assert approved["lines"][0]["orderLine"]["quantityReturned"] == 1
    # Nothing ships back: refundable once approved, for a part of the default.
    refunded = (await staff.query(REFUND, {"id": rma["id"], "a": "30.00"}))["refundReturn"]
    assert refunded["userErrors"] == []
    assert await refund_of(f"{placed['order']['number']}-R1") == (Decimal("30.00"), "SUCCEEDED")
    assert [(Decimal(r.amount), r.actor) for r in await Refund.all()] == [(Decimal("30.00"), "staff@example.com")]


CONCURRENT = pytest.mark.skipif(test_database_url() is None, reason="row locks are a PostgreSQL matter")


@CONCURRENT
@pytest.mark.parametrize("oms_extra_plugins", [[Gifts()]], ids=["gifts"])
async def test_two_concurrent_refunds_of_60_percent_one_exceeds(oms_app, oms_graphql, oms_accounts):
    await make_product(oms_app, product_type="gift", sku="GIFT", price="50.00")
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, oms_graphql, [("GIFT", 2)])
    gift = line_id(placed, "GIFT")
    ids = []
    for _ in range(2):
        asked = await staff.query(REQUEST, request(placed, [{"lineId": gift, "quantity": 1}]))
        ids.append(asked["requestReturn"]["return"]["id"])
        await staff.query(APPROVE, {"id": ids[-1]})

    answers = await asyncio.gather(*(staff.query(REFUND, {"id": i, "a": "60.00"}) for i in ids))
    outcomes = sorted(tuple(e["code"] for e in a["refundReturn"]["userErrors"]) for a in answers)
    assert outcomes == [(), ("REFUND_EXCEEDS_PAID",)]
    assert [Decimal(r.amount) for r in await Refund.all()] == [Decimal("60.00")]
    order = await Order.get(number=placed["order"]["number"])
    assert Decimal(order.refunded_total) == Decimal("60.00")
    assert sorted(r.status.value for r in await Return.all()) == ["APPROVED", "REFUNDED"]


CONSULTANT = {"name": "Grete Hansen", "timezone": "Europe/Berlin",
              "availability": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
SLOTS = "query($f: DateTime!, $t: DateTime!) { availableSlots(sku: \"CALL\", from: $f, to: $t) { start } }"


async def test_a_booked_session_is_returned_before_it_takes_place(oms_app, oms_graphql, oms_accounts):
    import datetime as dt

    from oms_consultation.models import Booking

    await make_product(oms_app, product_type="consultation", sku="CALL", price="90.00",
                       attributes={"duration_minutes": 60, "consultants": [CONSULTANT]})
    now = dt.datetime.now(dt.UTC)
    window = {"f": (now + dt.timedelta(days=2)).isoformat(), "t": (now + dt.timedelta(days=3)).isoformat()}
    slot = (await oms_graphql.query(SLOTS, window))["availableSlots"][0]["start"]
    placed = await place_paid_order(oms_app, oms_graphql, [{"sku": "CALL", "quantity": 1, "options": {"slot": slot}}])
    staff = oms_graphql.as_(oms_accounts.staff)
    assert slot not in [s["start"] for s in (await oms_graphql.query(SLOTS, window))["availableSlots"]]

    # Booked, not yet delivered: a session may be given back before it takes place.
    asked = (await oms_graphql.query(REQUEST, request(
        placed, [{"lineId": line_id(placed, "CALL"), "quantity": 1}], token=placed["orderToken"])))
    assert asked["requestReturn"]["userErrors"] == []
    approved = (await staff.query(APPROVE, {"id": asked["requestReturn"]["return"]["id"]}))["approveReturn"]
    assert approved["return"]["lines"][0]["orderLine"] == {"sku": "CALL", "quantityReturned": 1, "status": "RETURNED"}
    assert (await Booking.get(order_line__order__number=placed["order"]["number"])).status.value == "CANCELED"
    assert slot in [s["start"] for s in (await oms_graphql.query(SLOTS, window))["availableSlots"]]
    # Nothing is left to do for the order.
    assert (await Order.get(number=placed["order"]["number"])).status.value == "COMPLETED"
    refunded = (await staff.query(REFUND, {"id": asked["requestReturn"]["return"]["id"]}))["refundReturn"]
    assert refunded["return"]["order"]["paymentStatus"] == "REFUNDED"
    assert await refund_of(f"{placed['order']['number']}-R1") == (Decimal("90.00"), "SUCCEEDED")
