"""The seam between pricing and discount codes (issue 14).

Pricing calls :func:`apply_discount_codes` after the lines are priced and the shipping
method is chosen, and before tax: tax is computed on what the customer pays. Placement
calls :func:`redeem` inside its transaction; ending an unpaid order calls :func:`release`.

Rules:
- A cart takes at most :data:`MAX_CODES` codes, case-insensitive. Stacking: at most one
  percentage-or-amount code plus at most one free-shipping code; another one is refused.
- A code is refused (DISCOUNT_CODE_INVALID, field ``["discountCodes", i]``, a message
  saying why) when unknown or inactive, not started, expired, used up in total or by this
  customer/email, the cart's subtotal (before discounts) is below its minimum, or it
  applies to nothing in the cart.
- Eligible lines: those of a listed product type or product (every line when the code
  lists neither). A percentage is taken off their total (rounded half-up to the cent); an
  amount is capped at their total; either is split over them by
  :func:`oms.discounts.allocation.allocate`. Free shipping takes off the chosen method's
  price, when an eligible line is shipped.
- Usage limits hold under concurrency: :func:`redeem` counts a use with one conditional
  UPDATE (``times_used < usage_limit``), after locking the code row and counting the
  customer's unreleased redemptions when a per-customer limit is set.
"""

from __future__ import annotations

import collections
import dataclasses
from decimal import Decimal

from tortoise.expressions import F, Q

from oms.clock import utcnow
from oms.discounts.allocation import allocate, from_minor, percentage_of, to_minor
from oms.discounts.models import DiscountCode, DiscountKind, DiscountRedemption
from oms.errors import DomainError, ErrorCode, FieldError
from oms.money import Money

MAX_CODES = 5
MAX_CODE_LENGTH = 64


@dataclasses.dataclass(frozen=True)
class DiscountableLine:
    """A priced cart line as discounts see it."""

    index: int  # the cart line's index (errors and results are keyed by it)
    sku: str
    product_type: str
    product_id: int
    quantity: int
    total: Money  # unit price x quantity, before any discount
    requires_shipping: bool = False  # its product type ships (free-shipping codes need one)


@dataclasses.dataclass(frozen=True)
class AppliedCode:
    id: int
    code: str
    index: int = 0  # its position in the codes given (the error field of a later refusal)


@dataclasses.dataclass
class AppliedDiscounts:
    currency: str
    # Each line's share of the discounts, by cart line index; a missing line has none.
    # A line's share never exceeds its total.
    line_discounts: dict[int, Money] = dataclasses.field(default_factory=dict)
    # Taken off the chosen shipping method's price (free shipping); never more than it.
    shipping_discount: Money | None = None
    codes: list[AppliedCode] = dataclasses.field(default_factory=list)
    # DISCOUNT_CODE_INVALID, field ("discountCodes", i) for the i-th code given.
    errors: list[FieldError] = dataclasses.field(default_factory=list)

    def line_discount(self, index: int) -> Money:
        return self.line_discounts.get(index) or Money.zero(self.currency)

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for amount in self.line_discounts.values():
            total = total + amount
        return total + (self.shipping_discount or Money.zero(self.currency))


def code_key(code: str) -> str:
    """The form codes are compared in (unique, indexed): trimmed and lower-cased."""
    return code.strip().lower()


def _invalid(message: str, index: int | None = None) -> FieldError:
    field: list[str | int] = ["discountCodes"] if index is None else ["discountCodes", index]
    return FieldError(ErrorCode.DISCOUNT_CODE_INVALID, message, field)


@dataclasses.dataclass(frozen=True)
class _Cart:
    lines: list[DiscountableLine]
    currency: str
    subtotal: Money
    shipping: Money | None


def _eligible(code: DiscountCode, lines: list[DiscountableLine]) -> list[DiscountableLine]:
    if not code.product_types and not code.product_ids:
        return list(lines)
    types, products = set(code.product_types), set(code.product_ids)
    return [line for line in lines if line.product_type in types or line.product_id in products]


def _refusal(code: DiscountCode, cart: _Cart, customer_uses: int) -> str | None:
    """Why ``code`` does not apply to ``cart`` (None: it does)."""
    now, name = utcnow(), code.code
    if code.starts_at is not None and now < code.starts_at:
        return f"Discount code {name} is not valid before {code.starts_at.isoformat()}."
    if code.ends_at is not None and now >= code.ends_at:
        return f"Discount code {name} expired at {code.ends_at.isoformat()}."
    if code.currency != cart.currency:
        return f"Discount code {name} is not valid in {cart.currency}."
    if code.usage_limit is not None and code.times_used >= code.usage_limit:
        return f"Discount code {name} is used up."
    if code.usage_limit_per_customer is not None and customer_uses >= code.usage_limit_per_customer:
        return f"Discount code {name} is used up for this customer (at most {code.usage_limit_per_customer} uses)."
    if code.minimum_subtotal is not None and cart.subtotal.amount < code.minimum_subtotal:
        return f"Discount code {name} needs a subtotal of at least {code.minimum_subtotal} {cart.currency}."
    eligible = _eligible(code, cart.lines)
    if code.kind == DiscountKind.FREE_SHIPPING:
        eligible = [line for line in eligible if line.requires_shipping]
    if not eligible:
        return f"Discount code {name} applies to nothing in this cart."
    return None


async def _customer_uses(
    codes: list[DiscountCode], email: str | None, customer_id: int | None
) -> collections.Counter[int]:
    """Unreleased redemptions of the per-customer-limited ``codes`` by this customer or
    email, by code id (one query)."""
    limited = [code.id for code in codes if code.usage_limit_per_customer is not None]
    who = _same_buyer(email, customer_id)
    if not limited or who is None:
        return collections.Counter()
    rows = await DiscountRedemption.filter(who, code_id__in=limited, released_at__isnull=True).values_list(
        "code_id", flat=True
    )
    return collections.Counter(int(code_id) for code_id in rows)  # type: ignore[call-overload]


def _same_buyer(email: str | None, customer_id: int | None) -> Q | None:
    """Redemptions by the same buyer: the same account, or the same email (a guest)."""
    conditions = []
    if customer_id is not None:
        conditions.append(Q(customer_id=customer_id))
    if email:
        conditions.append(Q(email=email.strip().lower()))
    if not conditions:
        return None
    return Q(*conditions, join_type=Q.OR)


async def apply_discount_codes(
    codes: list[str] | None,
    lines: list[DiscountableLine],
    *,
    currency: str,
    subtotal: Money,
    shipping: Money | None,
    email: str | None,
    customer_id: int | None,
) -> AppliedDiscounts:
    """The discounts ``codes`` give this cart, allocated to its lines (and shipping)."""
    result = AppliedDiscounts(currency=currency)
    if not codes:
        return result
    if len(codes) > MAX_CODES:
        result.errors.append(_invalid(f"At most {MAX_CODES} discount codes per cart."))
        return result
    keys = [code_key(code) if len(code) <= 4 * MAX_CODE_LENGTH else "" for code in codes]
    wanted = [key for key in keys if key and len(key) <= MAX_CODE_LENGTH]
    found = {code.code_key: code for code in await DiscountCode.filter(code_key__in=wanted)} if wanted else {}
    uses = await _customer_uses(list(found.values()), email, customer_id)
    cart = _Cart(lines, currency, subtotal, shipping)
    seen: set[str] = set()
    taken: dict[str, DiscountCode] = {}  # "lines" / "shipping": the code applied to each
    for i, (given, key) in enumerate(zip(codes, keys, strict=True)):
        code = found.get(key)
        if code is None or not code.active:
            result.errors.append(_invalid(f"Unknown discount code {given[:MAX_CODE_LENGTH]!r}.", i))
            continue
        if key in seen:
            result.errors.append(_invalid(f"Discount code {code.code} is given twice.", i))
            continue
        seen.add(key)
        reason = _refusal(code, cart, uses[code.id])
        slot = "shipping" if code.kind == DiscountKind.FREE_SHIPPING else "lines"
        if reason is None and slot in taken:
            what = "free-shipping code" if slot == "shipping" else "percentage or amount code"
            reason = f"Only one {what} per order: {taken[slot].code} is applied already."
        if reason is not None:
            result.errors.append(_invalid(reason, i))
            continue
        taken[slot] = code
        result.codes.append(AppliedCode(code.id, code.code, i))
        _apply(code, cart, result)
    return result


def _apply(code: DiscountCode, cart: _Cart, result: AppliedDiscounts) -> None:
    currency = cart.currency
    if code.kind == DiscountKind.FREE_SHIPPING:
        # Not chosen yet (a quote): nothing to take off until a method is.
        result.shipping_discount = cart.shipping
        return
    totals = {line.index: to_minor(line.total.amount, currency) for line in _eligible(code, cart.lines)}
    whole = sum(totals.values())
    if code.kind == DiscountKind.PERCENTAGE:
        discount = percentage_of(whole, Decimal(code.percentage or 0))
    else:
        discount = to_minor(Decimal(code.amount or 0), currency)
    for index, share in allocate(discount, totals).items():
        result.line_discounts[index] = Money(from_minor(share, currency), currency)


async def redeem(order_id: int, applied: AppliedDiscounts, *, email: str, customer_id: int | None) -> None:
    """Count one use of each applied code for ``order_id`` (inside placement's transaction).

    Raises ``DomainError(DISCOUNT_CODE_INVALID)`` when a code's limit was reached meanwhile."""
    buyer = _same_buyer(email, customer_id)
    # Codes are locked in id order, after the stock rows: two placements never deadlock.
    for applied_code in sorted(applied.codes, key=lambda c: c.id):
        index = applied_code.index
        code = await DiscountCode.select_for_update().get_or_none(id=applied_code.id)
        if code is None or not code.active:
            raise DomainError([_invalid(f"Unknown discount code {applied_code.code!r}.", index)])
        limit = code.usage_limit_per_customer
        if limit is not None and buyer is not None:
            used = await DiscountRedemption.filter(buyer, code_id=code.id, released_at__isnull=True).count()
            if used >= limit:
                raise DomainError(
                    [_invalid(f"Discount code {code.code} is used up for this customer (at most {limit} uses).", index)]
                )
        counted = (
            await DiscountCode.filter(id=code.id)
            .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
            .update(times_used=F("times_used") + 1)
        )
        if not counted:
            raise DomainError([_invalid(f"Discount code {code.code} is used up.", index)])
        await DiscountRedemption.create(
            code_id=code.id, order_id=order_id, email=email.strip().lower(), customer_id=customer_id
        )


async def release(order_id: int) -> None:
    """Give back the uses ``order_id`` took: it ended unpaid (expired or canceled).

    Each redemption is released by a conditional UPDATE, so a second call (or a race with
    another) gives nothing back twice."""
    now = utcnow()
    for redemption in await DiscountRedemption.filter(order_id=order_id, released_at__isnull=True):
        if await DiscountRedemption.filter(id=redemption.id, released_at__isnull=True).update(released_at=now):
            await DiscountCode.filter(id=redemption.code_id, times_used__gt=0).update(
                times_used=F("times_used") - 1
            )
