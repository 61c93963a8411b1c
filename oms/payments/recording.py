"""What gateways tell us, applied to an order: a succeeded payment pays it (PROCESSING /
PAID, deliveries enqueued), a failed attempt is recorded. Both run in the caller's
transaction, on an order loaded with a row lock."""

from __future__ import annotations

from decimal import Decimal

from oms.clock import utcnow
from oms.fulfillment.services import enqueue_deliveries
from oms.money import Money
from oms.orders.events import record_event
from oms.orders.models import Order
from oms.orders.status import OrderStatus, PaymentStatus
from oms.payments.models import Payment, PaymentState


def order_total(order: Order) -> Money:
    return Money(Decimal(order.total), order.currency)


async def apply_success(
    order: Order, *, gateway: str, external_id: str | None, amount: Money, actor: str,
    customer_ref: str | None = None, payment_method_ref: str | None = None, off_session: bool = False,
) -> bool:
    """Record a succeeded payment and pay the order if it is payable; caller's transaction.
    False when this payment's success was recorded before (no second effect).

    ``order`` must be freshly loaded with a row lock. ``customer_ref`` and
    ``payment_method_ref`` are what the gateway saved for off-session charges.
    """
    payment = None
    if external_id is not None:
        payment = await Payment.get_or_none(gateway=gateway, external_id=external_id)
    if payment is None:
        payment = await Payment.create(
            order_id=order.id, gateway=gateway, external_id=external_id,
            amount=amount.amount, currency=amount.currency, state=PaymentState.SUCCEEDED,
            customer_ref=customer_ref, payment_method_ref=payment_method_ref, off_session=off_session,
        )
    elif payment.state == PaymentState.SUCCEEDED:
        # An off-session charge is recorded when the gateway answers; its webhook follows.
        return False
    else:
        payment.state = PaymentState.SUCCEEDED
        payment.amount = amount.amount
        payment.currency = amount.currency
        payment.customer_ref = customer_ref or payment.customer_ref
        payment.payment_method_ref = payment_method_ref or payment.payment_method_ref
        await payment.save(update_fields=[
            "state", "amount", "currency", "customer_ref", "payment_method_ref", "updated_at"
        ])

    expected = order_total(order)
    data = {"gateway": gateway, "reference": external_id, "amount": str(amount.amount), "currency": amount.currency}
    if amount != expected:
        await _flag(order)
        await record_event(
            order, "payment.mismatch",
            f"Received {amount.amount} {amount.currency} but the order totals "
            f"{expected.amount} {expected.currency}; not marked paid. Needs review.",
            actor=actor, data={**data, "expected": str(expected.amount)},
        )
        return True
    if order.status != OrderStatus.PENDING_PAYMENT:
        await _flag(order)
        situation = (
            "after the order " + order.status.value.lower().replace("_", " ")
            if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELED)
            else "for an order already paid"
        )
        await record_event(
            order, "payment.needs_review",
            f"A payment of {amount.amount} {amount.currency} arrived {situation}: refund it or "
            "revive the order.",
            actor=actor, data=data,
        )
        return True
    now = utcnow()
    await Order.filter(id=order.id).update(
        status=OrderStatus.PROCESSING, payment_status=PaymentStatus.PAID, paid_at=now, updated_at=now
    )
    order.status, order.payment_status, order.paid_at = OrderStatus.PROCESSING, PaymentStatus.PAID, now
    await record_event(
        order, "order.paid", f"Paid {amount.amount} {amount.currency} via {gateway}.", actor=actor, data=data
    )
    await enqueue_deliveries(order)
    return True


async def _flag(order: Order) -> None:
    if not order.needs_review:
        await Order.filter(id=order.id).update(needs_review=True)
        order.needs_review = True


async def apply_failure(order: Order, *, gateway: str, external_id: str | None, message: str | None) -> None:
    """A failed attempt: recorded; the order stays payable until it expires. Never moves a
    paid order backwards (events can arrive out of order)."""
    if external_id:
        await Payment.filter(gateway=gateway, external_id=external_id, state=PaymentState.PENDING).update(
            state=PaymentState.FAILED, failure_message=message
        )
    if order.payment_status == PaymentStatus.PENDING:
        await Order.filter(id=order.id, payment_status=PaymentStatus.PENDING).update(
            payment_status=PaymentStatus.FAILED, updated_at=utcnow()
        )
    await record_event(
        order, "payment.failed", f"A payment attempt failed: {message or 'no reason given'}.",
        actor=gateway, data={"reference": external_id, "reason": message},
    )
