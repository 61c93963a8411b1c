"""Refunds: money given back for an order, through the gateway that took it or by hand.

:func:`start_refund` runs in the caller's transaction on an order the caller locked
(``Order.select_for_update()``), so two refunds of one order are decided one after the
other and never give back more than was paid. A refund through Stripe is a PENDING row and
a ``payment.refund`` job (the outbox): the job asks the gateway with an idempotency key
derived from the refund id, so a retried job never refunds twice; its final status comes
from the gateway's answer or later from webhooks (``refund.updated``, ``charge.refunded``,
``refund.failed``). Every move of a refund's status is a guarded UPDATE from PENDING,
so however often a job or webhook repeats, the order is told once
(:func:`oms.orders.lifecycle.refund_succeeded` / ``refund_failed``).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from tortoise.transactions import in_transaction

from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode
from oms.jobs.services import enqueue
from oms.money import Money, minor_units
from oms.orders import lifecycle
from oms.orders.events import record_event
from oms.orders.models import Order
from oms.payments.gateway import Gateway, GatewayEvent, PaymentGatewayError, RefundUpdate
from oms.payments.models import Payment, PaymentState, Refund, RefundStatus

logger = logging.getLogger("oms.payments")

REFUND_JOB = "payment.refund"
# Payments whose money oms cannot send back itself: a refund of them is made by hand and
# recorded at once.
_BY_HAND = frozenset({"manual", "none"})
REFUND_EVENT_TYPES = frozenset({"refund.updated", "refund.failed", "refund.created", "charge.refunded"})
_MAX_REFERENCE = 255
_MAX_REASON = 1000


def refund_idempotency_key(refund_id: int) -> str:
    """Derived from the refund, so a retried job gets the same gateway refund back."""
    return f"oms-refund-{refund_id}"


async def refundable(order: Order) -> Money:
    """What may still be refunded: every succeeded payment of the order (in its currency)
    minus every refund that has not FAILED (pending ones count: their money is on its way).
    Read it in the transaction that locked the order to act on it."""
    payments, taken = await _refundable_payments(order)
    return Money(_total_left(payments, taken), order.currency)


async def _refundable_payments(order: Order) -> tuple[list[Payment], dict[int | None, Decimal]]:
    """The order's succeeded payments in its currency, newest first, and what refunds not
    FAILED take of each (by payment id; None for refunds of no payment). Two queries."""
    payments = await Payment.filter(order_id=order.id, state=PaymentState.SUCCEEDED, currency=order.currency).order_by(
        "-id"
    )
    taken: dict[int | None, Decimal] = {}
    for payment_id, value in (
        await Refund.filter(order_id=order.id).exclude(status=RefundStatus.FAILED).values_list("payment_id", "amount")
    ):
        taken[payment_id] = taken.get(payment_id, Decimal(0)) + Decimal(str(value))
    return payments, taken


def _total_left(payments: list[Payment], taken: dict[int | None, Decimal]) -> Decimal:
    paid = sum((Decimal(str(p.amount)) for p in payments), Decimal(0))
    return paid - sum(taken.values(), Decimal(0))


def _left(payment: Payment, taken: dict[int | None, Decimal]) -> Decimal:
    return Decimal(str(payment.amount)) - taken.get(payment.id, Decimal(0))


async def start_refund(
    order: Order, amount: Money, *, reason: str | None, actor: str, reference: str | None = None
) -> Refund:
    """Give ``amount`` of ``order``'s money back; the caller's transaction, with ``order``
    locked by the caller (``Order.select_for_update()``).

    Raises DomainError INVALID (field ``amount``) for an amount <= 0 or in another currency,
    REFUND_EXCEEDS_PAID when it is more than :func:`refundable`. Writes the Refund and the
    timeline event ``refund.requested``. A payment made through a gateway (Stripe) is
    refunded by the ``payment.refund`` job after commit (the Refund stays PENDING until the
    gateway answers). With ``reference`` (staff recording a refund made elsewhere) or for a
    payment taken by hand (the manual gateway), the refund SUCCEEDS at once.
    """
    reference = (reference or "").strip() or None
    reason = (reason or "").strip() or None
    if reference and len(reference) > _MAX_REFERENCE:
        raise DomainError.of(ErrorCode.INVALID, f"At most {_MAX_REFERENCE} characters.", ["reference"])
    if reason and len(reason) > _MAX_REASON:
        raise DomainError.of(ErrorCode.INVALID, f"At most {_MAX_REASON} characters.", ["reason"])
    if amount.currency != order.currency:
        raise DomainError.of(
            ErrorCode.INVALID, f"The order was paid in {order.currency}, not {amount.currency}.", ["amount"]
        )
    if amount.amount <= 0:
        raise DomainError.of(ErrorCode.INVALID, "A refund must be more than zero.", ["amount"])
    payments, taken = await _refundable_payments(order)
    left = _total_left(payments, taken)
    if amount.amount > left:
        raise DomainError.of(
            ErrorCode.REFUND_EXCEEDS_PAID,
            f"At most {left} {order.currency} can be refunded (paid minus refunds already made).",
            ["amount"],
        )
    payment = _payment_to_refund(payments, taken, amount)
    by_hand = reference is not None or payment.gateway in _BY_HAND or not payment.external_id
    refund = await Refund.create(
        order_id=order.id,
        payment_id=payment.id,
        amount=amount.amount,
        currency=amount.currency,
        reason=reason,
        actor=actor,
        external_id=reference,
        status=RefundStatus.PENDING,
    )
    await record_event(
        order,
        "refund.requested",
        f"Refund of {amount.amount} {amount.currency} requested.",
        actor=actor,
        data={"refund_id": refund.id, "amount": str(amount.amount), "currency": amount.currency, "reason": reason},
    )
    if by_hand:
        await _settle(order, refund, RefundStatus.SUCCEEDED, actor=actor)
    else:
        # Enqueued once, in the transaction that writes the refund (no dedupe key needed).
        await enqueue(REFUND_JOB, {"refund_id": refund.id})
    return refund


async def refund_order(
    order_id: int, amount: Decimal, *, reason: str, actor: str, reference: str | None = None
) -> Order:
    """Staff give money back without a return (goodwill, shipping), or record a refund
    made outside the gateways (``reference``): one transaction, the order locked, so two
    refunds at once never give back more than was paid. The order as it is afterwards;
    DomainError NOT_FOUND, REQUIRED (``reason``), INVALID, REFUND_EXCEEDS_PAID."""
    if not (reason or "").strip():
        raise DomainError.of(ErrorCode.REQUIRED, "Say why the money goes back.", ["reason"])
    async with in_transaction():
        order = await Order.select_for_update().get_or_none(id=order_id)
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["id"])
        if not amount.is_finite() or -amount.as_tuple().exponent > minor_units(order.currency):  # type: ignore[operator]
            raise DomainError.of(
                ErrorCode.INVALID, f"At most {minor_units(order.currency)} decimals in {order.currency}.", ["amount"]
            )
        await start_refund(order, Money(amount, order.currency), reason=reason, actor=actor, reference=reference)
    return await Order.get(id=order_id)


def _payment_to_refund(payments: list[Payment], taken: dict[int | None, Decimal], amount: Money) -> Payment:
    """The newest succeeded payment with ``amount`` still unrefunded. A refund is made
    against one payment (a gateway refunds one charge)."""
    for payment in payments:
        if _left(payment, taken) >= amount.amount:
            return payment
    best = max((_left(p, taken) for p in payments), default=Decimal(0))
    # Only with several payments (one paid after another): each is refunded on its own.
    raise DomainError.of(
        ErrorCode.INVALID,
        f"A refund is made against one payment; at most {best} {amount.currency} in one refund.",
        ["amount"],
    )


async def _settle(
    order: Order,
    refund: Refund,
    status: RefundStatus,
    *,
    actor: str,
    external_id: str | None = None,
    message: str | None = None,
) -> bool:
    """Move a PENDING refund to its final ``status`` and tell the order; False when it was
    settled before (a repeated job or webhook). Caller's transaction, ``order`` locked."""
    changes: dict[str, object] = {"status": status, "updated_at": utcnow()}
    if external_id:
        changes["external_id"] = external_id
    if message:
        changes["failure_message"] = message
    moved = await Refund.filter(id=refund.id, status=RefundStatus.PENDING).update(**changes)
    if not moved:
        return False
    for key, value in changes.items():
        setattr(refund, key, value)
    if status == RefundStatus.SUCCEEDED:
        await lifecycle.refund_succeeded(order, refund, actor)
    else:
        await lifecycle.refund_failed(order, refund, message)
    return True


_GATEWAY_STATUS = {"succeeded": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED}


async def apply_refund_status(
    refund_id: int,
    status: str,
    *,
    actor: str,
    external_id: str | None = None,
    message: str | None = None,
    order_id: int | None = None,
) -> bool:
    """What the gateway said about a refund ("succeeded", "pending" or "failed"), applied
    once: the order is locked first (the one lock order of oms: order, then its rows), the
    refund moves only from PENDING. A pending answer only records the gateway's id.
    True when something changed. Opens its own transaction (a savepoint inside one)."""
    async with in_transaction():
        if order_id is None:
            found = await Refund.get_or_none(id=refund_id)
            if found is None:
                return False
            order_id = found.order_id
        order = await Order.select_for_update().get(id=order_id)
        refund = await Refund.get(id=refund_id)
        target = _GATEWAY_STATUS.get(status)
        if target is None:
            if external_id and refund.status == RefundStatus.PENDING and refund.external_id is None:
                await Refund.filter(id=refund.id, external_id=None).update(external_id=external_id)
                return True
            return False
        return await _settle(order, refund, target, actor=actor, external_id=external_id, message=message)


async def run_refund(refund_id: int, *, gateway: Gateway) -> None:
    """The ``payment.refund`` job: ask the gateway to refund, under the refund's
    idempotency key (a rerun after a crash gets the same gateway refund back, never a
    second one), and record its answer. An outage raises (the job retries); a refusal
    fails the refund (``refund.failed``, the order needs review)."""
    refund = await Refund.get_or_none(id=refund_id)
    if refund is None or refund.status != RefundStatus.PENDING:
        return  # settled
    if refund.external_id:
        await _check_pending(refund, gateway)
        return
    payment = await Payment.get(id=refund.payment_id) if refund.payment_id else None
    if payment is None or not payment.external_id:
        await apply_refund_status(refund.id, "failed", actor="system", message="No payment to refund.")
        return
    if payment.gateway != gateway.name:
        # Configuration changed since the payment: retrying cannot help, a person can.
        await apply_refund_status(
            refund.id,
            "failed",
            actor="system",
            message=f"The payment was made with {payment.gateway}, which is not configured now.",
        )
        return
    try:
        result = await gateway.refund(
            payment.external_id,
            Money(Decimal(refund.amount), refund.currency),
            idempotency_key=refund_idempotency_key(refund.id),
            reason=refund.reason,
            metadata={"oms_refund_id": str(refund.id), "order_id": str(refund.order_id)},
        )
    except PaymentGatewayError as exc:
        if exc.retryable:
            raise
        await apply_refund_status(
            refund.id, "failed", actor=gateway.name, message=exc.message, order_id=refund.order_id
        )
        return
    await apply_refund_status(
        refund.id, result.status, actor=gateway.name, external_id=result.external_id, order_id=refund.order_id
    )


async def _check_pending(refund: Refund, gateway: Gateway) -> None:
    """The gateway answered "pending" before: ask how the refund stands now (a webhook
    said the charge was refunded without naming its refunds)."""
    assert refund.external_id is not None
    try:
        result = await gateway.retrieve_refund(refund.external_id)
    except PaymentGatewayError as exc:
        if exc.retryable:
            raise
        logger.warning("refund %s (%s) could not be checked: %s", refund.id, refund.external_id, exc.message)
        return
    await apply_refund_status(
        refund.id, result.status, actor=gateway.name, message=result.failure_message, order_id=refund.order_id
    )


async def refund_gave_up(refund_id: int, last_error: str) -> None:
    """The job is DEAD (the gateway stayed unreachable): the refund FAILED, for a person."""
    await apply_refund_status(
        refund_id, "failed", actor="system", message=f"The gateway could not be reached: {last_error}"
    )


async def apply_refund_event(event: GatewayEvent, *, gateway: str) -> str:
    """A verified refund webhook (in :func:`oms.payments.services.handle_gateway_event`'s
    transaction): each refund it reports moves once. "processed", "duplicate" or "ignored".

    A ``charge.refunded`` that lists no refunds (Stripe includes them only when expanded)
    has the pending refunds of its payment checked by a ``payment.refund`` job."""
    if not event.refunds and event.type == "charge.refunded" and event.external_id:
        return await _check_payment_refunds(event.external_id, gateway)
    outcomes = [await _apply_update(update, gateway) for update in event.refunds]
    if "processed" in outcomes:
        return "processed"
    return "duplicate" if "duplicate" in outcomes else "ignored"


async def _check_payment_refunds(payment_ref: str, gateway: str) -> str:
    pending = await Refund.filter(
        payment__gateway=gateway,
        payment__external_id=payment_ref,
        status=RefundStatus.PENDING,
        external_id__not_isnull=True,
    ).values_list("id", flat=True)
    for refund_id in pending:
        await enqueue(REFUND_JOB, {"refund_id": refund_id})
    return "processed" if pending else "ignored"


async def _apply_update(update: RefundUpdate, gateway: str) -> str:
    refund = await _event_refund(update, gateway)
    if refund is None:
        return "ignored"
    changed = await apply_refund_status(
        refund.id,
        update.status,
        actor=gateway,
        external_id=update.external_id,
        message=update.failure_message,
        order_id=refund.order_id,
    )
    return "processed" if changed else "duplicate"


async def _event_refund(update: RefundUpdate, gateway: str) -> Refund | None:
    """Our refund of a gateway refund: by the id oms put in its metadata (the webhook can
    come before the job recorded the gateway's id), else by the gateway's id. It must be a
    refund of that gateway's payment, the one the event names."""
    refund = None
    if update.refund_id is not None:
        refund = await Refund.get_or_none(id=update.refund_id)
    if refund is None:
        refund = await Refund.filter(external_id=update.external_id).first()
    if refund is None or refund.payment_id is None:
        return None
    payment = await Payment.get(id=refund.payment_id)
    if payment.gateway != gateway or (update.payment_ref and update.payment_ref != payment.external_id):
        logger.warning("%s refund %s does not match oms refund %s; ignored", gateway, update.external_id, refund.id)
        return None
    if refund.external_id and refund.external_id != update.external_id:
        logger.warning(
            "%s refund %s is not oms refund %s (%s); ignored",
            gateway,
            update.external_id,
            refund.id,
            refund.external_id,
        )
        return None
    return refund
