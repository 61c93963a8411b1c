"""Shipping zones (staff) and the methods a zone offers a cart.

Rules: a country belongs to one zone at most; a zone has at least one method, codes
unique within it. A method costs its ``price``; nothing when the cart's subtotal (before
discounts) reaches ``free_over``; with weight bands, the price of the first band whose
``max_grams`` holds the cart's weight (the variants' ``weight_grams`` attribute times
the quantities), and no offer when the cart is heavier than every band.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode, FieldError
from oms.money import Money, minor_units
from oms.plugin_types import CartLine, ShippingMethodOffer
from oms.shipping.models import ShippingZone, ShippingZoneCountry, ShippingZoneMethod

MAX_NAME = 100
MAX_CODE = 64
MAX_COUNTRIES = 250
MAX_METHODS = 50
MAX_BANDS = 50


@dataclasses.dataclass(frozen=True)
class WeightBand:
    max_grams: int
    price: Decimal


@dataclasses.dataclass(frozen=True)
class MethodData:
    code: str
    name: str
    price: Decimal
    free_over: Decimal | None = None
    weight_bands: Sequence[WeightBand] | None = None


@dataclasses.dataclass(frozen=True)
class ZoneData:
    name: str
    countries: Sequence[str]
    methods: Sequence[MethodData]


@dataclasses.dataclass(frozen=True)
class Zone:
    """A zone with its countries and methods, as listed."""

    zone: ShippingZone
    countries: list[str]
    methods: list[ShippingZoneMethod]


@dataclasses.dataclass(frozen=True)
class ZoneOffers:
    methods: list[ShippingMethodOffer]
    errors: list[FieldError]


# -- staff -------------------------------------------------------------------------------------


async def create_zone(data: ZoneData, *, currency: str) -> Zone:
    """A new zone; INVALID for a bad value or a country another zone has."""
    countries, methods = _clean(data, currency)
    async with in_transaction():
        await _refuse_taken(countries, exclude_zone=None)
        zone = await ShippingZone.create(name=data.name.strip())
        return await _write(zone, countries, methods)


async def update_zone(zone_id: int, data: ZoneData, *, currency: str) -> Zone:
    """Replace a zone's name, countries and methods (placed orders keep their shipping)."""
    countries, methods = _clean(data, currency)
    async with in_transaction():
        zone = await ShippingZone.filter(id=zone_id).select_for_update().first()
        if zone is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "No such shipping zone.", ["id"])
        await _refuse_taken(countries, exclude_zone=zone.id)
        zone.name = data.name.strip()
        await zone.save(update_fields=["name"])
        await ShippingZoneCountry.filter(zone_id=zone.id).delete()
        await ShippingZoneMethod.filter(zone_id=zone.id).delete()
        return await _write(zone, countries, methods)


async def delete_zone(zone_id: int) -> None:
    if not await ShippingZone.filter(id=zone_id).delete():
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such shipping zone.", ["id"])


async def list_zones() -> list[Zone]:
    zones = await ShippingZone.all().order_by("id")
    ids = [z.id for z in zones]
    countries: dict[int, list[str]] = {}
    for row in await ShippingZoneCountry.filter(zone_id__in=ids).order_by("id") if ids else []:
        countries.setdefault(row.zone_id, []).append(row.country)
    methods: dict[int, list[ShippingZoneMethod]] = {}
    for method in await ShippingZoneMethod.filter(zone_id__in=ids).order_by("position") if ids else []:
        methods.setdefault(method.zone_id, []).append(method)
    return [Zone(z, countries.get(z.id, []), methods.get(z.id, [])) for z in zones]


async def _write(zone: ShippingZone, countries: list[str], methods: list[MethodData]) -> Zone:
    try:
        await ShippingZoneCountry.bulk_create([ShippingZoneCountry(zone=zone, country=c) for c in countries])
    except IntegrityError:  # another zone took one of them meanwhile
        raise DomainError.of(ErrorCode.INVALID, "A country is in another zone already.", ["countries"]) from None
    rows = [
        ShippingZoneMethod(
            zone=zone,
            position=i,
            code=m.code,
            name=m.name,
            price=m.price,
            free_over=m.free_over,
            weight_bands=[{"max_grams": b.max_grams, "price": str(b.price)} for b in m.weight_bands]
            if m.weight_bands
            else None,
        )
        for i, m in enumerate(methods)
    ]
    await ShippingZoneMethod.bulk_create(rows)
    return Zone(zone, countries, list(await ShippingZoneMethod.filter(zone_id=zone.id).order_by("position")))


async def _refuse_taken(countries: list[str], *, exclude_zone: int | None) -> None:
    query = ShippingZoneCountry.filter(country__in=countries)
    if exclude_zone is not None:
        query = query.exclude(zone_id=exclude_zone)
    taken = {row.country for row in await query}
    errors = [
        FieldError(ErrorCode.INVALID, f"{c} is in another zone already.", ["countries", i])
        for i, c in enumerate(countries)
        if c in taken
    ]
    if errors:
        raise DomainError(errors)


def _clean(data: ZoneData, currency: str) -> tuple[list[str], list[MethodData]]:
    errors: list[FieldError] = []
    name = (data.name or "").strip()
    if not name:
        errors.append(FieldError(ErrorCode.REQUIRED, "Give the zone a name.", ["name"]))
    elif len(name) > MAX_NAME:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", ["name"]))
    countries: list[str] = []
    if not data.countries:
        errors.append(FieldError(ErrorCode.REQUIRED, "List at least one country.", ["countries"]))
    elif len(data.countries) > MAX_COUNTRIES:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_COUNTRIES} countries.", ["countries"]))
    else:
        for i, raw in enumerate(data.countries):
            country = (raw or "").strip().upper()
            if len(country) != 2 or not country.isascii() or not country.isalpha():
                errors.append(
                    FieldError(ErrorCode.INVALID, "Use two-letter ISO 3166 codes, e.g. DE.", ["countries", i])
                )
            elif country not in countries:
                countries.append(country)
    if not data.methods:
        errors.append(FieldError(ErrorCode.REQUIRED, "Give the zone at least one method.", ["methods"]))
    elif len(data.methods) > MAX_METHODS:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_METHODS} methods.", ["methods"]))
    methods = [] if len(data.methods) > MAX_METHODS else _clean_methods(data.methods, currency, errors)
    if errors:
        raise DomainError(errors)
    return countries, methods


def _clean_methods(methods: Sequence[MethodData], currency: str, errors: list[FieldError]) -> list[MethodData]:
    clean = []
    codes: set[str] = set()
    for i, m in enumerate(methods):
        field: list[str | int] = ["methods", i]
        code, name = (m.code or "").strip(), (m.name or "").strip()
        if not code or len(code) > MAX_CODE:
            errors.append(FieldError(ErrorCode.INVALID, f"A code of 1 to {MAX_CODE} characters.", [*field, "code"]))
        elif code in codes:
            errors.append(FieldError(ErrorCode.INVALID, f"Two methods have the code {code!r}.", [*field, "code"]))
        codes.add(code)
        if not name or len(name) > MAX_NAME:
            errors.append(FieldError(ErrorCode.INVALID, f"A name of 1 to {MAX_NAME} characters.", [*field, "name"]))
        price = _amount(m.price, currency, [*field, "price"], errors)
        free_over = None if m.free_over is None else _amount(m.free_over, currency, [*field, "freeOver"], errors)
        bands = _clean_bands(m.weight_bands, currency, [*field, "weightBands"], errors)
        clean.append(MethodData(code=code, name=name, price=price, free_over=free_over, weight_bands=bands))
    return clean


def _clean_bands(
    bands: Sequence[WeightBand] | None, currency: str, field: list[str | int], errors: list[FieldError]
) -> list[WeightBand] | None:
    if not bands:
        return None
    if len(bands) > MAX_BANDS:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_BANDS} weight bands.", field))
        return None
    clean: list[WeightBand] = []
    for i, band in enumerate(bands):
        if band.max_grams <= 0 or (clean and band.max_grams <= clean[-1].max_grams):
            errors.append(
                FieldError(ErrorCode.INVALID, "Weights must be positive and ascending.", [*field, i, "maxGrams"])
            )
        clean.append(WeightBand(band.max_grams, _amount(band.price, currency, [*field, i, "price"], errors)))
    return clean


def _amount(value: Decimal, currency: str, field: list[str | int], errors: list[FieldError]) -> Decimal:
    try:
        amount = Decimal(value)
        exponent = amount.as_tuple().exponent
    except (InvalidOperation, TypeError, ValueError):
        exponent = None
    if exponent is None or not isinstance(exponent, int) or amount < 0 or amount >= Decimal("1e10"):
        errors.append(FieldError(ErrorCode.INVALID, "A positive amount, e.g. 4.90.", field))
        return Decimal(0)
    if -exponent > minor_units(currency):
        errors.append(FieldError(ErrorCode.INVALID, f"At most {minor_units(currency)} decimals.", field))
    return amount


# -- pricing -----------------------------------------------------------------------------------


async def zones_configured() -> bool:
    return await ShippingZone.exists()


async def zone_offers(country: str | None, shipped: Sequence[CartLine], subtotal: Money) -> ZoneOffers:
    """The methods of ``country``'s zone for the shipped lines; a country no zone holds is
    an error on ``shippingAddress.country``. No country yet (pricing without an address,
    or one whose country is already refused): nothing offered, no error."""
    if country is None or len(country) != 2 or not country.isalpha():
        return ZoneOffers([], [])
    link = await ShippingZoneCountry.get_or_none(country=country.upper())
    if link is None:
        error = FieldError(
            ErrorCode.SHIPPING_UNAVAILABLE, f"We do not ship to {country.upper()}.", ["shippingAddress", "country"]
        )
        return ZoneOffers([], [error])
    methods = await ShippingZoneMethod.filter(zone_id=link.zone_id).order_by("position")
    grams = sum(int(line.attributes.get("weight_grams") or 0) * line.quantity for line in shipped)
    offers = []
    for method in methods:
        price = method_price(method, subtotal.amount, grams)
        if price is not None:
            offers.append(ShippingMethodOffer(method.code, method.name, Money(price, subtotal.currency)))
    return ZoneOffers(offers, [])


def method_price(method: ShippingZoneMethod, value: Decimal, grams: int) -> Decimal | None:
    """The method's price for a cart of subtotal ``value`` whose shipped lines weigh
    ``grams``; None when no weight band holds the cart."""
    if method.free_over is not None and value >= Decimal(method.free_over):
        return Decimal("0.00")
    if method.weight_bands:
        band = next((b for b in method.weight_bands if grams <= int(b["max_grams"])), None)
        return Decimal(band["price"]) if band is not None else None
    return Decimal(method.price)
