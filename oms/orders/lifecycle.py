"""The one owner of an order's ``status`` and ``payment_status``.

Every change of either goes through :func:`change_status` (or the payment outcomes built
on it): the transition table (:mod:`oms.orders.status`) is consulted, the row is updated
only if it still holds what the caller saw, and the timeline event is written, all in the
caller's transaction. Nothing else in oms or its plugins assigns those fields
(``tests/test_state_owner.py`` enforces it), so returns and refunds add their moves here.

Payments record money (:mod:`oms.payments.recording`); what a payment means for the order
(paid, needs review, deliveries to start) is decided here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tortoise.connection import get_connection

from oms import sql
from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode
from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.jobs.services import DEFAULT_MAX_ATTEMPTS, enqueue_many
from oms.money import Money
from oms.orders.events import record_event
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.orders.status import (
    OrderStatus,
    PaymentStatus,
    can_transition,
    check_payment_transition,
    check_transition,
)
from oms.payments.models import Payment, PaymentState, Refund

# The job that hands an order's lines of one product type to their plugin (run by
# oms.fulfillment.services.deliver); enqueued here, when the order is paid.
DELIVER_JOB = "order.deliver"

# Timestamps a move may set along with the status.
_STAMPS = frozenset({"paid_at", "canceled_at", "completed_at"})


async def change_status(
    order: Order,
    target: OrderStatus,
    *,
    event_type: str,
    message: str,
    actor: str,
    data: dict[str, Any] | None = None,
    payment_status: PaymentStatus | None = None,
    stamps: dict[str, dt.datetime] | None = None,
) -> OrderEvent:
    """Move a locked ``order`` to ``target`` (and its payment to ``payment_status``) and
    write the timeline event; caller's transaction. INVALID_TRANSITION, with nothing
    written, when the table forbids the move or the row changed since it was read."""
    check_transition(order.status, target)
    if payment_status is not None and payment_status != order.payment_status:
        check_payment_transition(order.payment_status, payment_status)
    stamps = stamps or {}
    if not set(stamps) <= _STAMPS:
        raise ValueError(f"Unknown order timestamps: {sorted(set(stamps) - _STAMPS)}")
    now = utcnow()
    changes: dict[str, Any] = {"status": target, "updated_at": now, **stamps}
    if payment_status is not None:
        changes["payment_status"] = payment_status
    # Guarded by what the caller saw: SQLite has no row lock, and a stale object must not
    # overwrite a move made meanwhile.
    updated = await Order.filter(id=order.id, status=order.status, payment_status=order.payment_status).update(
        **changes
    )
    if not updated:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The order changed; try again.")
    for key, value in changes.items():
        setattr(order, key, value)
    return await record_event(order, event_type, message, actor=actor, data=data)


async def payment_received(order: Order, *, amount: Money, gateway: str, reference: str | None, actor: str) -> None:
    """A payment of ``amount`` succeeded (already recorded by the payments side): pay the
    order and start its deliveries when it is payable and the amount is its total;
    otherwise flag it for review with the reason on the timeline. Caller's transaction,
    ``order`` freshly loaded with a row lock."""
    expected = Money(Decimal(order.total), order.currency)
    data = {"gateway": gateway, "reference": reference, "amount": str(amount.amount), "currency": amount.currency}
    if amount != expected:
        await flag_for_review(order)
        await record_event(
            order,
            "payment.mismatch",
            f"Received {amount.amount} {amount.currency} but the order totals "
            f"{expected.amount} {expected.currency}; not marked paid. Needs review.",
            actor=actor,
            data={**data, "expected": str(expected.amount)},
        )
        return
    if order.status != OrderStatus.PENDING_PAYMENT:
        await flag_for_review(order)
        situation = (
            "after the order " + order.status.value.lower().replace("_", " ")
            if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELED)
            else "for an order already paid"
        )
        await record_event(
            order,
            "payment.needs_review",
            f"A payment of {amount.amount} {amount.currency} arrived {situation}: refund it or revive the order.",
            actor=actor,
            data=data,
        )
        return
    await change_status(
        order,
        OrderStatus.PROCESSING,
        payment_status=PaymentStatus.PAID,
        stamps={"paid_at": utcnow()},
        event_type="order.paid",
        message=f"Paid {amount.amount} {amount.currency} via {gateway}.",
        actor=actor,
        data=data,
    )
    await enqueue_deliveries(order)


async def payment_failed(order: Order, *, gateway: str, reference: str | None, message: str | None) -> None:
    """A payment attempt failed: a pending payment becomes FAILED (the order stays payable
    until it expires); a paid order never moves backwards (gateway events can arrive out
    of order). The attempt goes on the timeline either way. Caller's transaction."""
    if order.payment_status == PaymentStatus.PENDING:
        check_payment_transition(order.payment_status, PaymentStatus.FAILED)
        await Order.filter(id=order.id, payment_status=PaymentStatus.PENDING).update(
            payment_status=PaymentStatus.FAILED, updated_at=utcnow()
        )
    await record_event(
        order,
        "payment.failed",
        f"A payment attempt failed: {message or 'no reason given'}.",
        actor=gateway,
        data={"reference": reference, "reason": message},
    )


async def void_unpaid_order(
    order: Order, target: OrderStatus, *, event_type: str, message: str, actor: str, data: dict | None = None
) -> OrderEvent:
    """Move a locked, unpaid order to CANCELED or EXPIRED with its payment VOIDED."""
    return await change_status(
        order,
        target,
        payment_status=PaymentStatus.VOIDED,
        stamps={"canceled_at": utcnow()},
        event_type=event_type,
        message=message,
        actor=actor,
        data=data,
    )


async def flag_for_review(order: Order) -> None:
    """Mark the order as needing a person (a payment after expiry, an amount mismatch)."""
    if not order.needs_review:
        await Order.filter(id=order.id).update(needs_review=True)
        order.needs_review = True


# enqueue_deliveries on PostgreSQL, one statement: the order's product types, a Delivery
# row and an order.deliver job for each (in the order the ORM path writes them: by type,
# code point order as Python sorts).
_ENQUEUE_DELIVERIES = """
WITH types AS (SELECT DISTINCT product_type FROM order_line WHERE order_id = :order_id),
new_deliveries AS (
    INSERT INTO delivery (order_id, product_type, status, created_at)
    SELECT :order_id, product_type, :pending, :now FROM types ORDER BY product_type COLLATE "C"
),
new_jobs AS (
    INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
    SELECT :kind, jsonb_build_object('order_id', CAST(:order_id AS integer), 'product_type', product_type),
           'QUEUED', 0, :max_attempts, :now, :now, :now
    FROM types ORDER BY product_type COLLATE "C"
)
SELECT product_type FROM types
"""


async def enqueue_deliveries(order: Order) -> list[str]:
    """Write a Delivery row and a delivery job per product type of the order; call in the
    transaction that pays it. Returns the product types."""
    if get_connection("default").capabilities.dialect == "postgres":
        now = utcnow()
        rows = await sql.fetch(
            _ENQUEUE_DELIVERIES,
            order_id=order.id,
            pending=DeliveryStatus.PENDING.value,
            now=now,
            kind=DELIVER_JOB,
            max_attempts=DEFAULT_MAX_ATTEMPTS,
        )
        return sorted(row["product_type"] for row in rows)
    found = await OrderLine.filter(order_id=order.id).values_list("product_type", flat=True)
    types = sorted({str(t) for t in found})
    await Delivery.bulk_create([Delivery(order_id=order.id, product_type=t) for t in types])
    await enqueue_many(DELIVER_JOB, [{"order_id": order.id, "product_type": t} for t in types])
    return types


# -- refunds (oms.payments.refunds decides; the order's side of it is here) -------------

# A refund moves the payment status only of an order that was paid; an order paid after
# it expired or was canceled (VOIDED, flagged for review) keeps its status and shows the
# money given back in refunded_total.
_REFUNDABLE_PAYMENT = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})


async def refund_succeeded(order: Order, refund: Refund, actor: str) -> OrderEvent:
    """``refund`` (already SUCCEEDED) gave money back: it is added to ``refunded_total``,
    and a paid order's payment becomes PARTIALLY_REFUNDED, or REFUNDED once everything
    paid is back. Writes ``refund.succeeded``. Caller's transaction, ``order`` freshly
    loaded with a row lock (its ``refunded_total`` is added to)."""
    # The order is locked by the caller and each refund succeeds once (its guarded
    # UPDATE), so adding is exact.
    refunded = Decimal(str(order.refunded_total)) + Decimal(str(refund.amount))
    paid = _sum(
        await Payment.filter(order_id=order.id, state=PaymentState.SUCCEEDED, currency=order.currency).values_list(
            "amount", flat=True
        )
    )
    changes: dict[str, Any] = {"refunded_total": refunded, "updated_at": utcnow()}
    if order.payment_status in _REFUNDABLE_PAYMENT:
        target = PaymentStatus.REFUNDED if refunded >= paid else PaymentStatus.PARTIALLY_REFUNDED
        check_payment_transition(order.payment_status, target)
        changes["payment_status"] = target
    updated = await Order.filter(id=order.id, payment_status=order.payment_status).update(**changes)
    if not updated:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The order changed; try again.")
    for key, value in changes.items():
        setattr(order, key, value)
    amount = Money(Decimal(refund.amount), refund.currency)
    return await record_event(
        order,
        "refund.succeeded",
        f"Refund of {amount.amount} {amount.currency} issued.",
        actor=actor,
        data=_refund_data(refund),
    )


async def refund_failed(order: Order, refund: Refund, message: str | None) -> OrderEvent:
    """``refund`` (already FAILED) did not go through: the order needs a person
    (``needs_review``) and the staff-only ``refund.failed`` says why. Nothing else of the
    order changes. Caller's transaction, ``order`` locked."""
    await flag_for_review(order)
    amount = Money(Decimal(refund.amount), refund.currency)
    return await record_event(
        order,
        "refund.failed",
        f"The refund of {amount.amount} {amount.currency} failed: {message or 'no reason given'}. Needs review.",
        actor="system",
        data={**_refund_data(refund), "reason": message},
        staff_only=True,
    )


def _refund_data(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.id,
        "amount": str(Money(Decimal(refund.amount), refund.currency).amount),
        "currency": refund.currency,
    }


def _sum(values: Any) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


# --- Cancellation of paid orders (issue 11) -------------------------------------------------


async def cancel_paid_order(
    order: Order, *, actor: str, message: str, data: dict[str, Any] | None = None
) -> OrderEvent:
    """Every unit of a locked, paid order is canceled: the order becomes CANCELED; its
    payment status stays until the refund settles (``refund_succeeded``)."""
    return await change_status(
        order,
        OrderStatus.CANCELED,
        stamps={"canceled_at": utcnow()},
        event_type="order.canceled",
        message=message,
        actor=actor,
        data=data,
    )


async def lines_canceled(
    order: Order, lines: list[OrderLine], *, actor: str, message: str, data: dict[str, Any]
) -> OrderEvent:
    """Some units of a locked, paid order were canceled (``lines``: all of its lines as
    they are now): the timeline says so, and when every unit left is delivered the order
    completes (or, with some delivered, is partially fulfilled). Caller's transaction."""
    event = await record_event(order, "order.lines_canceled", message, actor=actor, data=data)
    await settle_progress(order, lines, actor=actor)
    return event


def units_done(line: OrderLine) -> int:
    """Units of ``line`` with nothing left to do: delivered, or returned before delivery
    (a booking given back ahead of its session)."""
    return max(line.quantity_fulfilled, line.quantity_returned)


async def settle_progress(order: Order, lines: list[OrderLine], *, actor: str) -> OrderStatus:
    """After units of a locked, paid order were canceled or returned (``lines``: all of
    its lines as they are now): COMPLETED when every unit not canceled is done
    (:func:`units_done`), PARTIALLY_FULFILLED when some are. Caller's transaction."""
    wanted = [(line.quantity - line.quantity_canceled, units_done(line)) for line in lines]
    if all(done >= want for want, done in wanted):
        target = OrderStatus.COMPLETED
    elif any(done > 0 for _, done in wanted):
        target = OrderStatus.PARTIALLY_FULFILLED
    else:
        return order.status
    if target == order.status or not can_transition(order.status, target):
        return order.status
    completed = target == OrderStatus.COMPLETED
    await change_status(
        order,
        target,
        stamps={"completed_at": utcnow()} if completed else None,
        event_type=f"order.{target.value.lower()}",
        message=f"Order {order.number} completed: every line is delivered."
        if completed
        else f"Order {order.number} partially fulfilled.",
        actor=actor,
        data={"status": target.value},
    )
    return target
