"""What the customer paid for part of an order: the one place refunds (returns, paid
cancellations) read a line's and the shipping's money from.

A line's paid amount is its price times its quantity, less its share of the order's
discounts, plus the tax charged on top of it when prices exclude tax. Units of a line
are refunded pro rata of that amount, rounded half-up to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from oms.orders.models import Order, OrderLine

CENT = Decimal("0.01")


def line_paid(line: OrderLine) -> Decimal:
    """What the customer paid for all of ``line``'s units."""
    paid = Decimal(line.unit_price) * line.quantity - Decimal(line.discount or 0)
    if not line.tax_included:
        paid += Decimal(line.tax)  # tax added on top of the price
    return paid


def units_paid(line: OrderLine, units: int) -> Decimal:
    """What the customer paid for ``units`` of ``line`` (pro rata, to the cent)."""
    if units >= line.quantity:
        return line_paid(line)
    return (line_paid(line) * units / line.quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def shipping_paid(order: Order) -> Decimal:
    """What the customer paid for shipping."""
    paid = Decimal(order.shipping_total) - Decimal(order.shipping_discount or 0)
    if not order.prices_include_tax:
        paid += Decimal(order.shipping_tax)  # tax added on top of the price
    return paid
