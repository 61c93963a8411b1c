"""Shipping parcels: createShipment, the label, markShipmentDelivered, and the order's
progress as its units reach the customer."""

from __future__ import annotations

import asyncio
import io

import pypdf
import pytest

from oms.inventory.models import Stock
from oms.orders.models import Order, OrderEvent
from oms.testing import TEST_ADDRESS, make_product, place_paid_order, test_database_url

CREATE_SHIPMENT = """
mutation Ship($input: CreateShipmentInput!) {
  createShipment(input: $input) {
    fulfillment {
      id status productType
      lines { orderLine { sku } quantity }
      details { __typename ... on Shipment { status carrier trackingNumber trackingUrl labelUrl weightGrams } }
    }
    order { status }
    userErrors { field code message }
  }
}
"""

DELIVERED = """
mutation Delivered($id: ID!) {
  markShipmentDelivered(id: $id) {
    fulfillment { status details { ... on Shipment { status deliveredAt } } }
    order { status lines { sku status quantityFulfilled } }
    userErrors { field code message }
  }
}
"""

ORDER = """
query Order($id: ID!) {
  order(id: $id) {
    status
    lines { sku status quantityFulfilled }
    fulfillments { productType status details { __typename
      ... on Shipment { trackingNumber labelUrl }
      ... on DigitalDelivery { downloads { fileName url downloadsRemaining } } } }
  }
}
"""


@pytest.fixture
async def catalog(oms_app, tmp_path):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=10)
    await make_product(oms_app, product_type="physical", sku="LAMP", price="40.00",
                       attributes={"weight_grams": 1200}, stock=5)
    media = oms_app.state.settings.media_root
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.4 a tiny guide")
    await make_product(oms_app, product_type="digital", sku="GUIDE", price="5.00")
    from oms_digital.files import add_file

    await add_file("GUIDE", str(tmp_path / "guide.pdf"), media_root=media)


def ship_input(order, quantities, **extra):
    ids = {line["sku"]: line["id"] for line in order["lines"]}
    return {"input": {"orderId": order["id"],
                      "lines": [{"lineId": ids[sku], "quantity": n} for sku, n in quantities.items()],
                      **extra}}


async def on_hand(sku):
    stock = await Stock.get(variant__sku=sku)
    return stock.quantity, stock.reserved


async def test_mixed_order_ships_in_two_parcels_and_completes(oms_app, oms_graphql, oms_accounts, catalog):
    staff = oms_graphql.as_(oms_accounts.staff)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 3), ("GUIDE", 1)], shipping_method="standard")
    order = placed["order"]
    assert await on_hand("MUG") == (10, 3)

    # The delivery jobs ran: the download is delivered, the mugs await shipment.
    seen = (await staff.query(ORDER, {"id": order["id"]}))["order"]
    assert seen["status"] == "PARTIALLY_FULFILLED"
    assert {line["sku"]: line["status"] for line in seen["lines"]} == {"MUG": "IN_PROGRESS", "GUIDE": "DELIVERED"}
    assert [f["details"]["__typename"] for f in seen["fulfillments"]] == ["DigitalDelivery"]

    first = (await staff.query(CREATE_SHIPMENT, ship_input(
        order, {"MUG": 2}, carrier="ups", trackingNumber="1Z 999")))["createShipment"]
    left = await staff.query("query($id: ID!) { order(id: $id) { lines { sku quantityToFulfill } } }",
                             {"id": order["id"]})
    assert {"sku": "MUG", "quantityToFulfill": 1} in left["order"]["lines"]
    assert first["userErrors"] == []
    assert first["fulfillment"]["status"] == "IN_PROGRESS"
    assert first["fulfillment"]["lines"] == [{"orderLine": {"sku": "MUG"}, "quantity": 2}]
    shipment = first["fulfillment"]["details"]
    assert shipment["status"] == "SHIPPED" and shipment["carrier"] == "ups"
    assert shipment["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z%20999"
    assert shipment["weightGrams"] == 700
    assert await on_hand("MUG") == (8, 1)  # shipping deducts on hand and the reservation

    second = (await staff.query(CREATE_SHIPMENT, ship_input(order, {"MUG": 1}, trackingNumber="T-2")))
    second = second["createShipment"]
    assert second["userErrors"] == [] and second["fulfillment"]["details"]["carrier"] == "manual"
    assert await on_hand("MUG") == (7, 0)

    done = (await staff.query(DELIVERED, {"id": first["fulfillment"]["id"]}))["markShipmentDelivered"]
    assert done["userErrors"] == []
    assert done["fulfillment"]["status"] == "DELIVERED"
    assert done["fulfillment"]["details"]["status"] == "DELIVERED"
    assert done["order"]["status"] == "PARTIALLY_FULFILLED"
    assert {"sku": "MUG", "status": "IN_PROGRESS", "quantityFulfilled": 2} in done["order"]["lines"]
    left = await staff.query("query($id: ID!) { order(id: $id) { lines { sku quantityToFulfill } } }",
                             {"id": order["id"]})
    assert {"sku": "MUG", "quantityToFulfill": 0} in left["order"]["lines"]

    done = (await staff.query(DELIVERED, {"id": second["fulfillment"]["id"]}))["markShipmentDelivered"]
    assert done["order"]["status"] == "COMPLETED"
    assert {"sku": "MUG", "status": "DELIVERED", "quantityFulfilled": 3} in done["order"]["lines"]
    assert await on_hand("MUG") == (7, 0)  # down by exactly the 3 shipped

    types = await OrderEvent.filter(order__number=order["number"]).order_by("id").values_list("type", flat=True)
    for expected in ["download.granted", "order.partially_fulfilled", "shipment.created",
                     "shipment.label_created", "shipment.delivered", "order.completed"]:
        assert expected in types
    assert types.count("shipment.created") == 2 and types[-1] == "order.completed"

    # Delivered twice is refused.
    again = (await staff.query(DELIVERED, {"id": second["fulfillment"]["id"]}))["markShipmentDelivered"]
    assert again["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_shipments_that_cannot_be_are_refused_and_write_nothing(oms_app, oms_graphql, oms_accounts, catalog):
    staff = oms_graphql.as_(oms_accounts.staff)
    paid = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2), ("GUIDE", 1)], shipping_method="standard"))
    order = paid["order"]
    fulfillments_before = (await staff.query(ORDER, {"id": order["id"]}))["order"]["fulfillments"]

    async def refused(variables):
        result = (await staff.query(CREATE_SHIPMENT, variables))["createShipment"]
        assert result["fulfillment"] is None
        return [(e["field"], e["code"]) for e in result["userErrors"]]

    assert await refused(ship_input(order, {"MUG": 3}, trackingNumber="X")) == [
        (["input", "lines", "0", "quantity"], "INVALID")]
    assert await refused(ship_input(order, {"GUIDE": 1}, trackingNumber="X")) == [
        (["input", "lines", "0", "lineId"], "INVALID")]
    assert await refused(ship_input(order, {"MUG": 0}, trackingNumber="X")) == [
        (["input", "lines", "0", "quantity"], "INVALID")]
    assert await refused(ship_input(order, {"MUG": 1})) == [(["input", "trackingNumber"], "REQUIRED")]
    assert await refused(ship_input(order, {"MUG": 1}, carrier="owl", trackingNumber="X")) == [
        (["input", "carrier"], "INVALID")]
    assert await refused(ship_input(order, {"MUG": 1}, trackingNumber="Zoë-1")) == [
        (["input", "trackingNumber"], "INVALID")]
    twice = ship_input(order, {"MUG": 1}, trackingNumber="X")
    twice["input"]["lines"].append(dict(twice["input"]["lines"][0]))
    assert await refused(twice) == [(["input", "lines", "1", "lineId"], "INVALID")]

    unpaid = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    assert await refused(ship_input(unpaid["order"], {"MUG": 1}, trackingNumber="X")) == [
        (["input", "orderId"], "INVALID_TRANSITION")]
    canceled = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    await oms_graphql.query(
        "mutation($id: ID!, $t: String) { cancelOrder(id: $id, token: $t) { userErrors { code } } }",
        {"id": canceled["order"]["id"], "t": canceled["orderToken"]})
    assert await refused(ship_input(canceled["order"], {"MUG": 1}, trackingNumber="X")) == [
        (["input", "orderId"], "INVALID_TRANSITION")]

    # Nothing was written: no fulfillment, stock still reserved for the paid order, no event.
    assert (await staff.query(ORDER, {"id": order["id"]}))["order"]["fulfillments"] == fulfillments_before
    assert await on_hand("MUG") == (10, 2 + 1)  # the paid order's 2 and the unpaid one's 1
    assert not await OrderEvent.filter(type="shipment.created").exists()

    # Customers and signed-out callers cannot ship.
    for client in (oms_graphql.as_(oms_accounts.customer), oms_graphql.as_(None)):
        result = (await client.query(CREATE_SHIPMENT, ship_input(order, {"MUG": 1}, trackingNumber="X")))
        assert result["createShipment"]["userErrors"][0]["code"] == "PERMISSION_DENIED"


async def test_the_label_pdf_holds_the_tracking_number_and_both_addresses(
    oms_app, oms_graphql, oms_http, oms_accounts, catalog
):
    staff = oms_graphql.as_(oms_accounts.staff)
    order = (await place_paid_order(oms_app, oms_graphql, [("LAMP", 1)], shipping_method="standard"))["order"]
    shipped = (await staff.query(CREATE_SHIPMENT, ship_input(order, {"LAMP": 1}, trackingNumber="TRK-42-XYZ")))
    label_url = shipped["createShipment"]["fulfillment"]["details"]["labelUrl"]
    assert label_url.startswith(oms_app.state.settings.public_url)

    response = await oms_http.get(label_url.removeprefix(oms_app.state.settings.public_url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "TRK-42-XYZ" in text
    assert order["number"] in text
    for part in (TEST_ADDRESS["name"], TEST_ADDRESS["line1"], TEST_ADDRESS["city"], TEST_ADDRESS["postalCode"]):
        assert part in text
    assert "oms demo warehouse" in text and "1 Dock Road" in text  # the default ship-from
    assert "1.2 kg" in text

    # The label URL is for staff: customers see none, and a tampered one is not found.
    as_customer = (await oms_graphql.query(ORDER, {"id": order["id"]}, token=oms_accounts.staff))
    assert as_customer["order"]["fulfillments"][0]["details"]["labelUrl"]
    guest = await oms_graphql.as_(None).query("query($id: ID!) { node(id: $id) { id } }", {"id": order["id"]})
    assert guest["node"] is None
    # A character that carries signature bits (the last one's low bits are base64 padding).
    tampered = label_url[:-5] + ("A" if label_url[-5] != "A" else "B") + label_url[-4:]
    assert (await oms_http.get(tampered.removeprefix(oms_app.state.settings.public_url))).status_code == 404


async def test_customers_see_their_shipment_without_the_label(oms_app, oms_graphql, oms_accounts, catalog):
    alice = oms_graphql.as_(oms_accounts.customer)
    order = (await place_paid_order(oms_app, alice, [("MUG", 1)], email="alice@example.com",
                                    shipping_method="standard"))["order"]
    await oms_graphql.as_(oms_accounts.staff).query(
        CREATE_SHIPMENT, ship_input(order, {"MUG": 1}, carrier="dhl", trackingNumber="JD0001"))
    mine = (await alice.query(ORDER, {"id": order["id"]}))["order"]
    assert mine["fulfillments"][0]["details"] == {
        "__typename": "Shipment", "trackingNumber": "JD0001", "labelUrl": None}
    assert (await oms_graphql.as_(oms_accounts.other_customer).query(ORDER, {"id": order["id"]}))["order"] is None


async def test_staff_list_orders_awaiting_shipment(oms_app, oms_graphql, oms_accounts, catalog):
    staff = oms_graphql.as_(oms_accounts.staff)
    waiting = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard"))["order"]
    shipped = (await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard"))["order"]
    await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard", pay=False)
    await place_paid_order(oms_app, oms_graphql, [("GUIDE", 1)])
    await staff.query(CREATE_SHIPMENT, ship_input(shipped, {"MUG": 1}, trackingNumber="X"))
    partly = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard"))["order"]
    await staff.query(CREATE_SHIPMENT, ship_input(partly, {"MUG": 1}, trackingNumber="Y"))

    query = """query($f: OrderFilter) { orders(filter: $f) { edges { node { number } } } }"""
    found = await staff.query(query, {"f": {"productType": "physical", "awaitingFulfillment": True}})
    assert sorted(e["node"]["number"] for e in found["orders"]["edges"]) == sorted(
        [waiting["number"], partly["number"]])


async def test_staff_find_an_order_by_its_tracking_number(oms_app, oms_graphql, oms_accounts, catalog):
    staff = oms_graphql.as_(oms_accounts.staff)
    order = (await place_paid_order(oms_app, oms_graphql, [("MUG", 2)], shipping_method="standard"))["order"]
    other = (await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], shipping_method="standard"))["order"]
    await staff.query(CREATE_SHIPMENT, ship_input(order, {"MUG": 1}, carrier="dhl", trackingNumber="JD0001"))
    await staff.query(CREATE_SHIPMENT, ship_input(order, {"MUG": 1}, carrier="dhl", trackingNumber="JD0002"))
    await staff.query(CREATE_SHIPMENT, ship_input(other, {"MUG": 1}, carrier="dhl", trackingNumber="JD0003"))

    query = """query($f: OrderFilter) { orders(filter: $f) { edges { node { number } } } }"""
    for number, expected in (("JD0002", [order]), ("JD0003", [other]), ("JD000", [])):
        found = await staff.query(query, {"f": {"trackingNumber": number}})
        assert [e["node"]["number"] for e in found["orders"]["edges"]] == [o["number"] for o in expected]


@pytest.mark.skipif(test_database_url() is None, reason="concurrent shipments need PostgreSQL's row locks")
async def test_concurrent_shipments_never_ship_a_unit_twice(oms_app, oms_graphql, oms_accounts, catalog):
    staff = oms_graphql.as_(oms_accounts.staff)
    order = (await place_paid_order(oms_app, oms_graphql, [("MUG", 3)], shipping_method="standard"))["order"]
    results = await asyncio.gather(*[
        staff.query(CREATE_SHIPMENT, ship_input(order, {"MUG": 2}, trackingNumber=f"T{i}")) for i in range(6)
    ])
    ok = [r for r in results if not r["createShipment"]["userErrors"]]
    assert len(ok) == 1
    assert await on_hand("MUG") == (8, 1)
    assert (await Order.get(number=order["number"])).status.value == "PROCESSING"
