"""Shipping settings of the physical plugin, declared for ``oms_settings``.

oms reads them from the environment once, when the plugin host starts, and a bad value
stops the start with a one-line :class:`oms.plugins.PluginConfigError` naming the variable
and saying how to fix it. The plugin's hooks get the values from
``plugins.settings_for("physical")`` (:func:`shipping_config`). All amounts are in the shop
currency.

``OMS_PHYSICAL_FLAT_RATE`` (default ``4.90``)
    Price of the "standard" method ("Standard shipping"). Empty: no standard method.

``OMS_PHYSICAL_FREE_SHIPPING_OVER`` (default ``50.00``)
    The "free" method is offered when the physical lines of a cart are worth at least this
    much. Empty: no free method.

``OMS_PHYSICAL_WEIGHT_RATES`` (default empty: off)
    Weight bands as comma-separated ``GRAMS:PRICE`` pairs, grams strictly increasing, e.g.
    ``1000:5.90,5000:9.90,20000:24.90``: up to and including 1000 g costs 5.90, up to 5000 g
    costs 9.90, up to 20000 g costs 24.90. The "weight" method ("Shipping by weight (1.2 kg)")
    is priced by the first band that holds the weight of the cart's physical lines (the
    ``weight_grams`` attribute times the quantity); heavier carts get no weight method.
    Prices have at most 2 decimals.

``OMS_PHYSICAL_SHIP_FROM`` (default a demo warehouse in Leeds, GB)
    The sender address printed on shipping labels, as a JSON object with the keys ``name``,
    ``line1``, ``city``, ``postal_code``, ``country`` (two-letter ISO code) and optionally
    ``line2``, ``region``, ``phone``, e.g.
    ``{"name": "Acme", "line1": "1 Main St", "city": "Boston", "region": "MA",
    "postal_code": "02101", "country": "US"}``.

``OMS_PHYSICAL_CARRIERS`` (default empty: the built-in carriers only)
    Extra carriers, or replacements for built-in ones, as a JSON object keyed by carrier code
    (lowercase letters, digits, ``_`` and ``-``, at most 32 characters), e.g.
    ``{"royalmail": {"name": "Royal Mail",
    "tracking_url": "https://www.royalmail.com/track-your-item#/tracking-results/{tracking_number}"}}``.
    ``tracking_url`` is optional; when given it is an http(s) URL containing
    ``{tracking_number}``. Built in: ``manual`` (no tracking URL), ``ups``, ``usps``,
    ``fedex`` and ``dhl``.

``OMS_PHYSICAL_RETURN_DAYS`` (default ``30``)
    Units may be returned within this many days of the delivery of their parcel (the
    shipment marked delivered). ``0``: physical goods are never returned.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from oms.api import (
    Cart,
    CartLine,
    Money,
    PluginConfigError,
    PluginHost,
    PluginSetting,
    SettingError,
    SettingsDeclaration,
    ShippingMethodOffer,
    check_address,
    parse_amount,
    read_settings,
)

PREFIX = "physical"  # OMS_PHYSICAL_*

DEFAULT_SHIP_FROM = {
    "name": "oms demo warehouse",
    "line1": "1 Dock Road",
    "city": "Leeds",
    "postal_code": "LS1 1AA",
    "country": "GB",
}
_ADDRESS_KEYS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
_KEY_NAMES = {"postalCode": "postal_code"}
_CARRIER_CODE = re.compile(r"[a-z0-9_-]{1,32}")
_GRAMS = re.compile(r"[0-9]+")
_PLACEHOLDER = "{tracking_number}"


@dataclasses.dataclass(frozen=True)
class WeightBand:
    max_grams: int  # carts weighing up to and including this
    price: Decimal


@dataclasses.dataclass(frozen=True)
class CarrierTemplate:
    code: str
    name: str
    tracking_url: str | None  # contains "{tracking_number}"


BUILTIN_CARRIERS = {
    carrier.code: carrier
    for carrier in (
        CarrierTemplate("manual", "Manual", None),
        CarrierTemplate("ups", "UPS", "https://www.ups.com/track?tracknum={tracking_number}"),
        CarrierTemplate(
            "usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking_number}"
        ),
        CarrierTemplate("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={tracking_number}"),
        CarrierTemplate(
            "dhl", "DHL", "https://www.dhl.com/en/express/tracking.html?AWB={tracking_number}"
        ),
    )
}


@dataclasses.dataclass(frozen=True)
class ShippingConfig:
    flat_rate: Decimal | None
    free_over: Decimal | None
    weight_bands: tuple[WeightBand, ...]  # sorted by max_grams, strictly increasing
    ship_from: dict[str, str | None]  # an address dict, as oms.orders.addresses stores it
    carriers: dict[str, CarrierTemplate]  # by code


def shipping_config(plugins: PluginHost) -> ShippingConfig:
    """The settings the host read at start (no environment is read here)."""
    return config_from(plugins.settings_for(PREFIX))


def config_from(values: Mapping[str, Any]) -> ShippingConfig:
    return ShippingConfig(
        flat_rate=values["flat_rate"],
        free_over=values["free_shipping_over"],
        weight_bands=values["weight_rates"],
        ship_from=values["ship_from"],
        carriers=values["carriers"],
    )


def load_config(environ: Mapping[str, str] = os.environ) -> ShippingConfig:
    """Read and check every ``OMS_PHYSICAL_*`` variable of ``environ`` as the host does at
    start; raise PluginConfigError (for tests and tools: the plugin uses
    :func:`shipping_config`)."""
    try:
        return config_from(read_settings(SETTINGS, environ))
    except SettingError as exc:
        raise PluginConfigError(str(exc)) from None


def cart_weight_grams(lines: Iterable[CartLine]) -> int:
    """Total weight: each line's ``weight_grams`` attribute (0 when missing) times its quantity."""
    return sum(int(line.attributes.get("weight_grams") or 0) * line.quantity for line in lines)


def format_weight(grams: int) -> str:
    """``1050`` -> ``"1.05 kg"``, ``1200`` -> ``"1.2 kg"``, ``2000`` -> ``"2 kg"``."""
    kilograms = f"{Decimal(grams) / 1000:.2f}".rstrip("0").rstrip(".")
    return f"{kilograms} kg"


def shipping_offers(
    cart: Cart, config: ShippingConfig, type_name: str = "physical"
) -> list[ShippingMethodOffer]:
    """The methods offered for the cart's lines of ``type_name``: standard, weight, free."""
    parcel_lines = cart.lines_of_types({type_name})
    if not parcel_lines:
        return []
    currency = cart.currency
    offers = []
    if config.flat_rate is not None:
        offers.append(ShippingMethodOffer("standard", "Standard shipping", Money(config.flat_rate, currency)))
    grams = cart_weight_grams(parcel_lines)
    band = next((band for band in config.weight_bands if grams <= band.max_grams), None)
    if band is not None:
        name = f"Shipping by weight ({format_weight(grams)})"
        offers.append(ShippingMethodOffer("weight", name, Money(band.price, currency)))
    parcel_value = sum((line.total for line in parcel_lines), Money.zero(currency))
    if config.free_over is not None and parcel_value.amount >= config.free_over:
        name = f"Free shipping over {config.free_over} {currency}"
        offers.append(ShippingMethodOffer("free", name, Money.zero(currency)))
    return offers


def tracking_url(config: ShippingConfig, carrier_code: str, tracking_number: str) -> str | None:
    """The carrier's tracking page for the number, or None (unknown carrier, no template)."""
    carrier = config.carriers.get(carrier_code)
    if carrier is None or carrier.tracking_url is None:
        return None
    # replace(), not format(): a template may hold other braces, e.g. in a URL fragment.
    return carrier.tracking_url.replace(_PLACEHOLDER, quote(tracking_number, safe=""))


# The parse functions of the settings: each raises ValueError saying what is expected; the
# host prefixes the variable and its value (one line).

def _rate(raw: str) -> Decimal | None:
    if raw == "":
        return None
    try:
        amount = parse_amount(raw)
    except ValueError:
        amount = None
    if amount is None or amount < 0:
        raise ValueError("give an amount of 0 or more, or leave it empty.")
    return amount


def _weight_bands(raw: str) -> tuple[WeightBand, ...]:
    if not raw.strip():
        return ()

    def fail(problem: str) -> ValueError:
        return ValueError(
            f"{problem}. Give comma-separated GRAMS:PRICE pairs with "
            "grams increasing, e.g. 1000:5.90,5000:9.90, or leave it empty."
        )

    bands: list[WeightBand] = []
    for entry in raw.split(","):
        grams_text, colon, price_text = entry.strip().partition(":")
        grams_text, price_text = grams_text.strip(), price_text.strip()
        if not colon or not grams_text or not price_text:
            raise fail(f"{entry.strip()!r} is not GRAMS:PRICE")
        if not _GRAMS.fullmatch(grams_text) or int(grams_text) == 0:
            raise fail(f"{grams_text!r} is not a whole number of grams above 0")
        grams = int(grams_text)
        try:
            price = parse_amount(price_text)
        except ValueError:
            raise fail(f"{price_text!r} is not an amount") from None
        exponent = price.as_tuple().exponent  # an int: parse_amount returns finite amounts only
        if price < 0 or (isinstance(exponent, int) and exponent < -2):
            raise fail(f"{price_text!r} is not an amount of 0 or more with at most 2 decimals")
        if bands and grams == bands[-1].max_grams:
            raise fail(f"{grams} g is given twice")
        if bands and grams < bands[-1].max_grams:
            raise fail(f"{grams} g comes after {bands[-1].max_grams} g")
        bands.append(WeightBand(grams, price))
    return tuple(bands)


def _ship_from(raw: str) -> dict[str, str | None]:
    if not raw.strip():
        address, _ = check_address(DEFAULT_SHIP_FROM, [])
        return address
    example = '{"name": ..., "line1": ..., "city": ..., "postal_code": ..., "country": "GB"}'

    def fail(problem: str) -> ValueError:
        return ValueError(f"{problem}. Give a JSON object like {example}.")

    value = _json_object(raw, fail)
    unknown = sorted(set(value) - set(_ADDRESS_KEYS))
    if unknown:
        raise fail(f"unknown keys {unknown}; the keys are {', '.join(_ADDRESS_KEYS)}")
    not_text = sorted(key for key, item in value.items() if item is not None and not isinstance(item, str))
    if not_text:
        raise fail(f"the values of {not_text} must be strings")
    address, errors = check_address(value, [])
    if errors:
        # check_address names fields as the API does (postalCode); name them as the JSON does.
        keys = []
        for error in errors:
            assert error.field, error.message  # check_address names the field of each error
            keys.append(_KEY_NAMES.get(error.field[-1], error.field[-1]))
        raise fail("; ".join(f"{key}: {error.message.rstrip('.')}" for key, error in zip(keys, errors, strict=True)))
    return address


def _carriers(raw: str) -> dict[str, CarrierTemplate]:
    carriers = dict(BUILTIN_CARRIERS)
    if not raw.strip():
        return carriers
    example = '{"royalmail": {"name": "Royal Mail", "tracking_url": "https://.../{tracking_number}"}}'

    def fail(problem: str) -> ValueError:
        return ValueError(f"{problem}. Give a JSON object like {example}.")

    for code, entry in _json_object(raw, fail).items():
        if not _CARRIER_CODE.fullmatch(code):
            raise fail(f"carrier code {code!r} must be 1 to 32 lowercase letters, digits, _ or -")
        if not isinstance(entry, dict) or set(entry) - {"name", "tracking_url"}:
            raise fail(f"{code!r} must be an object with the keys name and, optionally, tracking_url")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{code!r} needs a name")
        url = entry.get("tracking_url")
        if url is not None and not _is_tracking_template(url):
            raise fail(f"the tracking_url of {code!r} must be an http(s) URL containing {_PLACEHOLDER}")
        carriers[code] = CarrierTemplate(code, name.strip(), url)
    return carriers


def _json_object(raw: str, fail: Callable[[str], ValueError]) -> dict:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise fail(f"not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise fail("not a JSON object")
    return value


def _is_tracking_template(url: object) -> bool:
    if not isinstance(url, str) or _PLACEHOLDER not in url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _return_days(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError("give a whole number of days, 0 or more") from None
    if not 0 <= value <= 3650:
        raise ValueError("give a whole number of days, 0 or more")
    return value


DEFAULT_RETURN_DAYS = 30

SETTINGS = SettingsDeclaration(PREFIX, [
    PluginSetting("flat_rate", _rate, default=Decimal("4.90"),
                  help='price of the "standard" method; empty: no standard method'),
    PluginSetting("free_shipping_over", _rate, default=Decimal("50.00"),
                  help='the "free" method from this value of physical lines; empty: no free method'),
    PluginSetting("weight_rates", _weight_bands, default=(),
                  help="weight bands GRAMS:PRICE,...; empty: no weight method"),
    PluginSetting("ship_from", _ship_from, default=_ship_from(""),
                  help="the sender address on labels, a JSON object"),
    PluginSetting("carriers", _carriers, default=_carriers(""),
                  help="extra carriers, a JSON object keyed by carrier code"),
    PluginSetting("return_days", _return_days, default=DEFAULT_RETURN_DAYS,
                  help="units may be returned within this many days of their parcel's delivery; 0: never"),
])
