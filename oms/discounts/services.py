"""Staff's side of discount codes: create, update (deactivate), list. Each is one
transaction; every problem of the input is reported at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.catalog.models import Product
from oms.discounts.apply import MAX_CODE_LENGTH, code_key
from oms.discounts.models import DiscountCode, DiscountKind
from oms.errors import DomainError, ErrorCode, FieldError, not_found
from oms.money import minor_units

logger = logging.getLogger("oms.discounts")

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MAX_LIMIT = 1_000_000_000
MAX_AMOUNT = Decimal("999999999999.99")
MAX_LISTED = 100  # product types or products one code names
DEFAULT_PAGE = 100
MAX_PAGE = 500


@dataclasses.dataclass(frozen=True)
class DiscountCodeData:
    code: str
    percentage: Decimal | None = None
    amount: Decimal | None = None
    free_shipping: bool | None = None
    minimum_subtotal: Decimal | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
    product_types: list[str] | None = None
    product_ids: list[int] | None = None


# What updateDiscountCode may change; a value of None clears it (for the optional ones).
UPDATABLE = (
    "active",
    "minimum_subtotal",
    "starts_at",
    "ends_at",
    "usage_limit",
    "usage_limit_per_customer",
    "product_types",
    "product_ids",
)


class _Errors:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, code: ErrorCode, message: str, *field: str | int) -> None:
        self.errors.append(FieldError(code, message, list(field)))

    def raise_any(self) -> None:
        if self.errors:
            raise DomainError(self.errors)


def _check_code(code: str, errors: _Errors) -> str:
    code = code.strip()
    if not code:
        errors.add(ErrorCode.REQUIRED, "A code is required.", "code")
    elif len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.fullmatch(code):
        errors.add(
            ErrorCode.INVALID,
            f"At most {MAX_CODE_LENGTH} letters, digits, '-' or '_', starting with a letter or digit.",
            "code",
        )
    return code


def _check_money(value: Decimal | None, field: str, currency: str, errors: _Errors, *, zero_ok: bool) -> None:
    if value is None:
        return
    if not value.is_finite() or value < 0 or (value == 0 and not zero_ok) or value > MAX_AMOUNT:
        errors.add(ErrorCode.INVALID, "Give an amount " + ("of 0 or more." if zero_ok else "above 0."), field)
    elif -value.as_tuple().exponent > minor_units(currency):  # type: ignore[operator]
        errors.add(ErrorCode.INVALID, f"At most {minor_units(currency)} decimal places in {currency}.", field)


def _check_value(data: DiscountCodeData, currency: str, errors: _Errors) -> DiscountKind | None:
    """Exactly one of percentage (0 < p <= 100), amount (> 0) or free shipping."""
    given = [
        kind
        for kind, present in (
            (DiscountKind.PERCENTAGE, data.percentage is not None),
            (DiscountKind.AMOUNT, data.amount is not None),
            (DiscountKind.FREE_SHIPPING, bool(data.free_shipping)),
        )
        if present
    ]
    if len(given) != 1:
        code = ErrorCode.REQUIRED if not given else ErrorCode.INVALID
        errors.add(code, "Give exactly one of percentage, amount or freeShipping.", "percentage")
        return None
    if data.percentage is not None:
        p = data.percentage
        if not p.is_finite() or not 0 < p <= 100:
            errors.add(ErrorCode.INVALID, "A percentage is above 0 and at most 100.", "percentage")
        elif -p.as_tuple().exponent > 2:  # type: ignore[operator]
            errors.add(ErrorCode.INVALID, "At most 2 decimal places.", "percentage")
    _check_money(data.amount, "amount", currency, errors, zero_ok=False)
    return given[0]


def _check_window(starts_at: dt.datetime | None, ends_at: dt.datetime | None, errors: _Errors) -> None:
    for name, value in (("startsAt", starts_at), ("endsAt", ends_at)):
        if value is not None and value.utcoffset() is None:
            errors.add(ErrorCode.INVALID, "Give a time with its UTC offset.", name)
            return
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors.add(ErrorCode.INVALID, "The end must come after the start.", "endsAt")


def _check_limit(value: int | None, field: str, errors: _Errors) -> None:
    if value is not None and not 1 <= value <= MAX_LIMIT:
        errors.add(ErrorCode.INVALID, f"A limit is between 1 and {MAX_LIMIT}.", field)


def _check_types(types: list[str] | None, known_types: Collection[str], errors: _Errors) -> list[str]:
    if not types:
        return []
    if len(types) > MAX_LISTED:
        errors.add(ErrorCode.INVALID, f"At most {MAX_LISTED} product types.", "productTypes")
        return []
    cleaned = list(dict.fromkeys(name.strip() for name in types))
    for i, name in enumerate(cleaned):
        if name not in known_types:
            errors.add(ErrorCode.INVALID, f"Unknown product type {name[:64]!r}.", "productTypes", i)
    return cleaned


async def _check_products(ids: list[int] | None, errors: _Errors) -> list[int]:
    if not ids:
        return []
    if len(ids) > MAX_LISTED:
        errors.add(ErrorCode.INVALID, f"At most {MAX_LISTED} products.", "products")
        return []
    cleaned = list(dict.fromkeys(ids))
    found = set(await Product.filter(id__in=cleaned).values_list("id", flat=True))
    for i, product_id in enumerate(cleaned):
        if product_id not in found:
            errors.add(ErrorCode.NOT_FOUND, "Product not found.", "products", i)
    return cleaned


async def create_discount_code(
    data: DiscountCodeData, *, currency: str, known_types: Collection[str], actor: str | None
) -> DiscountCode:
    """A new active code. INVALID/REQUIRED for bad input (all problems at once); INVALID
    on ``code`` when a code equal to it ignoring case exists."""
    errors = _Errors()
    code = _check_code(data.code, errors)
    kind = _check_value(data, currency, errors)
    _check_money(data.minimum_subtotal, "minimumSubtotal", currency, errors, zero_ok=True)
    _check_window(data.starts_at, data.ends_at, errors)
    _check_limit(data.usage_limit, "usageLimit", errors)
    _check_limit(data.usage_limit_per_customer, "usageLimitPerCustomer", errors)
    product_types = _check_types(data.product_types, known_types, errors)
    product_ids = await _check_products(data.product_ids, errors)
    errors.raise_any()
    assert kind is not None
    taken = _Errors()
    taken.add(ErrorCode.INVALID, f"A discount code {code} exists already (codes ignore case).", "code")
    if await DiscountCode.exists(code_key=code_key(code)):
        taken.raise_any()
    try:
        created = await DiscountCode.create(
            code=code,
            code_key=code_key(code),
            kind=kind,
            percentage=data.percentage,
            amount=data.amount,
            currency=currency,
            minimum_subtotal=data.minimum_subtotal,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            usage_limit=data.usage_limit,
            usage_limit_per_customer=data.usage_limit_per_customer,
            product_types=product_types,
            product_ids=product_ids,
            created_by=actor,
        )
    except IntegrityError:  # created meanwhile by another request
        taken.raise_any()
        raise
    logger.info("discount code %s (%s) created by %s", created.id, created.code, actor)
    return created


async def update_discount_code(
    code_id: int, changes: dict[str, Any], *, currency: str, known_types: Collection[str]
) -> DiscountCode:
    """Change the fields of :data:`UPDATABLE` present in ``changes`` (``active`` false
    deactivates: the code is refused from then on; orders placed keep their discount)."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    errors = _Errors()
    if changes.get("active", True) is None:
        errors.add(ErrorCode.INVALID, "active is true or false.", "active")
    _check_money(changes.get("minimum_subtotal"), "minimumSubtotal", currency, errors, zero_ok=True)
    _check_limit(changes.get("usage_limit"), "usageLimit", errors)
    _check_limit(changes.get("usage_limit_per_customer"), "usageLimitPerCustomer", errors)
    values = dict(changes)
    if "product_types" in changes:
        values["product_types"] = _check_types(changes["product_types"], known_types, errors)
    if "product_ids" in changes:
        values["product_ids"] = await _check_products(changes["product_ids"], errors)
    errors.raise_any()
    async with in_transaction():
        code = await DiscountCode.select_for_update().get_or_none(id=code_id)
        if code is None:
            raise not_found("Discount code", ["id"])
        _check_window(values.get("starts_at", code.starts_at), values.get("ends_at", code.ends_at), errors)
        errors.raise_any()
        if values:
            code.update_from_dict(values)
            await code.save(update_fields=[*values, "updated_at"])
    return code


async def list_discount_codes(*, first: int | None = None) -> list[DiscountCode]:
    """The newest codes first (default 100, at most 500)."""
    limit = DEFAULT_PAGE if first is None else first
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError.of(ErrorCode.INVALID, f"first is between 1 and {MAX_PAGE}.", ["first"])
    return await DiscountCode.all().order_by("-id").limit(limit)


async def get_discount_code(code_id: int) -> DiscountCode | None:
    return await DiscountCode.get_or_none(id=code_id)
