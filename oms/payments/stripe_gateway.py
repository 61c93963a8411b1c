"""The Stripe gateway: the official ``stripe`` library (async, on oms's own httpx
client), its errors translated into :class:`oms.payments.gateway.PaymentGatewayError`,
its webhook events into :class:`oms.payments.gateway.GatewayEvent`. Nothing of the SDK
leaves this module."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import stripe

from oms.config import Settings
from oms.money import Money, minor_units
from oms.payments.gateway import (
    ChargeRequest,
    GatewayEvent,
    PaymentGatewayError,
    PaymentSession,
    RefundResult,
    RefundUpdate,
    SessionRequest,
    WebhookPayloadError,
    WebhookSignatureError,
)
from oms.payments.stripe_http import AsyncHTTPClient

# Stripe's default; an event signed longer ago than this is refused (replay protection).
WEBHOOK_TOLERANCE_SECONDS = 300

_SESSION_STATUS = {
    "requires_payment_method": "requires_payment",
    "requires_confirmation": "requires_payment",
    "requires_action": "requires_payment",
    "processing": "processing",
    "requires_capture": "processing",
    "succeeded": "succeeded",
    "canceled": "canceled",
}
_REFUND_STATUS = {
    "succeeded": "succeeded",
    "pending": "pending",
    "requires_action": "pending",
    "failed": "failed",
    "canceled": "failed",
}
# Stripe's refund failure_reason codes, as a person reads them.
_FAILURE_REASONS = {
    "lost_or_stolen_card": "the card was reported lost or stolen",
    "expired_or_canceled_card": "the card expired or was canceled",
    "charge_for_pending_refund_disputed": "the charge was disputed",
    "insufficient_funds": "the Stripe balance was insufficient",
    "declined": "the card issuer declined the refund",
    "merchant_request": "the refund was canceled",
    "unknown": "unknown reason",
}
_STRIPE_REFUND_REASONS = {"duplicate", "fraudulent", "requested_by_customer"}
# Outages: the same request with the same idempotency key may succeed later.
_RETRYABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


class StripeGateway:
    """Stripe PaymentIntents through the official library's async API (httpx)."""

    name = "stripe"

    def __init__(
        self,
        api_key: str,
        *,
        webhook_secret: str | None = None,
        api_base: str | None = None,
        max_network_retries: int = 2,
        timeout: float = 30.0,
        key_prefix: str | None = None,
    ):
        # Our own async client: one connection pool, closed by aclose(), and no sync
        # requests session (the library's default builds both).
        self._http = AsyncHTTPClient(timeout)
        self._client = stripe.StripeClient(
            api_key,
            # The library appends "/v1/..." to the base: no trailing slash.
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=self._http,
        )
        self._webhook_secret = webhook_secret
        # Stripe remembers idempotency keys per account for 24 h: two installs sharing an
        # account (staging and production, a reset database) must not share keys.
        self._key_prefix = key_prefix

    def _key(self, idempotency_key: str) -> str:
        return f"{self._key_prefix}:{idempotency_key}" if self._key_prefix else idempotency_key

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> StripeGateway:
        if not settings.stripe_api_key:
            raise ValueError("OMS_STRIPE_API_KEY is not set")
        # Stable for one install (every process shares OMS_SECRET_KEY), different across
        # installs; reveals nothing of the secret.
        options.setdefault("key_prefix", "oms-" + hashlib.sha256(settings.secret_key.encode()).hexdigest()[:12])
        return cls(
            settings.stripe_api_key,
            webhook_secret=settings.stripe_webhook_secret,
            api_base=settings.stripe_api_base,
            **options,
        )

    async def create_session(self, request: SessionRequest) -> PaymentSession:
        params: stripe.params.PaymentIntentCreateParams = {
            "amount": request.amount.to_minor_units(),
            "currency": request.amount.currency.lower(),
            "metadata": {"order_id": str(request.order_id), "order_number": request.order_number},
            "receipt_email": request.email,
            "automatic_payment_methods": {"enabled": True},
        }
        if request.customer_ref:
            params["customer"] = request.customer_ref
        if request.save_payment_method:
            params["setup_future_usage"] = "off_session"
        with _translate_errors():
            intent = await self._client.v1.payment_intents.create_async(
                params=params, options={"idempotency_key": self._key(request.idempotency_key)}
            )
        return _session(intent)

    async def retrieve_session(self, external_id: str) -> PaymentSession:
        with _translate_errors():
            intent = await self._client.v1.payment_intents.retrieve_async(external_id)
        return _session(intent)

    async def cancel_session(self, external_id: str) -> None:
        try:
            with _translate_errors():
                await self._client.v1.payment_intents.cancel_async(external_id)
        except PaymentGatewayError as exc:
            # Stripe refuses to cancel twice; that is success for us. Anything else in
            # an unexpected state (e.g. already succeeded: refund it instead) is an error.
            if exc.code != "payment_intent_unexpected_state":
                raise
            if (await self.retrieve_session(external_id)).status != "canceled":
                raise

    async def refund(
        self,
        external_id: str,
        amount: Money,
        *,
        idempotency_key: str,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> RefundResult:
        params: stripe.params.RefundCreateParams = {"payment_intent": external_id, "amount": amount.to_minor_units()}
        extra = dict(metadata or {})
        # Stripe accepts three reasons; any other text is kept as metadata (at most 500
        # characters a value, Stripe's limit).
        if reason in _STRIPE_REFUND_REASONS:
            params["reason"] = reason
        elif reason:
            extra["reason"] = reason[:500]
        if extra:
            params["metadata"] = extra
        with _translate_errors():
            refund = await self._client.v1.refunds.create_async(
                params=params, options={"idempotency_key": self._key(idempotency_key)}
            )
        return _refund_result(refund)

    async def retrieve_refund(self, external_id: str) -> RefundResult:
        with _translate_errors():
            refund = await self._client.v1.refunds.retrieve_async(external_id)
        return _refund_result(refund)

    async def create_customer(
        self, email: str, *, idempotency_key: str, metadata: Mapping[str, str] | None = None
    ) -> str:
        params: stripe.params.CustomerCreateParams = {"email": email}
        if metadata:
            params["metadata"] = dict(metadata)
        with _translate_errors():
            customer = await self._client.v1.customers.create_async(
                params=params, options={"idempotency_key": self._key(idempotency_key)}
            )
        return customer.id

    async def charge_saved_method(self, request: ChargeRequest) -> PaymentSession:
        params: stripe.params.PaymentIntentCreateParams = {
            "amount": request.amount.to_minor_units(),
            "currency": request.amount.currency.lower(),
            "customer": request.customer_ref,
            "payment_method": request.payment_method_ref,
            # Nobody is there to authenticate: Stripe declines (authentication_required)
            # instead of waiting in requires_action, and needs no return_url.
            "off_session": True,
            "confirm": True,
            "metadata": {"order_id": str(request.order_id), "order_number": request.order_number},
            "receipt_email": request.email,
        }
        with _translate_errors():
            intent = await self._client.v1.payment_intents.create_async(
                params=params, options={"idempotency_key": self._key(request.idempotency_key)}
            )
        return _session(intent)

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEvent:
        if not self._webhook_secret:
            raise WebhookSignatureError("OMS_STRIPE_WEBHOOK_SECRET is not set")
        try:
            text = payload.decode("utf-8")
            # The library's own check of the signature and timestamp; the body is then read
            # as plain JSON (construct_event builds, and we would unbuild, a StripeObject tree).
            stripe.WebhookSignature.verify_header(
                text, signature or "", self._webhook_secret, WEBHOOK_TOLERANCE_SECONDS
            )
            event = json.loads(text)
        except stripe.SignatureVerificationError as exc:
            raise WebhookSignatureError(str(exc)) from None
        except (ValueError, TypeError, AttributeError) as exc:  # not UTF-8, not JSON
            raise WebhookPayloadError(f"unreadable webhook body: {exc}") from None
        try:
            return normalize_event(event)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise WebhookPayloadError(f"unexpected event shape: {exc!r}") from None

    async def aclose(self) -> None:
        await self._http.close_async()


def normalize_event(event: Mapping[str, Any]) -> GatewayEvent:
    """A Stripe event (as a plain dict) as a :class:`GatewayEvent`; unknown types keep
    their type and carry no amount."""
    obj = (event.get("data") or {}).get("object") or {}
    is_intent = event["type"].startswith("payment_intent.") and obj.get("object") == "payment_intent"
    external_id = amount = failure_message = customer_ref = payment_method_ref = None
    if is_intent:
        external_id = obj["id"]
        minor = obj.get("amount_received") or obj["amount"]
        amount = _money(minor, obj["currency"])
        failure_message = (obj.get("last_payment_error") or {}).get("message")
        customer_ref = _ref(obj.get("customer"))
        if customer_ref is not None:
            payment_method_ref = _ref(obj.get("payment_method"))
    refunds: tuple[RefundUpdate, ...] = ()
    if event["type"].startswith("refund.") and obj.get("object") == "refund":
        refunds = (_refund_update(obj),)
    elif event["type"] == "charge.refunded" and obj.get("object") == "charge":
        # The charge lists its refunds when they are included (expanded); else the
        # PaymentIntent names the payment whose pending refunds are checked.
        listed = (obj.get("refunds") or {}).get("data") or []
        refunds = tuple(_refund_update(r) for r in listed if isinstance(r, Mapping))
        external_id = _ref(obj.get("payment_intent"))
    return GatewayEvent(
        id=event["id"],
        type=event["type"],
        created=datetime.fromtimestamp(_int(event["created"]), tz=UTC),
        external_id=external_id,
        amount=amount,
        order_id=_order_id((obj.get("metadata") or {}).get("order_id")),
        failure_message=failure_message,
        customer_ref=customer_ref,
        payment_method_ref=payment_method_ref,
        refunds=refunds,
    )


def _refund_result(refund: Any) -> RefundResult:
    status = _REFUND_STATUS.get(refund.status or "", "failed")
    reason = getattr(refund, "failure_reason", None) if status == "failed" else None
    return RefundResult(
        refund.id, _money(refund.amount, refund.currency), status, _FAILURE_REASONS.get(reason or "", reason)
    )


def _refund_update(obj: Mapping[str, Any]) -> RefundUpdate:
    if not isinstance(obj["id"], str):
        raise TypeError(f"a refund id must be a string, not {obj['id']!r}")
    metadata = obj.get("metadata") or {}
    return RefundUpdate(
        external_id=obj["id"],
        status=_REFUND_STATUS.get(obj.get("status") or "", "pending"),
        payment_ref=_ref(obj.get("payment_intent")),
        refund_id=_order_id(metadata.get("oms_refund_id")),
        failure_message=_FAILURE_REASONS.get(obj.get("failure_reason") or "", obj.get("failure_reason")),
    )


@contextlib.contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except stripe.StripeError as exc:
        message = exc.user_message or type(exc).__name__
        # The stripe exception stays as __cause__ for tracebacks; callers see only ours.
        raise PaymentGatewayError(
            message,
            retryable=isinstance(exc, _RETRYABLE),
            code=_error_code(exc),
            declined=isinstance(exc, stripe.CardError),
            external_id=_error_intent(exc),
        ) from exc


def _error_code(exc: stripe.StripeError) -> str | None:
    # The library sets .code only on card and invalid-request errors; read the body too.
    if isinstance(exc, stripe.IdempotencyError):
        return "idempotency_error"
    error = exc.json_body.get("error") if isinstance(exc.json_body, dict) else None
    return exc.code or (error.get("code") if isinstance(error, dict) else None)


def _error_intent(exc: stripe.StripeError) -> str | None:
    # A declined confirmation names the PaymentIntent it left in requires_payment_method.
    error = exc.json_body.get("error") if isinstance(exc.json_body, dict) else None
    return _ref(error.get("payment_intent")) if isinstance(error, dict) else None


def _ref(value: object) -> str | None:
    """An object's id, whether Stripe sent the id or (expanded) the object."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _session(intent: Any) -> PaymentSession:
    status = _SESSION_STATUS.get(intent.status, "requires_payment")
    return PaymentSession("stripe", intent.id, intent.client_secret, _money(intent.amount, intent.currency), status)


def _money(minor: object, currency: object) -> Money:
    if not isinstance(currency, str):
        raise TypeError(f"currency must be a string, not {currency!r}")
    code = currency.upper()
    return Money(Decimal(_int(minor)).scaleb(-minor_units(code)), code)


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, not {value!r}")
    return value


def _order_id(value: object) -> int | None:
    # int() would also accept " 42" and "4_2"; metadata is ours, so be strict.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value):
        return int(value)
    return None
