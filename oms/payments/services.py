"""Payments: open a payment session for an order, record what gateways tell us, mark
orders paid. Recording a success moves the order to PROCESSING / PAID and enqueues one
delivery job per product type, all in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode
from oms.fulfillment.services import enqueue_deliveries
from oms.jobs.services import enqueue
from oms.money import Money
from oms.orders.events import record_event
from oms.orders.models import Order
from oms.orders.status import OrderStatus, PaymentStatus
from oms.payments.gateway import (
    Gateway,
    GatewayEvent,
    PaymentGatewayError,
    PaymentSession,
    SessionRequest,
)
from oms.payments.models import Payment, PaymentState, ProcessedWebhook

MANUAL = "manual"
logger = logging.getLogger("oms.payments")
CANCEL_SESSION_JOB = "payment.cancel_session"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def order_total(order: Order) -> Money:
    return Money(Decimal(order.total), order.currency)


def session_idempotency_key(order: Order) -> str:
    """Derived from the order, so a retried placement reuses the same PaymentIntent."""
    return f"oms-order-{order.id}-payment-session"


async def open_payment_session(order: Order, *, gateway: Gateway) -> PaymentSession | None:
    """The session the storefront pays through; None for an order that needs no payment.

    Safe to call again for the same order (a retried ``placeOrder``): it returns the
    session opened before. Raises DomainError(PAYMENT_FAILED) when the gateway fails; the
    order then stays PENDING_PAYMENT, can be retried, and expires if never paid.
    """
    if order.status != OrderStatus.PENDING_PAYMENT:
        return None
    amount = order_total(order)
    try:
        if gateway.name != MANUAL:  # manual payments have no session to find again
            existing = await Payment.filter(
                order_id=order.id, gateway=gateway.name, state=PaymentState.PENDING
            ).first()
            if existing is not None and existing.external_id:
                return await gateway.retrieve_session(existing.external_id)
        session = await gateway.create_session(
            SessionRequest(
                order_id=order.id,
                order_number=order.number,
                amount=amount,
                email=order.email,
                idempotency_key=session_idempotency_key(order),
            )
        )
    except PaymentGatewayError as exc:
        raise DomainError.of(
            ErrorCode.PAYMENT_FAILED,
            f"The payment could not be started ({exc}); the order is kept, retry placing it "
            "with the same idempotency key.",
        ) from None
    if session.external_id:
        try:
            await Payment.create(
                order_id=order.id,
                gateway=gateway.name,
                external_id=session.external_id,
                amount=amount.amount,
                currency=amount.currency,
            )
        except IntegrityError:
            pass  # a concurrent retry recorded the same PaymentIntent
    return session


async def _apply_success(
    order: Order, *, gateway: str, external_id: str | None, amount: Money, actor: str
) -> None:
    """Record a succeeded payment and pay the order if it is payable; caller's transaction.

    ``order`` must be freshly loaded with a row lock.
    """
    payment = None
    if external_id is not None:
        payment = await Payment.get_or_none(gateway=gateway, external_id=external_id)
    if payment is None:
        payment = await Payment.create(
            order_id=order.id, gateway=gateway, external_id=external_id,
            amount=amount.amount, currency=amount.currency, state=PaymentState.SUCCEEDED,
        )
    elif payment.state != PaymentState.SUCCEEDED:
        payment.state = PaymentState.SUCCEEDED
        payment.amount = amount.amount
        payment.currency = amount.currency
        await payment.save(update_fields=["state", "amount", "currency", "updated_at"])

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
        return
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
        return
    now = utcnow()
    await Order.filter(id=order.id).update(
        status=OrderStatus.PROCESSING, payment_status=PaymentStatus.PAID, paid_at=now, updated_at=now
    )
    order.status, order.payment_status, order.paid_at = OrderStatus.PROCESSING, PaymentStatus.PAID, now
    await record_event(
        order, "order.paid", f"Paid {amount.amount} {amount.currency} via {gateway}.", actor=actor, data=data
    )
    await enqueue_deliveries(order)


async def _flag(order: Order) -> None:
    if not order.needs_review:
        await Order.filter(id=order.id).update(needs_review=True)
        order.needs_review = True


async def mark_order_paid(order: Order, *, reference: str | None, actor: str) -> Order:
    """Staff record a payment taken outside the gateways (bank transfer, cash): the same
    effect as a gateway success, with gateway ``manual``."""
    reference = (reference or "").strip() or None
    if reference and len(reference) > 255:
        raise DomainError.of(ErrorCode.INVALID, "At most 255 characters.", ["reference"])
    async with in_transaction():
        current = await Order.select_for_update().get(id=order.id)
        if current.status != OrderStatus.PENDING_PAYMENT:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                f"Only an order awaiting payment can be marked paid; this one is {current.status.value}.",
            )
        if reference and await Payment.exists(gateway=MANUAL, external_id=reference):
            raise DomainError.of(ErrorCode.INVALID, "This payment reference is already recorded.", ["reference"])
        await _apply_success(current, gateway=MANUAL, external_id=reference, amount=order_total(current), actor=actor)
    return await Order.get(id=order.id)


async def pay_zero_total(order: Order) -> None:
    """An order with nothing to pay is paid at placement; caller's transaction."""
    await _apply_success(order, gateway="none", external_id=None, amount=order_total(order), actor="system")


async def handle_gateway_event(event: GatewayEvent, *, gateway: str) -> str:
    """Apply a verified gateway event exactly once. Returns what happened, for the log:
    "processed", "duplicate" or "ignored"."""
    try:
        async with in_transaction():
            await ProcessedWebhook.create(gateway=gateway, event_id=event.id, type=event.type)
            outcome = await _apply_event(event, gateway=gateway)
    except IntegrityError:
        if await ProcessedWebhook.exists(event_id=event.id):
            return "duplicate"
        raise
    return outcome


async def _event_order(event: GatewayEvent, gateway: str) -> Order | None:
    """The order an event is about: the one its payment session was opened for, else the
    one named in its metadata. An event whose two answers disagree is ignored (logged)."""
    order_id = event.order_id
    if event.external_id:
        payment = await Payment.get_or_none(gateway=gateway, external_id=event.external_id)
        if payment is not None:
            if order_id is not None and order_id != payment.order_id:
                logger.warning(
                    "%s event %s names order %s but its payment belongs to order %s; ignored",
                    gateway, event.id, order_id, payment.order_id,
                )
                return None
            order_id = payment.order_id
    if order_id is None:
        return None
    return await Order.select_for_update().get_or_none(id=order_id)


async def _apply_event(event: GatewayEvent, *, gateway: str) -> str:
    if event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return "ignored"
    order = await _event_order(event, gateway)
    if order is None:
        return "ignored"
    if event.type == "payment_intent.succeeded":
        amount = event.amount or Money.zero(order.currency)
        await _apply_success(order, gateway=gateway, external_id=event.external_id, amount=amount, actor=gateway)
        return "processed"
    await _apply_failure(order, gateway=gateway, external_id=event.external_id, message=event.failure_message)
    return "processed"


async def _apply_failure(order: Order, *, gateway: str, external_id: str | None, message: str | None) -> None:
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


async def cancel_payment_sessions(order: Order) -> None:
    """Enqueue the cancellation of the order's open gateway sessions; caller's transaction
    (the gateway is called by the job, after commit)."""
    sessions = await Payment.filter(
        order_id=order.id, state__in=[PaymentState.PENDING, PaymentState.FAILED]
    ).exclude(external_id=None).exclude(gateway=MANUAL)
    for payment in sessions:
        await enqueue(CANCEL_SESSION_JOB, {"gateway": payment.gateway, "external_id": payment.external_id})


async def cancel_session(gateway_name: str, external_id: str, *, gateway: Gateway) -> None:
    """Cancel an unpaid payment session at the gateway (expiry, cancellation); idempotent.

    A session that succeeded meanwhile is left alone: its webhook flags the order."""
    payment = await Payment.get_or_none(gateway=gateway_name, external_id=external_id)
    if payment is None or payment.state == PaymentState.SUCCEEDED or gateway.name != gateway_name:
        return
    try:
        await gateway.cancel_session(external_id)
    except PaymentGatewayError as exc:
        if exc.retryable:
            raise
        session = await gateway.retrieve_session(external_id)
        if session.status == "succeeded":
            return  # paid meanwhile: its webhook records the payment and flags the order
        raise
    await Payment.filter(id=payment.id, state__in=[PaymentState.PENDING, PaymentState.FAILED]).update(
        state=PaymentState.CANCELED
    )
