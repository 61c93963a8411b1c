"""Cancelling a paid order, wholly or some units of some lines (issue 11).

Only units neither in a fulfillment (shipping, shipped, booked) nor delivered can be
canceled. The canceled units' stock is released, their plugin reverses what it holds
(``oms_reverse``, reason ``canceled``), and the money goes back through
:func:`oms.payments.refunds.start_refund`: the canceled units at their price, plus the
shipping total once nothing that ships is left to ship, never more than is still
refundable (a goodwill refund made before is not paid twice). All in the caller's transaction,
with the order locked (:func:`oms.orders.services.cancel_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from oms.errors import DomainError, ErrorCode, FieldError
from oms.inventory import services as inventory
from oms.money import Money
from oms.orders import lifecycle
from oms.orders.amounts import shipping_due_back, shipping_paid, units_given_back, units_paid
from oms.orders.models import Order, OrderLine
from oms.orders.returns import ships
from oms.orders.status import LineStatus, OrderStatus, PaymentStatus
from oms.payments.refunds import refundable, start_refund
from oms.plugins import PluginHost

# A paid order whose units may still be canceled.
CANCELABLE = (OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED)
PAID = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)
# A refund's reason holds at most this much (oms.payments.refunds).
_MAX_REFUND_REASON = 1000


def cancelable(line: OrderLine) -> int:
    """Units of ``line`` neither canceled nor in a fulfillment (so not shipped or delivered)."""
    return line.quantity - line.quantity_canceled - line.quantity_allocated


def is_paid(order: Order) -> bool:
    return order.payment_status in PAID


async def cancel_paid(
    order: Order,
    *,
    quantities: Mapping[int, int] | None,
    staff: bool,
    actor: str,
    reason: str | None,
    plugins: PluginHost,
) -> None:
    """Cancel units of a locked, paid ``order``: ``quantities`` (order line id -> units,
    staff only) or, when None, every unit still cancelable. A customer or guest cancels
    only the whole order, and only while nothing of it is shipped or delivered."""
    if order.status not in CANCELABLE:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION, f"An order that is {order.status.value} cannot be canceled.", ["id"]
        )
    lines = list(await OrderLine.filter(order_id=order.id).order_by("position"))
    if quantities is None:
        if not staff and any(line.quantity_allocated or line.quantity_fulfilled for line in lines):
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "Part of this order is already shipped or delivered; it can no longer be canceled. "
                "Ask for a return instead.",
                ["id"],
            )
        wanted = {line.id: cancelable(line) for line in lines if cancelable(line) > 0}
        if not wanted:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "Nothing of this order is left to cancel.", ["id"])
    else:
        if not staff:
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, "Only staff cancel some lines of an order.", ["lines"])
        wanted = _check_quantities(lines, quantities)

    by_id = {line.id: line for line in lines}
    changed = [by_id[line_id] for line_id in wanted]
    await _release(changed, wanted)
    await _reverse(order, changed, wanted, plugins)
    for line in changed:
        line.quantity_canceled += wanted[line.id]
        left = line.quantity - line.quantity_canceled
        if left == 0:
            line.status = LineStatus.CANCELED
        elif line.quantity_fulfilled >= left:
            line.status = LineStatus.DELIVERED
    await OrderLine.bulk_update(changed, fields=["quantity_canceled", "status"])

    # Units given back before this cancellation come first (quantity_canceled counts these).
    given_back = await units_given_back(lines)
    amount = sum((units_paid(by_id[i], q, before=given_back[i] - q) for i, q in wanted.items()), Decimal("0"))
    if shipping_due_back([line for line in lines if ships(line, plugins)], given_back):
        amount += shipping_paid(order)
    # Money given back already (a goodwill refund) is not given twice: at most what is left.
    money = Money(min(amount, (await refundable(order)).amount), order.currency)
    everything = all(line.quantity_canceled == line.quantity for line in lines)
    data: dict = {
        "lines": {str(i): q for i, q in wanted.items()},
        "amount": str(money.amount),
        "currency": money.currency,
    }
    if reason:
        data["reason"] = reason
    suffix = f": {reason}" if reason else "."
    if everything:
        await lifecycle.cancel_paid_order(
            order,
            actor=actor,
            data=data,
            message=f"Order {order.number} canceled; {money.amount} {money.currency} to refund{suffix}",
        )
    else:
        units = sum(wanted.values())
        await lifecycle.lines_canceled(
            order,
            lines,
            actor=actor,
            data=data,
            message=f"{units} unit(s) of order {order.number} canceled; "
            f"{money.amount} {money.currency} to refund{suffix}",
        )
    if money.amount > 0:
        await start_refund(
            order,
            money,
            reason=(f"Canceled: {reason}" if reason else "Canceled units")[:_MAX_REFUND_REASON],
            actor=actor,
        )


def _check_quantities(lines: list[OrderLine], quantities: Mapping[int, int]) -> dict[int, int]:
    if not quantities:
        raise DomainError.of(ErrorCode.REQUIRED, "Give at least one line.", ["lines"])
    by_id = {line.id: line for line in lines}
    errors: list[FieldError] = []
    for index, (line_id, quantity) in enumerate(quantities.items()):
        line = by_id.get(line_id)
        if line is None:
            errors.append(FieldError(ErrorCode.NOT_FOUND, "This order has no such line.", ["lines", index, "lineId"]))
        elif quantity < 1:
            errors.append(FieldError(ErrorCode.INVALID, "Give 1 or more units.", ["lines", index, "quantity"]))
        elif quantity > cancelable(line):
            errors.append(
                FieldError(
                    ErrorCode.INVALID,
                    f"Only {cancelable(line)} units of {line.sku} can be canceled "
                    "(the others are shipped, delivered or canceled).",
                    ["lines", index, "quantity"],
                )
            )
    if errors:
        raise DomainError(errors)
    return dict(quantities)


async def _release(lines: list[OrderLine], quantities: Mapping[int, int]) -> None:
    """Units not in a fulfillment are still reserved: give them back."""
    for line in sorted(lines, key=lambda line: (line.variant_id or 0, line.id)):
        if line.warehouse_id is not None and line.variant_id is not None:
            await inventory.release(line.variant_id, line.warehouse_id, quantities[line.id])


async def _reverse(order: Order, lines: list[OrderLine], quantities: Mapping[int, int], plugins: PluginHost) -> None:
    from oms.orders.services import reverse_lines  # services calls this module: import at call time

    await reverse_lines(order, lines, "canceled", plugins, quantities=dict(quantities))
