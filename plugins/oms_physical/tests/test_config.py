"""Shipping settings from the environment: parsing, refusals, and the offers they make."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from oms.money import Money
from oms.plugin_types import Cart, CartLine
from oms.plugins import PluginConfigError
from oms_physical.config import (
    BUILTIN_CARRIERS,
    CarrierTemplate,
    WeightBand,
    cart_weight_grams,
    format_weight,
    load_config,
    shipping_offers,
    tracking_url,
)

BANDS = "1000:5.90,5000:9.90,20000:24.90"
ADDRESS = {"name": "Acme", "line1": "1 Main St", "city": "Boston", "region": "MA",
           "postal_code": "02101", "country": "us"}


def line(grams: int | None, quantity: int = 1, price: str = "10.00", product_type: str = "physical") -> CartLine:
    attributes = {} if grams is None else {"weight_grams": grams}
    return CartLine("SKU", "Thing", quantity, product_type, Money(Decimal(price), "EUR"), attributes, None)


def cart(*lines: CartLine) -> Cart:
    subtotal = sum((item.total for item in lines), Money.zero("EUR"))
    return Cart("EUR", lines, subtotal, requires_shipping=True)


def offers(cart: Cart, **environ: str) -> dict[str, tuple[str, Decimal]]:
    return {offer.code: (offer.name, offer.price.amount) for offer in shipping_offers(cart, load_config(environ))}


def test_defaults():
    config = load_config({})
    assert config.flat_rate == Decimal("4.90")
    assert config.free_over == Decimal("50.00")
    assert config.weight_bands == ()
    assert config.ship_from == {"name": "oms demo warehouse", "line1": "1 Dock Road", "line2": None,
                                "city": "Leeds", "region": None, "postal_code": "LS1 1AA",
                                "country": "GB", "phone": None}
    assert set(config.carriers) == {"manual", "ups", "usps", "fedex", "dhl"}
    assert config.carriers["manual"] == CarrierTemplate("manual", "Manual", None)


def test_default_offers_match_the_old_flat_and_free_rates():
    assert offers(cart(line(500, price="20.00"))) == {"standard": ("Standard shipping", Decimal("4.90"))}
    assert offers(cart(line(500, quantity=3, price="20.00"))) == {
        "standard": ("Standard shipping", Decimal("4.90")),
        "free": ("Free shipping over 50.00 EUR", Decimal("0.00")),
    }


def test_rates_are_read_and_empty_disables_them():
    config = load_config({"OMS_PHYSICAL_FLAT_RATE": "3", "OMS_PHYSICAL_FREE_SHIPPING_OVER": ""})
    assert (config.flat_rate, config.free_over) == (Decimal("3"), None)
    assert offers(cart(line(10, price="500.00")), OMS_PHYSICAL_FLAT_RATE="", OMS_PHYSICAL_FREE_SHIPPING_OVER="") == {}


@pytest.mark.parametrize("threshold, free", [("29.99", True), ("30.00", True), ("30.01", False)])
def test_free_shipping_threshold_counts_only_physical_lines(threshold, free):
    lines = (line(100, quantity=2, price="15.00"), line(None, price="100.00", product_type="digital"))
    result = offers(cart(*lines), OMS_PHYSICAL_FREE_SHIPPING_OVER=threshold)
    assert ("free" in result) is free
    if free:
        assert result["free"] == (f"Free shipping over {threshold} EUR", Decimal("0.00"))


def test_no_offers_without_physical_lines():
    assert offers(cart(line(None, product_type="digital"))) == {}


def test_weight_rates_are_parsed():
    config = load_config({"OMS_PHYSICAL_WEIGHT_RATES": " 1000:5.90, 5000:9.90,20000:24 "})
    assert config.weight_bands == (
        WeightBand(1000, Decimal("5.90")), WeightBand(5000, Decimal("9.90")), WeightBand(20000, Decimal("24")),
    )


@pytest.mark.parametrize(
    "grams, price",
    [(0, "5.90"), (1000, "5.90"), (1001, "9.90"), (5000, "9.90"), (20000, "24.90"), (20001, None)],
)
def test_weight_offer_is_priced_by_the_first_band_that_holds_the_cart(grams, price):
    result = offers(cart(line(grams)), OMS_PHYSICAL_WEIGHT_RATES=BANDS)
    if price is None:
        assert "weight" not in result
    else:
        assert result["weight"] == (f"Shipping by weight ({format_weight(grams)})", Decimal(price))


def test_weight_counts_quantity_and_only_physical_lines():
    lines = [line(350, quantity=3), line(None), line(5000, product_type="digital")]
    assert cart_weight_grams(lines) == 5000 + 1050
    result = offers(cart(*lines), OMS_PHYSICAL_WEIGHT_RATES=BANDS)
    assert result["weight"] == ("Shipping by weight (1.05 kg)", Decimal("9.90"))


def test_format_weight():
    assert [format_weight(grams) for grams in (0, 350, 1050, 1200, 2000)] == [
        "0 kg", "0.35 kg", "1.05 kg", "1.2 kg", "2 kg"
    ]


@pytest.mark.parametrize(
    "variable, value",
    [
        ("OMS_PHYSICAL_FLAT_RATE", "abc"),
        ("OMS_PHYSICAL_FLAT_RATE", "-1"),
        ("OMS_PHYSICAL_FREE_SHIPPING_OVER", "NaN"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000:5.90,"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "0:5.90"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1.5:5.90"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "-100:5.90"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000:five"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000:-1"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000:5.999"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "1000:5.90,1000:6.90"),
        ("OMS_PHYSICAL_WEIGHT_RATES", "5000:9.90,1000:5.90"),
        ("OMS_PHYSICAL_SHIP_FROM", "{not json"),
        ("OMS_PHYSICAL_SHIP_FROM", '["a list"]'),
        ("OMS_PHYSICAL_SHIP_FROM", json.dumps({**ADDRESS, "city": ""})),
        ("OMS_PHYSICAL_SHIP_FROM", json.dumps({k: v for k, v in ADDRESS.items() if k != "postal_code"})),
        ("OMS_PHYSICAL_SHIP_FROM", json.dumps({**ADDRESS, "country": "USA"})),
        ("OMS_PHYSICAL_SHIP_FROM", json.dumps({**ADDRESS, "postcode": "02101"})),
        ("OMS_PHYSICAL_SHIP_FROM", json.dumps({**ADDRESS, "postal_code": 2101})),
        ("OMS_PHYSICAL_CARRIERS", "{not json"),
        ("OMS_PHYSICAL_CARRIERS", '"ups"'),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"Royal Mail": {"name": "Royal Mail"}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"x" * 33: {"name": "Long"}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": "Royal Mail"})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": {"name": ""}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": {"name": "RM", "url": "https://x/{tracking_number}"}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": {"name": "RM", "tracking_url": "https://rm.example/track"}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": {"name": "RM", "tracking_url": "ftp://rm.example/{tracking_number}"}})),
        ("OMS_PHYSICAL_CARRIERS", json.dumps({"rm": {"name": "RM", "tracking_url": "javascript:{tracking_number}"}})),
    ],
)
def test_bad_values_are_refused_naming_the_variable(variable, value):
    with pytest.raises(PluginConfigError) as raised:
        load_config({variable: value})
    assert str(raised.value).startswith(variable)


def test_ship_from_is_read_and_normalized():
    config = load_config({"OMS_PHYSICAL_SHIP_FROM": json.dumps({**ADDRESS, "line2": " Suite 4 ", "phone": None})})
    assert config.ship_from == {**ADDRESS, "line2": "Suite 4", "country": "US", "phone": None}


def test_ship_from_error_names_the_json_key():
    with pytest.raises(PluginConfigError, match="postal_code: This field is required"):
        load_config({"OMS_PHYSICAL_SHIP_FROM": json.dumps({**ADDRESS, "postal_code": " "})})


def test_carriers_are_merged_over_the_built_in_ones():
    extra = {
        "royal-mail": {"name": "Royal Mail", "tracking_url": "https://rm.example/t/{tracking_number}#x{y}"},
        "ups": {"name": "UPS Ground"},
    }
    carriers = load_config({"OMS_PHYSICAL_CARRIERS": json.dumps(extra)}).carriers
    assert carriers["royal-mail"] == CarrierTemplate(
        "royal-mail", "Royal Mail", "https://rm.example/t/{tracking_number}#x{y}"
    )
    assert carriers["ups"] == CarrierTemplate("ups", "UPS Ground", None)
    assert {code: carriers[code] for code in ("manual", "usps", "fedex", "dhl")} == {
        code: BUILTIN_CARRIERS[code] for code in ("manual", "usps", "fedex", "dhl")
    }


def test_tracking_url_quotes_the_number():
    config = load_config({"OMS_PHYSICAL_CARRIERS": json.dumps(
        {"rm": {"name": "RM", "tracking_url": "https://rm.example/t/{tracking_number}#x{y}"}}
    )})
    assert tracking_url(config, "ups", "1Z999AA10123456784") == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert tracking_url(config, "dhl", "12 34/5&x=?") == (
        "https://www.dhl.com/en/express/tracking.html?AWB=12%2034%2F5%26x%3D%3F"
    )
    assert tracking_url(config, "rm", "AB1") == "https://rm.example/t/AB1#x{y}"
    assert tracking_url(config, "manual", "AB1") is None
    assert tracking_url(config, "nope", "AB1") is None
