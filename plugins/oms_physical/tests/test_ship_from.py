"""The label's ship-from is the address of the warehouse the shipped lines were reserved
from; OMS_PHYSICAL_SHIP_FROM when that warehouse has none. A parcel leaves one warehouse."""

from __future__ import annotations

import io

import pypdf
import pytest

from oms.inventory import services as inventory
from oms.inventory.models import Stock, Warehouse
from oms.testing import make_product, place_paid_order

SHIP = """
mutation Ship($input: CreateShipmentInput!) {
  createShipment(input: $input) {
    fulfillment { details { ... on Shipment { labelUrl } } }
    userErrors { field code message }
  }
}
"""
BERLIN = {"name": "oms Berlin", "line1": "Lagerstrasse 7", "line2": None, "city": "Berlin",
          "postal_code": "10115", "region": None, "country": "DE", "phone": None}


@pytest.fixture
async def shelves(oms_app):
    """MUG only in Berlin (with an address), LAMP only in the default warehouse (none)."""
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300})
    await make_product(oms_app, product_type="physical", sku="LAMP", attributes={"weight_grams": 900}, stock=5)
    await Warehouse.create(code="berlin", name="Berlin", address=BERLIN)
    mug = await Stock.get(variant__sku="MUG")
    await Stock.filter(id=mug.id).delete()  # the MUG sits in Berlin only
    await inventory.set_stock(mug.variant_id, 5, "berlin", sku="MUG")


def _ship(order: dict, skus: list[str]) -> dict:
    ids = {line["sku"]: line["id"] for line in order["lines"]}
    return {"input": {"orderId": order["id"], "lines": [{"lineId": ids[s], "quantity": 1} for s in skus],
                      "trackingNumber": "TRK-" + "-".join(skus)}}


async def _label_text(oms_app, oms_http, shipped: dict) -> str:
    url = shipped["createShipment"]["fulfillment"]["details"]["labelUrl"]
    response = await oms_http.get(url.removeprefix(oms_app.state.settings.public_url))
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


async def test_the_label_ships_from_the_lines_warehouse(oms_app, oms_graphql, oms_http, oms_accounts, shelves):
    staff = oms_graphql.as_(oms_accounts.staff)
    order = (await place_paid_order(oms_app, oms_graphql, [("MUG", 1), ("LAMP", 1)], shipping_method="standard"))
    order = order["order"]

    mixed = await staff.query(SHIP, _ship(order, ["MUG", "LAMP"]))
    from_berlin = await staff.query(SHIP, _ship(order, ["MUG"]))
    from_default = await staff.query(SHIP, _ship(order, ["LAMP"]))

    errors = mixed["createShipment"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID", ["input", "lines"])]
    assert "berlin" in errors[0]["message"] and "default" in errors[0]["message"]
    berlin_label = await _label_text(oms_app, oms_http, from_berlin)
    assert "Lagerstrasse 7" in berlin_label and "oms demo warehouse" not in berlin_label
    default_label = await _label_text(oms_app, oms_http, from_default)
    assert "oms demo warehouse" in default_label  # no address: the plugin's OMS_PHYSICAL_SHIP_FROM
    levels = {s.warehouse.code: (s.quantity, s.reserved) for s in await Stock.all().select_related("warehouse")}
    assert levels == {"berlin": (4, 0), "default": (4, 0)}
