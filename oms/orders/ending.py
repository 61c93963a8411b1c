"""Ending orders: cancelling one (unpaid: whole, here; paid: by :mod:`oms.orders.cancellation`),
and what cancelling and expiring an unpaid order share (:func:`end_unpaid_order`): the
stock released and each line's plugin reversing what it holds."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from oms.discounts import apply as discounts
from oms.errors import DomainError, ErrorCode
from oms.inventory import services as inventory
from oms.orders import cancellation, lifecycle
from oms.orders.models import Order, OrderLine
from oms.orders.status import LineStatus, OrderStatus, PaymentStatus, check_transition
from oms.payments.services import cancel_payment_sessions
from oms.plugins import PluginHost


async def cancel_order(
    order: Order,
    *,
    actor: str,
    reason: str | None,
    plugins: PluginHost,
    lines: dict[int, int] | None = None,
    staff: bool = False,
) -> Order:
    """Cancel an order. Unpaid: release its reservations, let each line's plugin undo what
    it holds (e.g. a booked slot), cancel the payment session, write the timeline. Paid:
    cancel every unit not yet shipped or delivered, or (``staff``) ``lines``' units by
    order line id, and refund them (:mod:`oms.orders.cancellation`)."""
    reason = (reason or "").strip() or None
    if reason and len(reason) > 2000:
        raise DomainError.of(ErrorCode.INVALID, "At most 2000 characters.", ["reason"])
    async with in_transaction():
        current = await Order.select_for_update().get(id=order.id)
        if cancellation.is_paid(current):
            await cancellation.cancel_paid(
                current, quantities=lines, staff=staff, actor=actor, reason=reason, plugins=plugins
            )
            return await Order.get(id=order.id)
        check_transition(current.status, OrderStatus.CANCELED)
        if current.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                f"An order whose payment is {current.payment_status.value} cannot be canceled.",
            )
        if lines is not None:
            raise DomainError.of(
                ErrorCode.INVALID, "An unpaid order is canceled whole; leave out the lines.", ["lines"]
            )
        await end_unpaid_order(
            current,
            status=OrderStatus.CANCELED,
            plugins=plugins,
            event_type="order.canceled",
            message=f"Order {current.number} canceled" + (f": {reason}" if reason else "."),
            actor=actor,
            data={"reason": reason} if reason else None,
        )
    return await Order.get(id=order.id)


async def end_unpaid_order(
    order: Order,
    *,
    status: OrderStatus,
    plugins: PluginHost,
    event_type: str,
    message: str,
    actor: str,
    data: dict | None = None,
) -> None:
    """Move a locked, unpaid order to CANCELED or EXPIRED in the caller's transaction:
    reservations released, lines canceled, plugins' reversal hooks called, the gateway's
    payment session canceled through the outbox, the timeline written."""
    check_transition(order.status, status)  # before any effect; the move itself comes last
    lines = await OrderLine.filter(order_id=order.id)
    await release_reservations(lines)
    for line in lines:
        line.quantity_canceled = line.quantity - line.quantity_allocated
        line.status = LineStatus.CANCELED
    if lines:
        await OrderLine.bulk_update(lines, fields=["quantity_canceled", "status"])
    reason = "expired" if status == OrderStatus.EXPIRED else "canceled"
    await reverse_lines(order, lines, reason, plugins)
    await cancel_payment_sessions(order)
    await discounts.release(order.id)
    # Last, as before: the timeline shows the plugins' reversals, then the cancellation.
    # A row changed under us (SQLite has no row lock) is INVALID_TRANSITION, rolling back.
    await lifecycle.void_unpaid_order(order, status, event_type=event_type, message=message, actor=actor, data=data)


async def release_reservations(lines: list[OrderLine]) -> None:
    for line in lines:
        # Units in a fulfillment (a shipment) already left the reservation when shipped.
        outstanding = line.quantity - line.quantity_allocated - line.quantity_canceled
        if line.warehouse_id is not None and line.variant_id is not None and outstanding > 0:
            await inventory.release(line.variant_id, line.warehouse_id, outstanding)


async def reverse_lines(
    order: Order,
    lines: list[OrderLine],
    reason: str,
    plugins: PluginHost,
    quantities: dict[int, int] | None = None,
) -> None:
    """Call each line's plugin's ``oms_reverse``; ``quantities`` (units by line id)
    defaults to every unit of each line."""
    by_type: dict[str, list[OrderLine]] = {}
    for line in lines:
        by_type.setdefault(line.product_type, []).append(line)
    for type_name, type_lines in by_type.items():
        if plugins.get_type(type_name) is not None:
            units = {line.id: (quantities or {}).get(line.id, line.quantity) for line in type_lines}
            await plugins.call_owner(
                "oms_reverse", type_name, order=order, lines=type_lines, reason=reason, quantities=units
            )
