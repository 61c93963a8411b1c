"""Physical goods: shipped in parcels, stock tracked per warehouse.

Shipping rates are configured by environment variables (no code change):
``OMS_PHYSICAL_FLAT_RATE`` (default 4.90) and ``OMS_PHYSICAL_FREE_SHIPPING_OVER``
(default 50.00; empty disables the free method), in the shop currency.
"""

from __future__ import annotations

import os
from decimal import Decimal

from oms import hookimpl
from oms.money import Money, parse_amount
from oms.plugin_types import Cart, ProductType, ShippingMethodOffer
from oms.plugins import PluginConfigError

TYPE_NAME = "physical"

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "weight_grams": {"type": "integer", "minimum": 0, "maximum": 1_000_000},
        "dimensions_cm": {
            "type": "object",
            "properties": {
                "length": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                "width": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                "height": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
            },
            "required": ["length", "width", "height"],
            "additionalProperties": False,
        },
    },
    "required": ["weight_grams"],
    "additionalProperties": False,
}

PHYSICAL = ProductType(
    name=TYPE_NAME,
    requires_shipping=True,
    tracks_stock=True,
    options_schema=None,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=("weight_grams", "dimensions_cm"),
    description="Goods shipped in a parcel; stock tracked per warehouse.",
)


def _rate(name: str, default: str) -> Decimal | None:
    raw = os.environ.get(name, default)
    if raw == "":
        return None
    try:
        amount = parse_amount(raw)
    except ValueError:
        amount = None
    if amount is None or amount < 0:
        raise PluginConfigError(f"{name}={raw!r}: give an amount of 0 or more, or leave it empty.")
    return amount


@hookimpl
def oms_product_types() -> list[ProductType]:
    # Checked at start-up, so a bad rate stops the server instead of every cart.
    _rate("OMS_PHYSICAL_FLAT_RATE", "4.90")
    _rate("OMS_PHYSICAL_FREE_SHIPPING_OVER", "50.00")
    return [PHYSICAL]


@hookimpl
def oms_shipping_methods(cart: Cart) -> list[ShippingMethodOffer]:
    parcel_lines = cart.lines_of_types({TYPE_NAME})
    if not parcel_lines:
        return []
    parcel_value = sum((line.total for line in parcel_lines), Money.zero(cart.currency))
    flat = _rate("OMS_PHYSICAL_FLAT_RATE", "4.90")
    free_over = _rate("OMS_PHYSICAL_FREE_SHIPPING_OVER", "50.00")
    offers = []
    if flat is not None:
        offers.append(ShippingMethodOffer("standard", "Standard shipping", Money(flat, cart.currency)))
    if free_over is not None and parcel_value.amount >= free_over:
        offers.append(
            ShippingMethodOffer(
                "free", f"Free shipping over {free_over} {cart.currency}", Money.zero(cart.currency)
            )
        )
    return offers
