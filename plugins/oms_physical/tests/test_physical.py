"""The physical plugin: parcels with a weight, no line options, flat and free shipping."""

from __future__ import annotations

import pytest

from oms.testing import make_product

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) { product { slug } userErrors { field code message } }
}
"""

PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) {
    requiresShipping
    shippingMethods { code price { amount } }
    userErrors { field code message }
  }
}
"""


async def create_mug(graphql, attributes):
    variables = {"input": {"name": "Mug", "productType": "physical",
                           "variants": [{"sku": "MUG", "price": "12.50", "attributes": attributes}]}}
    return (await graphql.query(CREATE_PRODUCT, variables))["createProduct"]


@pytest.fixture
async def mug(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=10)


async def price(graphql, *lines):
    cart = {"lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines]}
    return (await graphql.query(PRICE_CART, {"input": cart}))["priceCart"]


async def test_attributes_are_validated(oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    created = await create_mug(staff, {"weight_grams": 350, "dimensions_cm": {"length": 12, "width": 9, "height": 9}})
    assert created == {"product": {"slug": "mug"}, "userErrors": []}


@pytest.mark.parametrize(
    "attributes, field, code",
    [
        ({}, ["weight_grams"], "REQUIRED"),
        ({"weight_grams": -1}, ["weight_grams"], "INVALID"),
        ({"weight_grams": 350, "dimensions_cm": {"length": 12, "width": 9}}, ["dimensions_cm", "height"], "REQUIRED"),
        ({"weight_grams": 350, "colour": "red"}, [], "INVALID"),
    ],
    ids=["weight-missing", "weight-negative", "height-missing", "unknown-key"],
)
async def test_bad_attributes_are_refused(oms_graphql, oms_accounts, attributes, field, code):
    created = await create_mug(oms_graphql.as_(oms_accounts.staff), attributes)
    assert created["product"] is None
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", *field], code)
    ]


async def test_lines_take_no_options(oms_graphql, mug):
    cart = {"lines": [{"sku": "MUG", "quantity": 1, "options": {"gift_wrap": True}}]}
    quote = (await oms_graphql.query(PRICE_CART, {"input": cart}))["priceCart"]
    assert quote["userErrors"] == [{"field": ["lines", "0", "options"], "code": "INVALID",
                                    "message": "This product type takes no options."}]


async def test_stock_is_tracked(oms_graphql, mug):
    quote = await price(oms_graphql, ("MUG", 11))
    assert [(e["field"], e["code"]) for e in quote["userErrors"]] == [(["lines", "0", "quantity"], "OUT_OF_STOCK")]


async def test_flat_rate_below_the_free_shipping_threshold(oms_graphql, mug):
    quote = await price(oms_graphql, ("MUG", 1))
    assert quote["requiresShipping"] is True
    assert quote["shippingMethods"] == [{"code": "standard", "price": {"amount": "4.90"}}]


async def test_free_shipping_from_the_threshold(oms_graphql, mug):
    quote = await price(oms_graphql, ("MUG", 4))  # 50.00
    assert quote["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "4.90"}},
        {"code": "free", "price": {"amount": "0.00"}},
    ]


async def test_only_parcel_lines_count_towards_free_shipping(oms_app, oms_graphql, mug):
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="45.00",
                       attributes={"file": "books/guide.pdf"})
    quote = await price(oms_graphql, ("MUG", 1), ("EBOOK", 1))
    assert [m["code"] for m in quote["shippingMethods"]] == ["standard"]


@pytest.fixture
def environ(request, monkeypatch):
    """OMS_* variables set before the app starts: the plugin's settings are read then, once."""
    for name, value in request.param.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    "environ", [{"OMS_PHYSICAL_FLAT_RATE": "7.00", "OMS_PHYSICAL_FREE_SHIPPING_OVER": "25.00"}], indirect=True
)
async def test_rates_come_from_the_environment(environ, oms_graphql, mug):
    assert (await price(oms_graphql, ("MUG", 1)))["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "7.00"}}
    ]
    assert (await price(oms_graphql, ("MUG", 2)))["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "7.00"}},
        {"code": "free", "price": {"amount": "0.00"}},
    ]


@pytest.mark.parametrize(("environ", "codes"), [
    ({"OMS_PHYSICAL_FREE_SHIPPING_OVER": ""}, ["standard"]),
    ({"OMS_PHYSICAL_FLAT_RATE": "", "OMS_PHYSICAL_FREE_SHIPPING_OVER": "50.00"}, ["free"]),
], indirect=["environ"], ids=["no-free", "no-standard"])
async def test_an_empty_rate_disables_its_method(environ, oms_graphql, mug, codes):
    assert [m["code"] for m in (await price(oms_graphql, ("MUG", 8)))["shippingMethods"]] == codes


async def test_rates_are_read_once_at_start(oms_graphql, mug, monkeypatch):
    # A quote never reads the environment: a variable changed after start has no effect
    # (nor a bad one: it was checked at start, and is not parsed on the event loop again).
    monkeypatch.setenv("OMS_PHYSICAL_FLAT_RATE", "7.00")
    assert (await price(oms_graphql, ("MUG", 1)))["shippingMethods"] == [
        {"code": "standard", "price": {"amount": "4.90"}}
    ]
    monkeypatch.setenv("OMS_PHYSICAL_FLAT_RATE", "cheap")
    assert (await price(oms_graphql, ("MUG", 1)))["shippingMethods"][0]["price"] == {"amount": "4.90"}


@pytest.mark.parametrize("raw", ["cheap", "-1.00"])
def test_a_bad_rate_stops_the_start(monkeypatch, raw):
    from oms.plugins import PluginConfigError, PluginHost

    monkeypatch.setenv("OMS_PHYSICAL_FLAT_RATE", raw)

    with pytest.raises(PluginConfigError, match="OMS_PHYSICAL_FLAT_RATE"):
        PluginHost.load()
