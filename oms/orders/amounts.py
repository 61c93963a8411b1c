"""What the customer paid for part of an order: the one place refunds (returns, paid
cancellations) read a line's and the shipping's money from.

A line's paid amount is its price times its quantity, less its share of the order's
discounts, plus the tax charged on top of it when prices exclude tax. Units of a line
are refunded pro rata of that amount with cumulative rounding: the first n units given back
are worth that amount times n / quantity, rounded half-up to the cent, so however a line is
given back (one unit at a time, canceled then returned), its units together come to
exactly what was paid for it, never a cent more or less.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from oms.orders.models import Order, OrderLine, ReturnLine
from oms.orders.status import ReturnStatus

CENT = Decimal("0.01")


def line_paid(line: OrderLine) -> Decimal:
    """What the customer paid for all of ``line``'s units."""
    paid = Decimal(line.unit_price) * line.quantity - Decimal(line.discount or 0)
    if not line.tax_included:
        paid += Decimal(line.tax)  # tax added on top of the price
    return paid


def units_paid(line: OrderLine, units: int, *, before: int = 0) -> Decimal:
    """What the customer paid for ``units`` of ``line`` when ``before`` of its units were
    given back earlier (:func:`units_given_back`): the difference of the rounded shares."""
    return _first_units_paid(line, before + units) - _first_units_paid(line, before)


def _first_units_paid(line: OrderLine, units: int) -> Decimal:
    if units <= 0:
        return Decimal("0.00")
    if units >= line.quantity:
        return line_paid(line)
    return (line_paid(line) * units / line.quantity).quantize(CENT, rounding=ROUND_HALF_UP)


async def units_given_back(lines: list[OrderLine], *, but_return: int | None = None) -> dict[int, int]:
    """The units of each line already given back for money: canceled, or in a refunded
    return (other than ``but_return``). Cancellation callers subtract the units they are
    canceling themselves, which ``quantity_canceled`` already counts."""
    counted = {line.id: line.quantity_canceled for line in lines}
    rows = ReturnLine.filter(order_line_id__in=list(counted), rma__status=ReturnStatus.REFUNDED)
    if but_return is not None:
        rows = rows.exclude(rma_id=but_return)
    for line_id, quantity in await rows.values_list("order_line_id", "quantity"):
        counted[line_id] += quantity
    return counted


def shipping_due_back(lines_that_ship: list[OrderLine], given_back: dict[int, int]) -> bool:
    """Shipping goes back with the operation after which the customer keeps no unit that
    ships and none is left to ship: each is canceled or in a refunded return
    (``given_back``, this operation's units included). Only that operation completes it, so
    shipping is never given back twice, and never while a unit is still to be shipped."""
    return bool(lines_that_ship) and all(given_back[line.id] >= line.quantity for line in lines_that_ship)


def shipping_paid(order: Order) -> Decimal:
    """What the customer paid for shipping."""
    paid = Decimal(order.shipping_total) - Decimal(order.shipping_discount or 0)
    if not order.prices_include_tax:
        paid += Decimal(order.shipping_tax)  # tax added on top of the price
    return paid
