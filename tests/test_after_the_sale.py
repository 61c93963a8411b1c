"""Issue 11 end to end, through GraphQL and the four built-in plugins: one order of all four
types, paid; the mug shipped and returned with restock, the subscription returned inside its
cooling-off, the booking given back two days ahead; each type's refusals (an e-book once
downloaded, a subscription after cooling-off, a session after it was held); the refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oms.inventory.models import Stock
from oms.orders.models import Order
from oms.testing import make_product, place_paid_order

CONSULTANT = {"name": "Grete Hansen", "timezone": "Europe/Berlin",
              "availability": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}

ORDER = """
query($t: String) { order(token: $t) {
  id status paymentStatus refundedTotal { amount currency }
  lines { id sku status quantityReturned }
  fulfillments { productType details { __typename
    ... on DigitalDelivery { downloads { url revoked } }
    ... on SubscriptionActivation { subscription { status accessKey } }
    ... on Booking { id bookingStatus: status } } }
  returns { number status }
  refunds { amount { amount } status }
} }
"""
REQUEST = """
mutation($i: RequestReturnInput!) { requestReturn(input: $i) {
  return { id status lines { quantity orderLine { sku } } } userErrors { field code message } } }
"""
RESULT = "return { status refund { amount { amount currency } status } } userErrors { code message }"
APPROVE = "mutation($id: ID!) { approveReturn(id: $id) { " + RESULT + " } }"
RECEIVE = "mutation($id: ID!) { receiveReturn(id: $id, restock: true) { " + RESULT + " } }"
REFUND = "mutation($id: ID!) { refundReturn(id: $id) { " + RESULT + " } }"
SLOTS = 'query($f: DateTime!, $t: DateTime!) { availableSlots(sku: "CALL", from: $f, to: $t) { start } }'


@pytest.fixture
async def shop(oms_app, tmp_path):
    from oms_digital.files import add_file

    await make_product(oms_app, product_type="physical", sku="MUG", price="12.00",
                       attributes={"weight_grams": 300}, stock=10)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="5.00")
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.4 book")
    await add_file("EBOOK", str(tmp_path / "book.pdf"), media_root=oms_app.state.settings.media_root)
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="9.00",
                       attributes={"interval": "month"})
    await make_product(oms_app, product_type="consultation", sku="CALL", price="90.00",
                       attributes={"duration_minutes": 60, "consultants": [CONSULTANT]})


async def free_slots(graphql, start: dt.datetime, days: float) -> list[str]:
    found = await graphql.query(SLOTS, {"f": start.isoformat(), "t": (start + dt.timedelta(days=days)).isoformat()})
    return [slot["start"] for slot in found["availableSlots"]]


def ask(order: dict, token: str, lines: list[tuple[str, int]]) -> dict:
    ids = {line["sku"]: line["id"] for line in order["lines"]}
    return {"i": {"orderId": order["id"], "orderToken": token, "reason": "Changed my mind",
                  "lines": [{"lineId": ids[sku], "quantity": qty} for sku, qty in lines]}}


def path(url: str, oms_app) -> str:
    return url.removeprefix(oms_app.state.settings.public_url)


async def test_an_order_of_all_four_types_comes_back_and_is_refunded(
    oms_app, oms_graphql, oms_http, oms_accounts, shop
):
    from oms_consultation.models import Booking

    staff = oms_graphql.as_(oms_accounts.staff)
    now = dt.datetime.now(dt.UTC)
    slot = (await free_slots(oms_graphql, now + dt.timedelta(days=2, hours=1), 2))[0]
    placed = await place_paid_order(
        oms_app, oms_graphql,
        [("MUG", 2), ("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slot}}],
        shipping_method="standard",
    )
    token = placed["orderToken"]
    order = (await oms_graphql.query(ORDER, {"t": token}))["order"]
    details = {f["productType"]: f["details"] for f in order["fulfillments"]}
    mug = next(line["id"] for line in order["lines"] if line["sku"] == "MUG")
    shipped = (await staff.query(
        "mutation($i: CreateShipmentInput!) { createShipment(input: $i) { fulfillment { id } userErrors { code } } }",
        {"i": {"orderId": order["id"], "trackingNumber": "T-1", "lines": [{"lineId": mug, "quantity": 2}]}},
    ))["createShipment"]
    assert shipped["userErrors"] == []
    delivered = await staff.query("mutation($id: ID!) { markShipmentDelivered(id: $id) { userErrors { code } } }",
                                  {"id": shipped["fulfillment"]["id"]})
    assert delivered["markShipmentDelivered"]["userErrors"] == []
    stock_after_shipping = (await Stock.get(variant__sku="MUG")).quantity
    assert stock_after_shipping == 8

    # The e-book was downloaded: refused, and nothing of the request is written.
    download = await oms_http.get(path(details["digital"]["downloads"][0]["url"], oms_app))
    assert download.status_code == 200
    refused = (await oms_graphql.query(REQUEST, ask(order, token, [("MUG", 1), ("EBOOK", 1)])))["requestReturn"]
    assert refused["return"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["RETURN_NOT_ALLOWED"]
    assert "downloaded" in refused["userErrors"][0]["message"]
    assert (await oms_graphql.query(ORDER, {"t": token}))["order"]["returns"] == []

    # One mug, the subscription (inside cooling-off) and the session (two days ahead).
    asked = (await oms_graphql.query(
        REQUEST, ask(order, token, [("MUG", 1), ("PLAN", 1), ("CALL", 1)])))["requestReturn"]
    assert asked["userErrors"] == []
    assert asked["return"]["status"] == "REQUESTED"
    rma = asked["return"]["id"]
    slot_start = dt.datetime.fromisoformat(slot)
    assert slot not in await free_slots(oms_graphql, slot_start - dt.timedelta(minutes=1), 1)
    access_key = details["subscription"]["subscription"]["accessKey"]
    assert (await oms_http.get(f"/entitlements/{access_key}")).json()["active"] is True

    approved = (await staff.query(APPROVE, {"id": rma}))["approveReturn"]
    assert approved["userErrors"] == [] and approved["return"]["status"] == "APPROVED"
    # What does not ship is reversed at approval: access ends, the slot is free again.
    assert (await oms_http.get(f"/entitlements/{access_key}")).json()["active"] is False
    assert slot in await free_slots(oms_graphql, slot_start - dt.timedelta(minutes=1), 1)
    booking = await Booking.get(order_line__order__number=placed["order"]["number"])
    assert booking.status.value == "CANCELED"
    # The mug waits for the parcel: no stock back yet.
    assert (await Stock.get(variant__sku="MUG")).quantity == stock_after_shipping

    received = (await staff.query(RECEIVE, {"id": rma}))["receiveReturn"]
    assert received["userErrors"] == [] and received["return"]["status"] == "RECEIVED"
    assert (await Stock.get(variant__sku="MUG")).quantity == stock_after_shipping + 1

    refunded = (await staff.query(REFUND, {"id": rma}))["refundReturn"]
    assert refunded["userErrors"] == []
    expected = Decimal("12.00") + Decimal("9.00") + Decimal("90.00")
    assert Decimal(refunded["return"]["refund"]["amount"]["amount"]) == expected
    seen = (await oms_graphql.query(ORDER, {"t": token}))["order"]
    assert seen["paymentStatus"] == "PARTIALLY_REFUNDED"
    assert Decimal(seen["refundedTotal"]["amount"]) == expected
    assert {line["sku"]: line["quantityReturned"] for line in seen["lines"]} == {
        "MUG": 1, "EBOOK": 0, "PLAN": 1, "CALL": 1}
    total = Decimal((await Order.get(number=placed["order"]["number"])).total)
    assert expected < total


async def test_refusals_after_the_window_and_an_unused_e_book_comes_back(
    oms_app, oms_graphql, oms_http, oms_accounts, shop
):
    from oms_consultation.models import Booking
    from oms_subscription.models import SubscriptionContract

    now = dt.datetime.now(dt.UTC)
    slot = (await free_slots(oms_graphql, now + dt.timedelta(days=3), 2))[0]
    placed = await place_paid_order(
        oms_app, oms_graphql,
        [("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slot}}],
    )
    token = placed["orderToken"]
    order = (await oms_graphql.query(ORDER, {"t": token}))["order"]
    number = placed["order"]["number"]

    # Past the cooling-off period and after the session started: refused, each with its reason.
    await SubscriptionContract.filter(order_line__order__number=number).update(
        created_at=now - dt.timedelta(days=15))
    for sku, words in (("PLAN", "14 days"), ("CALL", "already started")):
        if sku == "CALL":
            await Booking.filter(order_line__order__number=number).update(
                starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1))
        refused = (await oms_graphql.query(REQUEST, ask(order, token, [(sku, 1)])))["requestReturn"]
        assert [e["code"] for e in refused["userErrors"]] == ["RETURN_NOT_ALLOWED"], sku
        assert words in refused["userErrors"][0]["message"], refused["userErrors"][0]["message"]

    # The e-book never downloaded: accepted; approval revokes its link.
    asked = (await oms_graphql.query(REQUEST, ask(order, token, [("EBOOK", 1)])))["requestReturn"]
    assert asked["userErrors"] == []
    url = next(f["details"]["downloads"][0]["url"] for f in order["fulfillments"] if f["productType"] == "digital")
    assert (await oms_graphql.query(ORDER, {"t": token}))["order"]["returns"][0]["status"] == "REQUESTED"
    approved = (await oms_graphql.as_(oms_accounts.staff).query(APPROVE, {"id": asked["return"]["id"]}))
    assert approved["approveReturn"]["userErrors"] == []
    gone = await oms_http.get(path(url, oms_app))
    assert (gone.status_code, gone.text) == (410, "This download link was revoked.")
