"""`fulfillmentStatus: FulfillmentStatus!` on every FulfillmentDetails member: one union
query over all four kinds needs no aliases (each member's own `status` keeps its enum)."""

from __future__ import annotations

import datetime as dt

from oms.testing import make_product, place_paid_order

# No aliases: one field of one type on every member (selecting `status` on all of them
# would be a validation error, ShipmentStatus vs BookingStatus...).
UNION = """
query($t: String) { order(token: $t) {
  fulfillments { productType status details { __typename
    ... on Shipment { fulfillmentStatus }
    ... on DigitalDelivery { fulfillmentStatus }
    ... on SubscriptionActivation { fulfillmentStatus }
    ... on Booking { fulfillmentStatus } } }
} }
"""

CONSULTANT = {
    "name": "Grete Hansen",
    "timezone": "Europe/Berlin",
    "availability": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}


async def test_union_query_selects_fulfillment_status_on_all_four_types(oms_app, oms_graphql, oms_accounts, tmp_path):
    from oms_digital.files import add_file

    await make_product(
        oms_app, product_type="physical", sku="MUG", price="12.00", attributes={"weight_grams": 300}, stock=10
    )
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="5.00")
    (tmp_path / "book.pdf").write_bytes(b"%PDF-1.4 book")
    await add_file("EBOOK", str(tmp_path / "book.pdf"), media_root=oms_app.state.settings.media_root)
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="9.00", attributes={"interval": "month"})
    await make_product(
        oms_app,
        product_type="consultation",
        sku="CALL",
        price="90.00",
        attributes={"duration_minutes": 60, "consultants": [CONSULTANT]},
    )
    now = dt.datetime.now(dt.UTC)
    slots = (
        await oms_graphql.query(
            'query($f: DateTime!, $t: DateTime!) { availableSlots(sku: "CALL", from: $f, to: $t) { start } }',
            {"f": (now + dt.timedelta(days=2)).isoformat(), "t": (now + dt.timedelta(days=4)).isoformat()},
        )
    )["availableSlots"]
    placed = await place_paid_order(
        oms_app,
        oms_graphql,
        [("MUG", 1), ("EBOOK", 1), ("PLAN", 1), {"sku": "CALL", "quantity": 1, "options": {"slot": slots[0]["start"]}}],
        shipping_method="standard",
    )
    staff = oms_graphql.as_(oms_accounts.staff)
    mug_line = next(line["id"] for line in placed["order"]["lines"] if line["sku"] == "MUG")
    shipped = (
        await staff.query(
            "mutation($i: CreateShipmentInput!) { createShipment(input: $i) { userErrors { code } } }",
            {
                "i": {
                    "orderId": placed["order"]["id"],
                    "trackingNumber": "T-1",
                    "lines": [{"lineId": mug_line, "quantity": 1}],
                }
            },
        )
    )["createShipment"]
    assert shipped["userErrors"] == []

    fulfillments = (await oms_graphql.query(UNION, {"t": placed["orderToken"]}))["order"]["fulfillments"]
    kinds = {f["details"]["__typename"] for f in fulfillments}
    assert kinds == {"Shipment", "DigitalDelivery", "SubscriptionActivation", "Booking"}
    for fulfillment in fulfillments:
        # The member's field is the core status of the fulfillment it details.
        assert fulfillment["details"]["fulfillmentStatus"] == fulfillment["status"], fulfillment
    statuses = {f["details"]["__typename"]: f["details"]["fulfillmentStatus"] for f in fulfillments}
    assert statuses["DigitalDelivery"] == "DELIVERED"
    assert statuses["SubscriptionActivation"] == "DELIVERED"
    assert statuses["Booking"] == "IN_PROGRESS"
    assert statuses["Shipment"] in ("PENDING", "IN_PROGRESS")


async def test_fulfillment_status_is_a_non_null_field_of_the_core_enum(oms_graphql):
    query = """{ __type(name: "%s") { fields { name type { kind ofType { name } } } } }"""
    for member in ("Shipment", "DigitalDelivery", "SubscriptionActivation", "Booking"):
        fields = (await oms_graphql.query(query % member))["__type"]["fields"]
        field = next(f for f in fields if f["name"] == "fulfillmentStatus")
        assert field["type"] == {"kind": "NON_NULL", "ofType": {"name": "FulfillmentStatus"}}, member
