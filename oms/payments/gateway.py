"""The typed boundary between oms and payment providers.

Services talk to a :class:`Gateway` and get back frozen dataclasses (:class:`PaymentSession`,
:class:`RefundResult`, :class:`GatewayEvent`) holding plain values and :class:`Money`.
Provider failures arrive as :class:`PaymentGatewayError` (with ``retryable`` telling a job
whether trying again can help) and bad webhooks as :class:`WebhookSignatureError`. No
``stripe`` object ever leaves :mod:`oms.payments.stripe_gateway`, so the SDK can change
without touching services.

Every call that creates something takes an idempotency key derived from the order (e.g.
``f"oms-order-{order_id}-session"``): a retried job then gets the same PaymentIntent,
refund or customer back instead of a second one.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol, runtime_checkable

from oms.config import Settings
from oms.money import Money


@dataclasses.dataclass(frozen=True)
class SessionRequest:
    """What a gateway needs to open a payment session for one order."""

    order_id: int
    order_number: str
    amount: Money
    email: str
    # Derived from the order by the caller, e.g. f"oms-order-{order_id}-session".
    idempotency_key: str
    # The gateway's customer id (a Stripe Customer) when known.
    customer_ref: str | None = None
    # Keep the payment method for later off-session charges (subscriptions).
    save_payment_method: bool = False

    def __post_init__(self) -> None:
        # Zero-total orders are paid at once and never open a session.
        if self.amount.amount <= 0:
            raise ValueError("a payment session needs a positive amount")
        if not self.idempotency_key:
            raise ValueError("a payment session needs an idempotency key")


@dataclasses.dataclass(frozen=True)
class ChargeRequest:
    """An off-session charge of a saved payment method: the customer is not present (a
    subscription renewal), so nothing can ask them to authenticate."""

    order_id: int
    order_number: str
    amount: Money
    email: str
    # What an earlier payment saved (see SessionRequest.save_payment_method).
    customer_ref: str
    payment_method_ref: str
    # Derived from the order and the attempt, e.g. f"oms-order-{order_id}-off-session-1".
    idempotency_key: str

    def __post_init__(self) -> None:
        if self.amount.amount <= 0:
            raise ValueError("a charge needs a positive amount")
        if not (self.idempotency_key and self.customer_ref and self.payment_method_ref):
            raise ValueError("a charge needs an idempotency key, a customer and a payment method")


@dataclasses.dataclass(frozen=True)
class PaymentSession:
    gateway: str
    external_id: str | None
    # Handed to the storefront (Stripe.js confirms the payment with it); never logged.
    client_secret: str | None
    amount: Money
    status: str  # "requires_payment" | "processing" | "succeeded" | "canceled"


@dataclasses.dataclass(frozen=True)
class RefundResult:
    external_id: str
    amount: Money
    status: str  # "succeeded" | "pending" | "failed"
    # Why a failed refund failed, as a person reads it, when the provider said.
    failure_message: str | None = None


@dataclasses.dataclass(frozen=True)
class RefundUpdate:
    """A gateway refund as a webhook reports it (``refund.updated``, ``charge.refunded``)."""

    external_id: str
    status: str  # "succeeded" | "pending" | "failed"
    # The payment session (PaymentIntent) refunded, when the event names it.
    payment_ref: str | None = None
    # metadata["oms_refund_id"]: the oms Refund, when oms created it.
    refund_id: int | None = None
    failure_message: str | None = None


@dataclasses.dataclass(frozen=True)
class GatewayEvent:
    """A verified webhook event, normalized."""

    id: str
    type: str
    created: datetime  # aware, UTC
    # The PaymentIntent id, for payment_intent.* and charge.refunded events.
    external_id: str | None
    # amount_received (or amount when nothing was received yet), for payment_intent.* events.
    amount: Money | None
    # metadata["order_id"] of the event's object, when present and an integer.
    order_id: int | None
    failure_message: str | None
    # The gateway's customer and payment method of a payment_intent.* event. The payment
    # method only when the intent has a customer too: only a payment method attached to a
    # customer can be charged again.
    customer_ref: str | None = None
    payment_method_ref: str | None = None
    # The refunds a refund.* or charge.refunded event reports.
    refunds: tuple[RefundUpdate, ...] = ()


class PaymentGatewayError(Exception):
    """The provider refused or could not be reached.

    ``retryable`` is True for outages (network, rate limit, provider 5xx): the same call
    with the same idempotency key may succeed later. ``code`` is the provider's error code
    (e.g. ``card_declined``, ``authentication_required``) when it gave one. ``declined`` is
    True when the payment method was refused (a card error); ``external_id`` is the payment
    session (PaymentIntent) the error is about, when the provider named one.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        code: str | None = None,
        declined: bool = False,
        external_id: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code
        self.declined = declined
        self.external_id = external_id


class WebhookSignatureError(Exception):
    """A webhook that must be refused (answer 400): unsigned, forged or stale."""


class WebhookPayloadError(WebhookSignatureError):
    """A correctly signed webhook whose body is not an event we can read."""


@runtime_checkable
class Gateway(Protocol):
    name: str

    async def create_session(self, request: SessionRequest) -> PaymentSession: ...

    async def retrieve_session(self, external_id: str) -> PaymentSession: ...

    async def cancel_session(self, external_id: str) -> None:
        """Cancel an unpaid session; canceling a canceled one is fine."""

    async def refund(
        self,
        external_id: str,
        amount: Money,
        *,
        idempotency_key: str,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> RefundResult:
        """Refund ``amount`` of the payment session ``external_id``; ``metadata`` goes
        with the refund (and comes back in its webhooks). Status "succeeded", "pending"
        (its webhook tells the end) or "failed"."""

    async def retrieve_refund(self, external_id: str) -> RefundResult:
        """A refund as the provider sees it now (to settle one left pending)."""

    async def create_customer(
        self, email: str, *, idempotency_key: str, metadata: Mapping[str, str] | None = None
    ) -> str:
        """A customer at the provider, that payment methods are saved on; its id."""

    async def charge_saved_method(self, request: ChargeRequest) -> PaymentSession:
        """Charge a saved payment method off-session, in one call. The session comes back
        ``succeeded``, or ``processing`` for methods that settle later (its webhook tells);
        a refused payment method raises :class:`PaymentGatewayError` with ``declined``."""

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEvent:
        """Verify and normalize a webhook; raises :class:`WebhookSignatureError`."""

    async def aclose(self) -> None:
        """Release network resources (call on shutdown, in the loop that used it)."""


class ManualGateway:
    """No provider: staff mark orders paid by hand; refunds are paid out by hand too."""

    name = "manual"

    async def create_session(self, request: SessionRequest) -> PaymentSession:
        return PaymentSession("manual", None, None, request.amount, "requires_payment")

    async def retrieve_session(self, external_id: str) -> PaymentSession:
        raise PaymentGatewayError("the manual gateway has no sessions to retrieve", retryable=False, code="unsupported")

    async def cancel_session(self, external_id: str) -> None:
        return None

    async def refund(
        self,
        external_id: str,
        amount: Money,
        *,
        idempotency_key: str,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> RefundResult:
        # Derived from the key, so a retried refund reports the same id.
        return RefundResult(f"manual-refund-{_key_uuid(idempotency_key)}", amount, "succeeded")

    async def retrieve_refund(self, external_id: str) -> RefundResult:
        raise PaymentGatewayError("the manual gateway has no refunds to retrieve", retryable=False, code="unsupported")

    async def create_customer(
        self, email: str, *, idempotency_key: str, metadata: Mapping[str, str] | None = None
    ) -> str:
        return f"manual-customer-{_key_uuid(idempotency_key)}"

    async def charge_saved_method(self, request: ChargeRequest) -> PaymentSession:
        # Nothing is ever saved with the manual gateway (services never get here).
        raise PaymentGatewayError(
            "the manual gateway cannot charge saved payment methods", retryable=False, code="unsupported"
        )

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEvent:
        raise WebhookSignatureError("the manual gateway receives no webhooks")

    async def aclose(self) -> None:
        return None


# PaymentIntent statuses, seen from an order.
# requires_capture is authorized but not captured: the money is not ours yet.


def gateway_for(settings: Settings) -> Gateway:
    """Stripe when an API key is configured, else the manual gateway."""
    if settings.stripe_api_key:
        from oms.payments.stripe_gateway import StripeGateway  # it builds on this module

        return StripeGateway.from_settings(settings)
    return ManualGateway()


def _key_uuid(idempotency_key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"oms:{idempotency_key}").hex
