"""One order of all four built-in product types, from payment to COMPLETED: each line is
delivered by its own plugin, at its own pace."""

from __future__ import annotations

import datetime as dt

from oms.inventory.models import Stock
from oms.orders.models import Order
from oms.testing import make_product, place_paid_order

ORDER = """
query($t: String) { order(token: $t) {
  status
  lines { sku status }
  fulfillments { productType status details { __typename
    ... on Shipment { shipmentStatus: status }
    ... on DigitalDelivery { downloads { url } }
    ... on SubscriptionActivation { subscription { status } }
    ... on Booking { id bookingStatus: status } } }
} }
"""

CONSULTANT = {"name": "Grete Hansen", "timezone": "Europe/Berlin",
              "availability": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


async def test_an_order_of_all_four_types_completes(oms_app, oms_graphql, oms_http, oms_accounts, tmp_path):
    from oms_consultation import services as consultation
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

    now = dt.datetime.now(dt.UTC)
    slots = (await oms_graphql.query(
        "query($f: DateTime!, $t: DateTime!) { availableSlots(sku: \"CALL\", from: $f, to: $t) { start } }",
        {"f": (now + dt.timedelta(days=2)).isoformat(), "t": (now + dt.timedelta(days=4)).isoformat()},
    ))["availableSlots"]
    slot = slots[0]["start"]
    placed = await place_paid_order(
        oms_app, oms_graphql,
        [("MUG", 2), ("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slot}}],
        shipping_method="standard",
    )
    token = placed["orderToken"]

    # Paid and the delivery jobs run: digital and subscription delivered at once, the
    # booking confirmed, the parcel awaiting shipment.
    seen = (await oms_graphql.query(ORDER, {"t": token}))["order"]
    assert seen["status"] == "PARTIALLY_FULFILLED"
    assert {line["sku"]: line["status"] for line in seen["lines"]} == {
        "MUG": "IN_PROGRESS", "EBOOK": "DELIVERED", "PLAN": "DELIVERED", "CALL": "IN_PROGRESS"}
    details = {f["productType"]: f["details"] for f in seen["fulfillments"]}
    assert set(details) == {"digital", "subscription", "consultation"}
    assert details["subscription"]["subscription"]["status"] == "ACTIVE"
    assert details["consultation"]["bookingStatus"] == "CONFIRMED"
    download = await oms_http.get(details["digital"]["downloads"][0]["url"].removeprefix(
        oms_app.state.settings.public_url))
    assert download.content == b"%PDF-1.4 book"

    staff = oms_graphql.as_(oms_accounts.staff)
    # Plugin Node types resolve through node(id:) for those who may see them.
    node = "query($id: ID!) { node(id: $id) { ... on Booking { consultant } } }"
    booking_id = details["consultation"]["id"]
    assert (await staff.query(node, {"id": booking_id}))["node"] == {"consultant": "Grete Hansen"}
    assert (await oms_graphql.as_(oms_accounts.customer).query(node, {"id": booking_id}))["node"] is None
    mug_line = next(line["id"] for line in placed["order"]["lines"] if line["sku"] == "MUG")
    shipped = (await staff.query(
        """mutation($i: CreateShipmentInput!) { createShipment(input: $i) { fulfillment { id } userErrors { code } } }""",
        {"i": {"orderId": placed["order"]["id"], "trackingNumber": "T-1",
               "lines": [{"lineId": mug_line, "quantity": 2}]}}))["createShipment"]
    assert shipped["userErrors"] == []
    delivered = (await staff.query(
        "mutation($id: ID!) { markShipmentDelivered(id: $id) { order { status } userErrors { code } } }",
        {"id": shipped["fulfillment"]["id"]}))["markShipmentDelivered"]
    assert delivered["order"]["status"] == "PARTIALLY_FULFILLED"  # the session is still to come

    # The session took place (the clock pinned after its start).
    early = (await staff.query("mutation($id: ID!) { completeBooking(id: $id) { userErrors { code } } }",
                               {"id": details["consultation"]["id"]}))["completeBooking"]
    assert early["userErrors"] == [{"code": "INVALID_TRANSITION"}]  # not before it starts
    booking = await consultation.Booking.get(order__number=placed["order"]["number"])
    await consultation.complete_booking(booking.id, actor="staff@example.com",
                                        now=booking.starts_at + dt.timedelta(minutes=30))
    order = await Order.get(number=placed["order"]["number"])
    assert order.status.value == "COMPLETED" and order.completed_at is not None
    assert (await Stock.get(variant__sku="MUG")).quantity == 8
