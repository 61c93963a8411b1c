"""Plain input shapes of the order services (the GraphQL layer builds these)."""

from __future__ import annotations

import dataclasses
from typing import Any

from oms.errors import DomainError, ErrorCode

# Longest text a filter accepts: an email address (254) is the longest thing it matches.
MAX_FILTER_TEXT = 254


@dataclasses.dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: int
    options: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True)
class CartInput:
    lines: list[LineInput]
    email: str | None = None
    # Keys: name, line1, line2, city, postal_code, region, country, phone.
    shipping_address: dict[str, Any] | None = None
    shipping_method: str | None = None
    discount_codes: list[str] | None = None
    # An order oms places for an existing customer's contract (a subscription renewal):
    # a variant archived since, retired from new sales, still renews.
    renewal: bool = False


@dataclasses.dataclass(frozen=True)
class PlaceOrderInput:
    cart: CartInput
    idempotency_key: str
    billing_address: dict[str, Any] | None = None
    note: str | None = None
    # Orders placed by oms itself (a renewal) may wait longer than the payment timeout.
    payment_due_at: Any = None


@dataclasses.dataclass(frozen=True)
class OrderFilter:
    status: list[str] | None = None
    payment_status: list[str] | None = None
    product_type: str | None = None
    email: str | None = None
    search: str | None = None
    created_after: Any = None
    created_before: Any = None
    needs_review: bool | None = None
    # Paid orders with units not yet in a fulfillment (of ``product_type`` when given):
    # with product_type "physical", the orders awaiting shipment.
    awaiting_fulfillment: bool | None = None
    # Exact order number ("1042" or "#1042"), customer name (its start, case ignored),
    # sku of a line, tracking number of a shipment (exact).
    number: str | None = None
    customer_name: str | None = None
    sku: str | None = None
    tracking_number: str | None = None

    def __post_init__(self) -> None:
        # Checked before any query: a value longer than its column is the client's
        # mistake (the ORM would refuse it with an internal error).
        for name, value, limit in (
            ("email", self.email, MAX_FILTER_TEXT),
            ("search", self.search, MAX_FILTER_TEXT),
            ("productType", self.product_type, 64),
        ):
            if value is not None and len(value) > limit:
                raise DomainError.of(
                    ErrorCode.INVALID, f"The filter's {name} has more than {limit} characters.", ["filter", name]
                )
