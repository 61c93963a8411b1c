"""The seam between pricing and discount codes (issue 14).

Pricing calls :func:`apply_discount_codes` after the lines are priced and the shipping
method is chosen, and before tax: tax is computed on what the customer pays. Placement
calls :func:`redeem` inside its transaction; ending an unpaid order calls :func:`release`.

This first version knows no codes: every code given is refused, so a cart with codes can
not be placed by mistake at full price. The discounts work replaces the bodies, not the
signatures.
"""

from __future__ import annotations

import dataclasses

from oms.errors import ErrorCode, FieldError
from oms.money import Money


@dataclasses.dataclass(frozen=True)
class DiscountableLine:
    """A priced cart line as discounts see it."""

    index: int  # the cart line's index (errors and results are keyed by it)
    sku: str
    product_type: str
    product_id: int
    quantity: int
    total: Money  # unit price x quantity, before any discount


@dataclasses.dataclass(frozen=True)
class AppliedCode:
    id: int
    code: str


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
    for i, code in enumerate(codes or []):
        result.errors.append(
            FieldError(ErrorCode.DISCOUNT_CODE_INVALID, f"Unknown discount code {code!r}.", ["discountCodes", i])
        )
    return result


async def redeem(order_id: int, applied: AppliedDiscounts, *, email: str, customer_id: int | None) -> None:
    """Count one use of each applied code for ``order_id`` (inside placement's transaction).

    Raises ``DomainError(DISCOUNT_CODE_INVALID)`` when a code's limit was reached meanwhile."""


async def release(order_id: int) -> None:
    """Give back the uses ``order_id`` took: it ended unpaid (expired or canceled)."""
