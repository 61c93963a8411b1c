"""The Stripe objects the fake serves (PaymentIntents, Refunds, Customers,
PaymentMethods): what each endpoint does to them, as Stripe would. Mixed into
:class:`oms.fake_stripe.FakeStripe`, which owns the state and calls these with its lock
held."""

from __future__ import annotations

import time
from typing import Any

from oms.fake_stripe.cards import DECLINES, TEST_CARDS, card_payment_method
from oms.fake_stripe.wire import (
    CANCELABLE,
    StripeAPIError,
    copy,
    invalid,
    missing,
    new_id,
    param_bool,
    param_currency,
    param_metadata,
    param_positive_int,
    random,
    unexpected_state,
)


class StripeObjects:
    """The endpoints; the state (``payment_intents``, ``refunds``, ``customers``,
    ``payment_methods`` and the saved-method declines) is the fake's."""

    # The state, set by FakeStripe.__init__ (declared here for the endpoints' types).
    payment_intents: dict[str, dict[str, Any]]
    refunds: dict[str, dict[str, Any]]
    customers: dict[str, dict[str, Any]]
    payment_methods: dict[str, dict[str, Any]]
    _cards: dict[str, tuple[str, str]]
    _declines: dict[str, str]
    # How new refunds come out: "succeeded", "pending" or "failed" (FakeStripe.refunds_will).
    _refund_status: str
    _refund_failure: str | None

    def fail(
        self,
        intent_id: str,
        code: str = "card_declined",
        message: str = "Your card was declined.",
        *,
        decline_code: str = "generic_decline",
        payment_method: str = "pm_card_chargeDeclined",
    ) -> dict[str, Any]:
        raise NotImplementedError  # FakeStripe's; declared for the endpoints that call it

    def _create_intent(self, params: dict[str, Any]) -> dict[str, Any]:
        amount = param_positive_int(params, "amount")
        currency = param_currency(params)
        customer = params.get("customer") or None
        if customer is not None and customer not in self.customers:
            raise StripeAPIError(
                400, f"No such customer: '{customer}'", code="resource_missing", param="customer", replayable=False
            )
        future = params.get("setup_future_usage") or None
        if future not in (None, "on_session", "off_session"):
            raise invalid("setup_future_usage", f"Invalid setup_future_usage: {future}")
        confirm = param_bool(params, "confirm")
        off_session = params.get("off_session") or None
        if off_session not in (None, "true", "false", "one_off", "recurring"):
            raise invalid("off_session", f"Invalid off_session: {off_session}")
        if off_session is not None and not confirm:
            raise invalid("off_session", "You may only specify `off_session` when `confirm` is true.")
        method = params.get("payment_method") or None
        if method is not None and method not in TEST_CARDS:
            self._object(self.payment_methods, "payment_method", method, param="payment_method")
        metadata = param_metadata(params)
        automatic = params.get("automatic_payment_methods") or {}
        if not isinstance(automatic, dict):
            raise invalid("automatic_payment_methods", "Invalid object")
        redirects = automatic.get("allow_redirects") or "always"
        if redirects not in ("always", "never"):
            raise invalid(
                "automatic_payment_methods[allow_redirects]",
                f"Invalid automatic_payment_methods[allow_redirects]: {redirects}",
            )
        intent_id = new_id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "automatic_payment_methods": (
                {"allow_redirects": redirects, "enabled": True} if automatic.get("enabled") == "true" else None
            ),
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": "automatic_async",
            "client_secret": f"{intent_id}_secret_{random(25)}",
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "currency": currency,
            "customer": customer,
            "description": params.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": metadata,
            "next_action": None,
            "payment_method": method,
            "payment_method_types": ["card"],
            "receipt_email": params.get("receipt_email") or None,
            "setup_future_usage": future,
            "status": "requires_payment_method",
        }
        self.payment_intents[intent_id] = intent
        if confirm:
            confirming = ("payment_method", "off_session", "return_url")
            return self._confirm_intent({k: params[k] for k in confirming if k in params}, intent_id)
        return intent

    def _get_intent(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._intent(id)

    def _cancel_intent(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self._intent(id)
        if intent["status"] not in CANCELABLE:
            raise unexpected_state(intent, "cancel")
        intent.update(
            status="canceled",
            canceled_at=int(time.time()),
            cancellation_reason=params.get("cancellation_reason") or None,
        )
        return intent

    def _confirm_intent(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self._intent(id)
        if intent["status"] not in ("requires_payment_method", "requires_confirmation", "requires_action"):
            raise unexpected_state(intent, "confirm")
        off_session = params.get("off_session") in ("true", "one_off", "recurring")
        automatic = intent["automatic_payment_methods"]
        if automatic and automatic["allow_redirects"] != "never" and not off_session and not params.get("return_url"):
            raise invalid(
                "return_url",
                "A `return_url` must be specified because this Payment Intent "
                "is configured to automatically accept the payment methods enabled in the "
                "Dashboard, some of which may require a full page redirect to succeed.",
            )
        token = params.get("payment_method") or intent["payment_method"]
        if not token:
            raise missing("payment_method")
        method = self._payment_method(token, intent)
        intent["payment_method"] = method["id"]
        card = TEST_CARDS[self._cards[method["id"]][0]]
        behavior = self._declines.get(method["id"]) or card[2]
        if behavior == "3ds" and not off_session:
            intent.update(
                status="requires_action",
                next_action={"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}},
            )
            return intent
        if behavior is not None:
            # Off-session, nobody can pass 3-D Secure: Stripe declines instead.
            decline = "authentication_required" if behavior == "3ds" else behavior
            code, decline_code, message = DECLINES[decline]
            failed = self.fail(id, code, message, decline_code=decline_code, payment_method=method["id"])
            raise StripeAPIError(
                402, message, code=code, decline_code=decline_code, payment_intent=failed, payment_method=copy(method)
            )
        return self._pay(intent, method)

    def _pay(self, intent: dict[str, Any], method: dict[str, Any]) -> dict[str, Any]:
        if intent["customer"] and intent["setup_future_usage"]:
            method["customer"] = intent["customer"]  # saved for later charges
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=new_id("ch"),
            payment_method=method["id"],
            last_payment_error=None,
            next_action=None,
        )
        return intent

    def _payment_method(self, token: str, intent: dict[str, Any]) -> dict[str, Any]:
        """The PaymentMethod an intent is paid with: a new one for a test token, else the
        saved one, which only its customer may use (Stripe's rules)."""
        if token in TEST_CARDS:
            method = card_payment_method(token)
            self.payment_methods[method["id"]] = method
            self._cards[method["id"]] = (token, intent["id"])
            return method
        method = self._object(self.payment_methods, "payment_method", token, param="payment_method")
        if self._cards[method["id"]][1] == intent["id"]:
            return method  # made for this intent (e.g. it waited for 3-D Secure)
        if method["customer"] is None:
            raise invalid(
                "payment_method",
                "The provided PaymentMethod was previously used with a "
                "PaymentIntent without Customer attachment, or was detached from a Customer. "
                "It may not be used again. To use a PaymentMethod multiple times, you must "
                "attach it to a Customer first.",
            )
        if method["customer"] != intent["customer"]:
            raise invalid(
                "payment_method",
                f"The provided PaymentMethod belongs to a Customer "
                f"({method['customer']}) other than the one on this PaymentIntent.",
            )
        return method

    def _create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        intent_id = params.get("payment_intent")
        if not intent_id:
            raise missing("payment_intent")
        intent = self.payment_intents.get(intent_id)
        if intent is None:
            raise StripeAPIError(
                400, f"No such payment_intent: '{intent_id}'", code="resource_missing", param="payment_intent"
            )
        if intent["status"] != "succeeded":
            raise StripeAPIError(
                400,
                "This PaymentIntent does not have a successful charge to refund.",
                code="payment_intent_unexpected_state",
                payment_intent=copy(intent),
            )
        refunded = sum(
            r["amount"]
            for r in self.refunds.values()
            if r["payment_intent"] == intent_id and r["status"] not in ("failed", "canceled")
        )
        left = intent["amount_received"] - refunded
        if left <= 0:
            raise StripeAPIError(
                400, f"Charge {intent['latest_charge']} has already been refunded.", code="charge_already_refunded"
            )
        amount = param_positive_int(params, "amount") if "amount" in params else left
        if amount > left:
            raise StripeAPIError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large",
                param="amount",
            )
        reason = params.get("reason") or None
        if reason not in (None, "duplicate", "fraudulent", "requested_by_customer"):
            raise invalid("reason", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer")
        refund = {
            "id": new_id("re"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": new_id("txn"),
            "charge": intent["latest_charge"],
            "created": int(time.time()),
            "currency": intent["currency"],
            "metadata": param_metadata(params),
            "payment_intent": intent_id,
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": self._refund_status,
            "transfer_reversal": None,
            "failure_reason": self._refund_failure if self._refund_status == "failed" else None,
        }
        self.refunds[refund["id"]] = refund
        return refund

    def _get_refund(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._object(self.refunds, "refund", id)

    def _create_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        customer: dict[str, Any] = {
            "id": new_id("cus"),
            "object": "customer",
            "address": None,
            "balance": 0,
            "created": int(time.time()),
            "currency": None,
            "default_source": None,
            "delinquent": False,
            "description": params.get("description"),
            "email": params.get("email") or None,
            "invoice_prefix": random(8).upper(),
            "livemode": False,
            "metadata": param_metadata(params),
            "name": params.get("name"),
            "phone": params.get("phone"),
            "preferred_locales": [],
            "shipping": None,
            "tax_exempt": "none",
        }
        self.customers[customer["id"]] = customer
        return customer

    def _get_customer(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._object(self.customers, "customer", id)

    def _get_payment_method(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._object(self.payment_methods, "payment_method", id)

    def _detach_payment_method(self, params: dict[str, Any], id: str) -> dict[str, Any]:
        method = self._object(self.payment_methods, "payment_method", id)
        if method["customer"] is None:
            raise StripeAPIError(
                400,
                f"The payment method {id} is not attached to a customer so detachment is impossible.",
                code="payment_method_unexpected_state",
            )
        method["customer"] = None
        return method

    def _intent(self, intent_id: str) -> dict[str, Any]:
        return self._object(self.payment_intents, "payment_intent", intent_id)

    @staticmethod
    def _object(
        store: dict[str, dict[str, Any]], kind: str, object_id: str, *, param: str | None = None
    ) -> dict[str, Any]:
        """``param``: the object is a request's parameter (400, not stored under the
        idempotency key) rather than the URL's (404)."""
        try:
            return store[object_id]
        except KeyError:
            if param:
                raise StripeAPIError(
                    400, f"No such {kind}: '{object_id}'", code="resource_missing", param=param, replayable=False
                ) from None
            raise StripeAPIError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param="id") from None
