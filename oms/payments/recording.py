"""What gateways tell us, recorded: a succeeded or failed payment is a Payment row; what it
means for the order (paid, deliveries started, needs review) is decided by
:mod:`oms.orders.lifecycle`. Both run in the caller's transaction, on an order loaded with
a row lock."""

from __future__ import annotations

from decimal import Decimal

from oms.money import Money
from oms.orders import lifecycle
from oms.orders.models import Order
from oms.payments.models import Payment, PaymentState


def order_total(order: Order) -> Money:
    return Money(Decimal(order.total), order.currency)


async def apply_success(
    order: Order,
    *,
    gateway: str,
    external_id: str | None,
    amount: Money,
    actor: str,
    customer_ref: str | None = None,
    payment_method_ref: str | None = None,
    off_session: bool = False,
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
            order_id=order.id,
            gateway=gateway,
            external_id=external_id,
            amount=amount.amount,
            currency=amount.currency,
            state=PaymentState.SUCCEEDED,
            customer_ref=customer_ref,
            payment_method_ref=payment_method_ref,
            off_session=off_session,
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
        await payment.save(
            update_fields=["state", "amount", "currency", "customer_ref", "payment_method_ref", "updated_at"]
        )

    # What the payment means for the order is the orders side's decision.
    await lifecycle.payment_received(order, amount=amount, gateway=gateway, reference=external_id, actor=actor)
    return True


async def apply_failure(order: Order, *, gateway: str, external_id: str | None, message: str | None) -> None:
    """A failed attempt: recorded; the order stays payable until it expires. Never moves a
    paid order backwards (events can arrive out of order)."""
    if external_id:
        await Payment.filter(gateway=gateway, external_id=external_id, state=PaymentState.PENDING).update(
            state=PaymentState.FAILED, failure_message=message
        )
    await lifecycle.payment_failed(order, gateway=gateway, reference=external_id, message=message)
