"""Payments: open a payment session for an order, record what gateways tell us, mark
orders paid, charge a saved payment method off-session (renewals). Recording a success
moves the order to PROCESSING / PAID and enqueues one delivery job per product type, all in
one transaction."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode
from oms.jobs.services import enqueue
from oms.money import Money
from oms.orders.models import Order
from oms.orders.status import OrderStatus
from oms.payments.gateway import (
    ChargeRequest,
    Gateway,
    GatewayEvent,
    PaymentGatewayError,
    PaymentSession,
    SessionRequest,
)
from oms.payments.models import Payment, PaymentState, ProcessedWebhook
from oms.payments.recording import apply_failure, apply_success, order_total
from oms.payments.refunds import REFUND_EVENT_TYPES, apply_refund_event

MANUAL = "manual"
logger = logging.getLogger("oms.payments")
CANCEL_SESSION_JOB = "payment.cancel_session"


def session_idempotency_key(order: Order) -> str:
    """Derived from the order, so a retried placement reuses the same PaymentIntent."""
    return f"oms-order-{order.id}-payment-session"


@dataclasses.dataclass(frozen=True)
class SavedPaymentMethod:
    """A payment method a gateway keeps for charges without the customer (renewals)."""

    gateway: str
    customer_ref: str
    payment_method_ref: str


async def open_payment_session(
    order: Order, *, gateway: Gateway, save_payment_method: bool = False
) -> PaymentSession | None:
    """The session the storefront pays through; None for an order that needs no payment.

    With ``save_payment_method`` (the order has a line whose product type is renewed, see
    ``ProductType.saves_payment_method``) the payment is made as a gateway customer, found
    or created for the order's account or guest email, and the payment method is kept for
    off-session charges (:func:`charge_saved_payment_method`). The manual gateway ignores it.

    Safe to call again for the same order (a retried ``placeOrder``): it returns the
    session opened before. Raises DomainError(PAYMENT_FAILED) when the gateway fails; the
    order then stays PENDING_PAYMENT, can be retried, and expires if never paid.
    """
    if order.status != OrderStatus.PENDING_PAYMENT:
        return None
    amount = order_total(order)
    assert order.number is not None  # set in the transaction that placed the order
    save = save_payment_method and gateway.name != MANUAL
    customer_ref = None
    try:
        if gateway.name != MANUAL:  # manual payments have no session to find again
            existing = await Payment.filter(order_id=order.id, gateway=gateway.name, state=PaymentState.PENDING).first()
            if existing is not None and existing.external_id:
                return await gateway.retrieve_session(existing.external_id)
        if save:
            customer_ref = await _gateway_customer(order, gateway)
        session = await gateway.create_session(
            SessionRequest(
                order_id=order.id,
                order_number=order.number,
                amount=amount,
                email=order.email,
                idempotency_key=session_idempotency_key(order),
                customer_ref=customer_ref,
                save_payment_method=save,
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
                customer_ref=customer_ref,
            )
        except IntegrityError:
            pass  # a concurrent retry recorded the same PaymentIntent
    return session


async def _gateway_customer(order: Order, gateway: Gateway) -> str:
    """The gateway customer the order's payment method is saved on: the one already
    recorded for the order's account, else a new one; a guest order always gets its own
    (an email address proves nothing: a stranger typing someone's email must not pay as,
    or save a card on, that person's customer).

    The creation's idempotency key is derived from the same scope, so two first orders
    of an account placed at once share one customer."""
    recorded = Payment.filter(gateway=gateway.name, customer_ref__not_isnull=True)
    email_digest = hashlib.sha256(order.email.encode()).hexdigest()[:32]
    if order.customer_id is not None:
        recorded = recorded.filter(order__customer_id=order.customer_id)
        # The email is in the key: the same key with other parameters is refused.
        key = f"oms-customer-account-{order.customer_id}-{email_digest}"
        metadata = {"oms_customer_id": str(order.customer_id)}
    else:
        recorded = recorded.filter(order_id=order.id)
        key = f"oms-customer-guest-order-{order.id}-{email_digest}"
        metadata = {"oms_guest": "true", "oms_order_id": str(order.id)}
    payment = await recorded.order_by("-id").first()
    if payment is not None and payment.customer_ref:
        return payment.customer_ref
    return await gateway.create_customer(order.email, idempotency_key=key, metadata=metadata)


async def saved_payment_method(order: Order) -> SavedPaymentMethod | None:
    """The payment method the order's succeeded payment saved for off-session use, or None
    (nothing saved: the manual gateway, or a payment made without saving)."""
    payment = await (
        Payment.filter(
            order_id=order.id,
            state=PaymentState.SUCCEEDED,
            customer_ref__not_isnull=True,
            payment_method_ref__not_isnull=True,
        )
        .exclude(gateway=MANUAL)
        .order_by("-id")
        .first()
    )
    if payment is None or not (payment.customer_ref and payment.payment_method_ref):
        return None
    return SavedPaymentMethod(payment.gateway, payment.customer_ref, payment.payment_method_ref)


async def charge_saved_payment_method(order: Order, saved: SavedPaymentMethod, *, gateway: Gateway) -> None:
    """Charge an unpaid order (a renewal) off-session with a saved payment method.

    A PaymentIntent with the saved customer and payment method, ``off_session`` and
    ``confirm``, under an idempotency key derived from the order and the attempt. On
    success the order is paid at once, as the webhook would (which then has no second
    effect), and the order's other open sessions are canceled. A method that settles later
    leaves the order PENDING_PAYMENT with a pending payment until its webhook.

    Raises DomainError(PAYMENT_FAILED) when the payment method is declined (or needs the
    customer to authenticate, or the gateway refuses it, e.g. detached): the failure is on
    the timeline (``payment.failed``, ``paymentStatus`` FAILED) and the order stays payable
    until it expires; a later attempt is a new charge. DomainError(INVALID_TRANSITION) for
    an order not awaiting payment (or whose last charge is still processing),
    DomainError(INVALID) for a method saved with another gateway. A gateway outage raises
    :class:`PaymentGatewayError` (``retryable``) and records nothing: retrying reuses the
    idempotency key, so it never charges twice.
    """
    if saved.gateway != gateway.name:
        raise DomainError.of(
            ErrorCode.INVALID,
            f"This payment method was saved with {saved.gateway}, not {gateway.name}.",
        )
    current = await Order.get(id=order.id)
    if current.status != OrderStatus.PENDING_PAYMENT:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"Only an order awaiting payment can be charged; this one is {current.status.value}.",
        )
    if await Payment.exists(order_id=current.id, off_session=True, state=PaymentState.PENDING):
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            "A charge of this order is still processing; its outcome comes by webhook.",
        )
    amount = order_total(current)
    # Each recorded attempt (declined, or pending) moves to a new key; an outage records
    # nothing, so its retry asks again with the same key and gets the same PaymentIntent.
    attempt = await Payment.filter(order_id=current.id, gateway=gateway.name, off_session=True).count() + 1
    assert current.number is not None  # set in the transaction that placed the order
    refs: dict[str, Any] = {"customer_ref": saved.customer_ref, "payment_method_ref": saved.payment_method_ref}
    try:
        session = await gateway.charge_saved_method(
            ChargeRequest(
                order_id=current.id,
                order_number=current.number,
                amount=amount,
                email=current.email,
                idempotency_key=f"oms-order-{current.id}-off-session-{attempt}",
                **refs,
            )
        )
    except PaymentGatewayError as exc:
        # An outage, or a concurrent attempt under the same key: not this attempt's outcome.
        if exc.retryable or exc.code == "idempotency_error":
            raise
        # Declined, or refused (a detached payment method, a deleted customer): the order
        # waits for the customer.
        what = "was declined" if exc.declined else "could not be charged"
        await _record_off_session_failure(current, gateway.name, exc.external_id, amount, exc.message, refs)
        raise DomainError.of(ErrorCode.PAYMENT_FAILED, f"The saved payment method {what}: {exc.message}") from None
    if session.status == "succeeded":
        async with in_transaction():
            locked = await Order.select_for_update().get(id=current.id)
            await apply_success(
                locked,
                gateway=gateway.name,
                external_id=session.external_id,
                amount=session.amount,
                actor=gateway.name,
                off_session=True,
                **refs,
            )
            # An on-session PaymentIntent opened at placement must not be paid as well.
            await cancel_payment_sessions(locked)
        return
    if session.status == "processing":
        try:
            await Payment.create(
                order_id=current.id,
                gateway=gateway.name,
                external_id=session.external_id,
                amount=amount.amount,
                currency=amount.currency,
                off_session=True,
                **refs,
            )
        except IntegrityError:
            pass  # its webhook already recorded it
        return
    # Left waiting for the customer (authentication): off-session, that is a failure.
    message = "The payment needs the customer to confirm it."
    await _record_off_session_failure(current, gateway.name, session.external_id, amount, message, refs)
    raise DomainError.of(ErrorCode.PAYMENT_FAILED, f"The saved payment method was declined: {message}")


async def _record_off_session_failure(
    order: Order, gateway: str, external_id: str | None, amount: Money, message: str, refs: dict[str, Any]
) -> None:
    async with in_transaction():
        locked = await Order.select_for_update().get(id=order.id)
        payment = None
        if external_id is not None:
            payment = await Payment.get_or_none(gateway=gateway, external_id=external_id)
        if payment is None:
            await Payment.create(
                order_id=locked.id,
                gateway=gateway,
                external_id=external_id,
                amount=amount.amount,
                currency=amount.currency,
                state=PaymentState.FAILED,
                failure_message=message,
                off_session=True,
                **refs,
            )
        await apply_failure(locked, gateway=gateway, external_id=external_id, message=message)


async def mark_order_paid(order: Order, *, reference: str | None, actor: str) -> Order:
    """Staff record a payment taken outside the gateways (bank transfer, cash): the same
    effect as a gateway success, with gateway ``manual``."""
    return await mark_order_paid_by_id(order.id, reference=reference, actor=actor)


async def mark_order_paid_by_id(order_id: int, *, reference: str | None, actor: str) -> Order:
    """:func:`mark_order_paid` by the order's id (NOT_FOUND when there is none): the order
    is read once, locked; the answer is that row as the payment left it."""
    reference = (reference or "").strip() or None
    if reference and len(reference) > 255:
        raise DomainError.of(ErrorCode.INVALID, "At most 255 characters.", ["reference"])
    async with in_transaction():
        current = await Order.select_for_update().get_or_none(id=order_id)
        if current is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["id"])
        if current.status != OrderStatus.PENDING_PAYMENT:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                f"Only an order awaiting payment can be marked paid; this one is {current.status.value}.",
            )
        if reference and await Payment.exists(gateway=MANUAL, external_id=reference):
            raise DomainError.of(ErrorCode.INVALID, "This payment reference is already recorded.", ["reference"])
        await apply_success(current, gateway=MANUAL, external_id=reference, amount=order_total(current), actor=actor)
    # A payable order of its own total: paid by lifecycle.change_status, which set the
    # columns it wrote on ``current`` too.
    return current


async def pay_zero_total(order: Order) -> None:
    """An order with nothing to pay is paid at placement; caller's transaction."""
    await apply_success(order, gateway="none", external_id=None, amount=order_total(order), actor="system")


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
                    gateway,
                    event.id,
                    order_id,
                    payment.order_id,
                )
                return None
            order_id = payment.order_id
    if order_id is None:
        return None
    return await Order.select_for_update().get_or_none(id=order_id)


async def _apply_event(event: GatewayEvent, *, gateway: str) -> str:
    if event.type in REFUND_EVENT_TYPES:
        return await apply_refund_event(event, gateway=gateway)
    if event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return "ignored"
    order = await _event_order(event, gateway)
    if order is None:
        return "ignored"
    if event.type == "payment_intent.succeeded":
        amount = event.amount or Money.zero(order.currency)
        applied = await apply_success(
            order,
            gateway=gateway,
            external_id=event.external_id,
            amount=amount,
            actor=gateway,
            customer_ref=event.customer_ref,
            payment_method_ref=event.payment_method_ref,
        )
        return "processed" if applied else "duplicate"
    if event.external_id and await Payment.exists(
        gateway=gateway, external_id=event.external_id, off_session=True, state=PaymentState.FAILED
    ):
        return "duplicate"  # confirmed once, by oms, which recorded the decline already
    await apply_failure(order, gateway=gateway, external_id=event.external_id, message=event.failure_message)
    return "processed"


async def cancel_payment_sessions(order: Order) -> None:
    """Enqueue the cancellation of the order's open gateway sessions; caller's transaction
    (the gateway is called by the job, after commit)."""
    sessions = (
        await Payment.filter(order_id=order.id, state__in=[PaymentState.PENDING, PaymentState.FAILED])
        .exclude(external_id=None)
        .exclude(gateway=MANUAL)
    )
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
