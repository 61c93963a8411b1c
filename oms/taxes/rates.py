"""Staff's tax rates: create, change, delete, list. One rate per country, region and
class; a rate is a percent between 0 and 100 with at most four decimals."""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation

from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode, FieldError
from oms.taxes.models import TaxRate

MAX_NAME = 100
MAX_REGION = 64
MAX_CLASS = 64
# A shop has a few rates per country it sells to; the list is not paged.
MAX_RATES = 5000


@dataclasses.dataclass(frozen=True)
class TaxRateData:
    name: str
    country: str
    region: str | None
    tax_class: str | None
    rate: Decimal


def _clean(data: TaxRateData) -> TaxRateData:
    """The normalized rate, or every problem found as INVALID/REQUIRED."""
    errors: list[FieldError] = []
    name = (data.name or "").strip()
    if not name:
        errors.append(FieldError(ErrorCode.REQUIRED, "Give the rate a name, e.g. VAT.", ["name"]))
    elif len(name) > MAX_NAME:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_NAME} characters.", ["name"]))
    country = (data.country or "").strip().upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        errors.append(
            FieldError(ErrorCode.INVALID, "Use the two-letter ISO 3166 country code, e.g. DE or US.", ["country"])
        )
    region = (data.region or "").strip().upper() or None
    if region is not None and len(region) > MAX_REGION:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_REGION} characters.", ["region"]))
    tax_class = (data.tax_class or "").strip() or None
    if tax_class is not None and len(tax_class) > MAX_CLASS:
        errors.append(FieldError(ErrorCode.INVALID, f"At most {MAX_CLASS} characters.", ["taxClass"]))
    rate = _rate(data.rate, errors)
    if errors:
        raise DomainError(errors)
    return TaxRateData(name=name, country=country, region=region, tax_class=tax_class, rate=rate)


def _rate(value: Decimal, errors: list[FieldError]) -> Decimal:
    try:
        rate = Decimal(value)
        exponent = rate.as_tuple().exponent
    except (InvalidOperation, TypeError, ValueError):
        errors.append(FieldError(ErrorCode.INVALID, "The rate is a percent, e.g. 20 or 7.25.", ["rate"]))
        return Decimal(0)
    if not rate.is_finite() or not isinstance(exponent, int) or not Decimal(0) <= rate <= Decimal(100):
        errors.append(FieldError(ErrorCode.INVALID, "The rate is a percent between 0 and 100.", ["rate"]))
    elif exponent < -4:
        errors.append(FieldError(ErrorCode.INVALID, "At most four decimals.", ["rate"]))
    return rate


async def _refuse_duplicate(data: TaxRateData, exclude_id: int | None = None) -> None:
    query = TaxRate.filter(country=data.country, region=data.region, tax_class=data.tax_class)
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        where = data.country + (f"-{data.region}" if data.region else "")
        what = f"class {data.tax_class!r}" if data.tax_class else "the default class"
        raise DomainError.of(ErrorCode.INVALID, f"{where} already has a rate for {what}.", ["taxClass"])


async def create_tax_rate(data: TaxRateData) -> TaxRate:
    """A new rate; INVALID for a bad value or a second rate of one country, region and class."""
    clean = _clean(data)
    async with in_transaction():
        await _refuse_duplicate(clean)
        return await TaxRate.create(**dataclasses.asdict(clean))


async def update_tax_rate(rate_id: int, data: TaxRateData) -> TaxRate:
    """Change every field of a rate (orders placed keep the tax they were charged)."""
    clean = _clean(data)
    async with in_transaction():
        rate = await TaxRate.filter(id=rate_id).select_for_update().first()
        if rate is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "No such tax rate.", ["id"])
        await _refuse_duplicate(clean, exclude_id=rate_id)
        rate.update_from_dict(dataclasses.asdict(clean))
        await rate.save()
        return rate


async def delete_tax_rate(rate_id: int) -> None:
    if not await TaxRate.filter(id=rate_id).delete():
        raise DomainError.of(ErrorCode.NOT_FOUND, "No such tax rate.", ["id"])


async def list_tax_rates() -> list[TaxRate]:
    return await TaxRate.all().order_by("country", "id").limit(MAX_RATES)
