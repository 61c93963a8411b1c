"""Shipping zones (issue 14): staff define zones of countries with their methods and
rates; pricing offers only the address's zone's methods, a country no zone holds is a
typed error, and without zones the plugins' methods stay. priceCart says when shipping is
still to be chosen."""

from __future__ import annotations

import pytest

from oms.graphql.common import to_global_id
from oms.shipping.models import ShippingZone, ShippingZoneCountry
from oms.testing import make_product
from tests.conftest import ADDRESS

CREATE = """
mutation($input: CreateShippingZoneInput!) {
  createShippingZone(input: $input) {
    shippingZone { id name countries methods { code name price { amount } } }
    userErrors { field code message }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: CreateShippingZoneInput!) {
  updateShippingZone(id: $id, input: $input) { shippingZone { name countries } userErrors { field code } }
}
"""
DELETE = "mutation($id: ID!) { deleteShippingZone(id: $id) { ok userErrors { field code } } }"
ZONES = """
{ shippingZones { name countries rates { code price { amount } freeOver { amount } weightBands { maxGrams } } } }
"""
PRICE = """
query($input: CartInput!) {
  priceCart(input: $input) {
    shippingMethods { code price { amount } } shippingTotal { amount } total { amount }
    requiresShipping shippingMethodRequired
    userErrors { field code message }
  }
}
"""
PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { shippingTotal { amount } total { amount } } userErrors { field code message } }
}
"""

EUROPE = {
    "name": "Europe",
    "countries": ["fr", "DE", "FR"],
    "methods": [
        {"code": "standard", "name": "La Poste", "price": "5.90", "freeOver": "60.00"},
        {
            "code": "express",
            "name": "Express",
            "price": "0",
            "weightBands": [{"maxGrams": 1000, "price": "12.00"}, {"maxGrams": 5000, "price": "20.00"}],
        },
    ],
}
NORTH_AMERICA = {"name": "North America", "countries": ["US", "CA"],
                 "methods": [{"code": "ground", "name": "Ground", "price": "9.90"}]}
PARIS = {**ADDRESS, "city": "Paris", "postalCode": "75001", "country": "FR"}
TOKYO = {**ADDRESS, "city": "Tokyo", "postalCode": "100-0001", "country": "JP"}


def errors(payload: dict) -> list[tuple]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


@pytest.fixture
async def goods(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 400}, stock=50)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})


@pytest.fixture
async def zones(oms_graphql, oms_accounts, goods):
    staff = oms_graphql.as_(oms_accounts.staff)
    created = []
    for zone in (EUROPE, NORTH_AMERICA):
        payload = (await staff.query(CREATE, {"input": zone}))["createShippingZone"]
        assert payload["userErrors"] == []
        created.append(payload["shippingZone"])
    return created


def cart(mugs: int, address: dict | None, method: str | None = None) -> dict:
    data: dict = {"lines": [{"sku": "MUG", "quantity": mugs}]}
    if address is not None:
        data["shippingAddress"] = address
    if method is not None:
        data["shippingMethod"] = method
    return data


async def test_staff_create_zones_that_anyone_can_read(oms_graphql, zones):
    europe, _ = zones
    assert (europe["name"], europe["countries"]) == ("Europe", ["FR", "DE"])
    assert europe["methods"] == [
        {"code": "standard", "name": "La Poste", "price": {"amount": "5.90"}},
        {"code": "express", "name": "Express", "price": {"amount": "0.00"}},
    ]
    listed = (await oms_graphql.query(ZONES))["shippingZones"]
    assert [(z["name"], z["countries"]) for z in listed] == [("Europe", ["FR", "DE"]), ("North America", ["US", "CA"])]
    assert listed[0]["rates"][0]["freeOver"] == {"amount": "60.00"}
    assert [b["maxGrams"] for b in listed[0]["rates"][1]["weightBands"]] == [1000, 5000]


async def test_the_addresss_zone_offers_its_methods_only(oms_graphql, zones):
    quote = (await oms_graphql.query(PRICE, {"input": cart(2, PARIS)}))["priceCart"]
    assert quote["userErrors"] == []
    # 800 g: the first express band; the physical plugin's own methods are not offered.
    assert quote["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "5.90"}},
        {"code": "express", "price": {"amount": "12.00"}},
    ]
    us = {**ADDRESS, "city": "Boston", "region": "MA", "postalCode": "02108", "country": "US"}
    quote = (await oms_graphql.query(PRICE, {"input": cart(2, us, "ground")}))["priceCart"]
    assert (quote["shippingMethods"], quote["shippingTotal"]) == (
        [{"code": "ground", "price": {"amount": "9.90"}}], {"amount": "9.90"})


async def test_free_over_a_threshold_and_weight_bands(oms_graphql, zones):
    # 5 mugs: 62.50 reaches the 60.00 threshold; 2000 g is the second express band.
    quote = (await oms_graphql.query(PRICE, {"input": cart(5, PARIS)}))["priceCart"]
    assert quote["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "0.00"}},
        {"code": "express", "price": {"amount": "20.00"}},
    ]
    # 13 mugs weigh 5200 g: heavier than every express band, so no express.
    quote = (await oms_graphql.query(PRICE, {"input": cart(13, PARIS)}))["priceCart"]
    assert [m["code"] for m in quote["shippingMethods"]] == ["standard"]


async def test_a_country_nobody_ships_to_is_a_typed_error(oms_graphql, zones):
    quote = (await oms_graphql.query(PRICE, {"input": cart(1, TOKYO, "standard")}))["priceCart"]
    assert quote["shippingMethods"] == []
    assert errors(quote) == [(["shippingAddress", "country"], "SHIPPING_UNAVAILABLE")]
    assert "JP" in quote["userErrors"][0]["message"]

    data = {**cart(1, TOKYO, "standard"), "email": "kyaku@example.jp", "idempotencyKey": "jp-1"}
    placed = (await oms_graphql.query(PLACE, {"input": data}))["placeOrder"]
    assert placed["order"] is None
    assert errors(placed) == [(["shippingAddress", "country"], "SHIPPING_UNAVAILABLE")]

    # A cart that ships nothing needs no zone.
    digital = {"lines": [{"sku": "EBOOK", "quantity": 1}], "shippingAddress": TOKYO}
    assert (await oms_graphql.query(PRICE, {"input": digital}))["priceCart"]["userErrors"] == []


async def test_placement_charges_the_zones_rate(oms_graphql, zones):
    data = {**cart(2, PARIS, "express"), "email": "client@example.fr", "idempotencyKey": "fr-1"}
    placed = (await oms_graphql.query(PLACE, {"input": data}))["placeOrder"]
    assert placed["userErrors"] == []
    assert (placed["order"]["shippingTotal"], placed["order"]["total"]) == ({"amount": "12.00"}, {"amount": "37.00"})


async def test_without_zones_the_plugins_methods_stay(oms_graphql, oms_accounts, zones):
    staff = oms_graphql.as_(oms_accounts.staff)
    for zone in zones:
        assert (await staff.query(DELETE, {"id": zone["id"]}))["deleteShippingZone"] == {"ok": True, "userErrors": []}
    assert await ShippingZoneCountry.all().count() == 0
    quote = (await oms_graphql.query(PRICE, {"input": cart(1, TOKYO)}))["priceCart"]
    assert quote["userErrors"] == []
    assert "standard" in [m["code"] for m in quote["shippingMethods"]]
    assert errors((await staff.query(DELETE, {"id": zones[0]["id"]}))["deleteShippingZone"]) == [(["id"], "NOT_FOUND")]


async def test_shipping_method_required_says_when_shipping_is_not_chosen(oms_graphql, goods):
    quote = (await oms_graphql.query(PRICE, {"input": cart(1, ADDRESS)}))["priceCart"]
    assert (quote["requiresShipping"], quote["shippingMethodRequired"], quote["shippingTotal"]) == (
        True, True, {"amount": "0.00"})
    chosen = (await oms_graphql.query(PRICE, {"input": cart(1, ADDRESS, "standard")}))["priceCart"]
    assert (chosen["shippingMethodRequired"], chosen["shippingTotal"]) == (False, {"amount": "4.90"})
    digital = {"lines": [{"sku": "EBOOK", "quantity": 1}]}
    quote = (await oms_graphql.query(PRICE, {"input": digital}))["priceCart"]
    assert (quote["requiresShipping"], quote["shippingMethodRequired"]) == (False, False)


async def test_staff_update_a_zone(oms_graphql, oms_accounts, zones):
    staff = oms_graphql.as_(oms_accounts.staff)
    europe, america = zones
    moved = {**EUROPE, "name": "EU", "countries": ["DE", "IT"]}
    payload = (await staff.query(UPDATE, {"id": europe["id"], "input": moved}))["updateShippingZone"]
    assert payload == {"shippingZone": {"name": "EU", "countries": ["DE", "IT"]}, "userErrors": []}
    # France left the zone: nobody ships there now.
    quote = (await oms_graphql.query(PRICE, {"input": cart(1, PARIS)}))["priceCart"]
    assert errors(quote) == [(["shippingAddress", "country"], "SHIPPING_UNAVAILABLE")]
    # A country of another zone is refused, naming it.
    taken = {**NORTH_AMERICA, "countries": ["US", "IT"]}
    payload = (await staff.query(UPDATE, {"id": america["id"], "input": taken}))["updateShippingZone"]
    assert errors(payload) == [(["countries", "1"], "INVALID")]
    missing = (await staff.query(UPDATE, {"id": to_global_id("ShippingZone", 999), "input": moved}))
    assert errors(missing["updateShippingZone"]) == [(["id"], "NOT_FOUND")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": ""}, [(["name"], "REQUIRED")]),
        ({"countries": []}, [(["countries"], "REQUIRED")]),
        ({"countries": ["FRA"]}, [(["countries", "0"], "INVALID")]),
        ({"methods": []}, [(["methods"], "REQUIRED")]),
        ({"methods": [{"code": "a", "name": "A", "price": "-1"}]}, [(["methods", "0", "price"], "INVALID")]),
        ({"methods": [{"code": "a", "name": "A", "price": "1.999"}]}, [(["methods", "0", "price"], "INVALID")]),
        ({"methods": [{"code": "a", "name": "A", "price": "NaN"}]}, [(["methods", "0", "price"], "INVALID")]),
        ({"methods": [{"code": "a", "name": "A", "price": "1e20"}]}, [(["methods", "0", "price"], "INVALID")]),
        (
            {"methods": [{"code": "a", "name": "A", "price": "1", "freeOver": "-Infinity"}]},
            [(["methods", "0", "freeOver"], "INVALID")],
        ),
        (
            {"methods": [{"code": "a", "name": "A", "price": "1"}, {"code": "a", "name": "B", "price": "2"}]},
            [(["methods", "1", "code"], "INVALID")],
        ),
        (
            {"methods": [{"code": "a", "name": "A", "price": "1",
                          "weightBands": [{"maxGrams": 500, "price": "1"}, {"maxGrams": 100, "price": "2"}]}]},
            [(["methods", "0", "weightBands", "1", "maxGrams"], "INVALID")],
        ),
    ],
)
async def test_bad_zones_are_refused_with_typed_errors(oms_graphql, oms_accounts, change, expected):
    zone = {"name": "Somewhere", "countries": ["FR"], "methods": [{"code": "a", "name": "A", "price": "1"}], **change}
    payload = (await oms_graphql.as_(oms_accounts.staff).query(CREATE, {"input": zone}))["createShippingZone"]
    assert (payload["shippingZone"], errors(payload)) == (None, expected)
    assert await ShippingZone.all().count() == 0


async def test_only_catalog_staff_change_zones(oms_graphql, oms_accounts):
    payload = (await oms_graphql.as_(oms_accounts.customer).query(CREATE, {"input": NORTH_AMERICA}))
    assert errors(payload["createShippingZone"]) == [(None, "PERMISSION_DENIED")]
    assert await ShippingZone.all().count() == 0
