"""A local fake of Stripe's HTTP API, for tests (oms's own and plugin authors').

Real Stripe is not reachable from tests and stripe-mock is not available, so this module
answers the few endpoints oms uses, closely enough that the official ``stripe`` library
parses the answers, on a loopback port::

    with FakeStripe() as fake:                   # uvicorn in a background thread
        gateway = StripeGateway("sk_test_x", api_base=fake.url, webhook_secret=SECRET)
        session = await gateway.create_session(request)
        fake.succeed(session.external_id)        # the customer paid
        body, header = fake.signed_event("payment_intent.succeeded", session.external_id, SECRET)

Endpoints: ``POST /v1/payment_intents``, ``GET /v1/payment_intents/{id}``,
``POST /v1/payment_intents/{id}/cancel`` and ``/confirm``, ``POST /v1/refunds``,
``GET /v1/refunds/{id}``, ``POST /v1/customers``, ``GET /v1/customers/{id}``,
``GET /v1/payment_methods/{id}``, ``POST /v1/payment_methods/{id}/detach``.

Like Stripe it: reads form-encoded bodies (``metadata[order_id]=42``) into nested dicts;
refuses unknown parameters; answers errors as ``{"error": {"type", "code", "message"}}``
with Stripe's HTTP status; replays a POST with a known ``Idempotency-Key`` and the same
parameters, and refuses it (400 ``idempotency_error``) with different ones; refuses refunds
above what is left of the amount received (refunds can be made to stay pending or fail,
:meth:`FakeStripe.refunds_will`, :meth:`FakeStripe.settle_refund`; their events
``refund.updated``, ``refund.failed`` and ``charge.refunded`` come from
:meth:`FakeStripe.signed_event` like the others). Test cards (:mod:`oms.fake_stripe.cards`):
``pm_card_visa`` pays, ``pm_card_chargeDeclined`` is declined,
``pm_card_authenticationRequired`` needs 3-D Secure (declined off-session).

Saved payment methods: an intent paid with a test card gets a new ``pm_...`` PaymentMethod,
attached to its ``customer`` when it has ``setup_future_usage``; charging it again needs
that customer (``customer``, ``payment_method``, ``off_session=true``, ``confirm=true``).
:meth:`FakeStripe.decline_charges` makes later charges of a saved method fail.

For assertions every request is kept in :attr:`FakeStripe.requests`. For outages,
:meth:`FakeStripe.fail_next` injects error answers and :meth:`FakeStripe.down` refuses
connections (or answers 503). An injected failure is an outage in front of the API: it
is not stored under the idempotency key, so a retry with the same key goes through.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from oms.fake_stripe.api import StripeObjects
from oms.fake_stripe.cards import DECLINES
from oms.fake_stripe.wire import (
    API_VERSION,
    COMMON_PARAMS,
    RecordedRequest,
    StripeAPIError,
    copy,
    decode_params,
    invalid,
    new_id,
    sign_event,
)

__all__ = ["FakeStripe", "RecordedRequest", "StripeAPIError", "decode_params", "sign_event"]


class FakeStripe(StripeObjects):
    """The fake's state, its controls, and the uvicorn server that serves it."""

    def __init__(self, *, api_key: str | None = None, host: str = "127.0.0.1"):
        # When set, any other bearer key is refused with 401 as Stripe does.
        self.api_key = api_key
        self.host = host
        self._port = 0
        self._lock = threading.RLock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., dict], set[str]]] = [
            (
                "POST",
                re.compile(r"/v1/payment_intents"),
                self._create_intent,
                {
                    "amount",
                    "currency",
                    "metadata",
                    "customer",
                    "setup_future_usage",
                    "receipt_email",
                    "automatic_payment_methods",
                    "confirm",
                    "off_session",
                    "payment_method",
                    "payment_method_types",
                    "description",
                    "capture_method",
                    "return_url",
                },
            ),
            ("GET", re.compile(r"/v1/payment_intents/(?P<id>[^/]+)"), self._get_intent, set()),
            (
                "POST",
                re.compile(r"/v1/payment_intents/(?P<id>[^/]+)/cancel"),
                self._cancel_intent,
                {"cancellation_reason"},
            ),
            (
                "POST",
                re.compile(r"/v1/payment_intents/(?P<id>[^/]+)/confirm"),
                self._confirm_intent,
                {"payment_method", "off_session", "return_url"},
            ),
            (
                "POST",
                re.compile(r"/v1/refunds"),
                self._create_refund,
                {"payment_intent", "amount", "reason", "metadata"},
            ),
            ("GET", re.compile(r"/v1/refunds/(?P<id>[^/]+)"), self._get_refund, set()),
            (
                "POST",
                re.compile(r"/v1/customers"),
                self._create_customer,
                {"email", "name", "description", "metadata", "phone"},
            ),
            ("GET", re.compile(r"/v1/customers/(?P<id>[^/]+)"), self._get_customer, set()),
            ("GET", re.compile(r"/v1/payment_methods/(?P<id>[^/]+)"), self._get_payment_method, set()),
            ("POST", re.compile(r"/v1/payment_methods/(?P<id>[^/]+)/detach"), self._detach_payment_method, set()),
        ]
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "POST", "DELETE"])])
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        if not self._port:
            raise RuntimeError("FakeStripe is not started")
        return f"http://{self.host}:{self._port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> FakeStripe:
        """Serve on a free loopback port (the same one again after :meth:`down`)."""
        if self.running:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        self._port = sock.getsockname()[1]
        # No log config and no lifespan: a test's logging and loop are left alone.
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level=None,
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"fake-stripe-{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                self.stop()
                raise RuntimeError("FakeStripe's uvicorn did not start")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving; open keep-alive connections are closed. State is kept."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError("FakeStripe's uvicorn did not stop")
        self._server = self._thread = None

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def down(self, *, refuse: bool = True) -> None:
        """An outage: refuse connections (stop listening), or with ``refuse=False``
        answer every request with 503. :meth:`up` ends it."""
        if refuse:
            self.stop()
        else:
            self._unavailable = True

    def up(self) -> None:
        self._unavailable = False
        self.start()

    def reset(self) -> None:
        """Forget every object, request, idempotency key and injected failure."""
        with self._lock:
            self.payment_intents: dict[str, dict[str, Any]] = {}
            self.refunds: dict[str, dict[str, Any]] = {}
            self.customers: dict[str, dict[str, Any]] = {}
            self.payment_methods: dict[str, dict[str, Any]] = {}
            # payment method id -> (its test token, the intent it was made for)
            self._cards: dict[str, tuple[str, str]] = {}
            self._declines: dict[str, str] = {}  # payment method id -> a DECLINES key
            self.requests: list[RecordedRequest] = []
            self._idempotent: dict[tuple[str | None, str], tuple[tuple, int, dict]] = {}
            self._failures: list[dict[str, Any]] = []
            self._unavailable = False
            self._refund_status = "succeeded"
            self._refund_failure: str | None = None

    # -- controls for tests ------------------------------------------------------------

    def fail_next(
        self,
        status: int = 500,
        *,
        times: int = 1,
        code: str | None = None,
        message: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests (to paths starting with ``path``, when
        given) with a Stripe error of ``status``; 402 is a card decline."""
        if status == 402:
            code = code or "card_declined"
        with self._lock:
            for _ in range(times):
                self._failures.append({"status": status, "code": code, "message": message, "path": path})

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    def succeed(self, intent_id: str, payment_method: str | None = None) -> dict[str, Any]:
        """The customer paid (on-session with Stripe.js, passing any 3-D Secure): the
        PaymentIntent succeeds with its full amount received.

        ``payment_method`` is a test token (a new ``pm_...`` PaymentMethod is made from it)
        or a PaymentMethod id; by default the intent's own, else ``pm_card_visa``. It is
        attached to the intent's customer when the intent has ``setup_future_usage``."""
        with self._lock:
            intent = self._intent(intent_id)
            token = payment_method or intent["payment_method"] or "pm_card_visa"
            return copy(self._pay(intent, self._payment_method(token, intent)))

    def fail(
        self,
        intent_id: str,
        code: str = "card_declined",
        message: str = "Your card was declined.",
        *,
        decline_code: str = "generic_decline",
        payment_method: str = "pm_card_chargeDeclined",
    ) -> dict[str, Any]:
        """A payment attempt failed: back to requires_payment_method, with the error."""
        with self._lock:
            intent = self._intent(intent_id)
            method = copy(self.payment_methods.get(payment_method) or {"id": payment_method})
            # As Stripe does, the refused method moves to last_payment_error.
            intent.update(
                status="requires_payment_method",
                next_action=None,
                payment_method=None,
                last_payment_error={
                    "type": "card_error",
                    "code": code,
                    "decline_code": decline_code,
                    "message": message,
                    "payment_method": method,
                },
            )
            return copy(intent)

    def decline_charges(self, payment_method: str, code: str = "card_declined") -> None:
        """Charges of the saved ``payment_method`` (a ``pm_...`` id) are declined from now
        on: the card was canceled, ran out of funds, expired, or its bank wants the
        customer present. ``code`` is a key of :data:`oms.fake_stripe.cards.DECLINES`."""
        if code not in DECLINES:
            raise ValueError(f"unknown decline {code!r}; one of {sorted(DECLINES)}")
        with self._lock:
            self._object(self.payment_methods, "payment_method", payment_method)
            self._declines[payment_method] = code

    def refunds_will(self, status: str = "succeeded", *, failure_reason: str = "declined") -> None:
        """How refunds created from now on come out: ``"succeeded"`` (the default),
        ``"pending"`` (settled later with :meth:`settle_refund`, as bank refunds are) or
        ``"failed"`` (with ``failure_reason``, e.g. ``expired_or_canceled_card``). For a
        refund refused outright use ``fail_next(400, code=..., path="/v1/refunds")``."""
        if status not in ("succeeded", "pending", "failed"):
            raise ValueError(f"a refund is succeeded, pending or failed, not {status!r}")
        with self._lock:
            self._refund_status, self._refund_failure = status, failure_reason

    def settle_refund(
        self, refund_id: str, status: str = "succeeded", *, failure_reason: str = "declined"
    ) -> dict[str, Any]:
        """A pending refund ends: ``"succeeded"``, or ``"failed"`` (its money is no longer
        counted as refunded). Send ``refund.updated`` (or ``refund.failed``) after it."""
        if status not in ("succeeded", "failed", "canceled"):
            raise ValueError(f"a refund ends succeeded, failed or canceled, not {status!r}")
        with self._lock:
            refund = self._object(self.refunds, "refund", refund_id)
            refund.update(status=status, failure_reason=failure_reason if status != "succeeded" else None)
            return copy(refund)

    def event(self, event_type: str, object_id: str) -> dict[str, Any]:
        """A webhook event as Stripe sends it, about an object as it is now: a
        PaymentIntent (``pi_...``) or a Refund (``re_...``); ``charge.*`` events about a
        PaymentIntent carry its charge, with its refunds listed."""
        with self._lock:
            if object_id.startswith("re_"):
                obj = copy(self._object(self.refunds, "refund", object_id))
            elif event_type.startswith("charge."):
                obj = self._charge(self._intent(object_id))
            else:
                obj = copy(self._intent(object_id))
        return {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }

    def signed_event(
        self, event_type: str, object_id: str, secret: str, *, timestamp: int | None = None
    ) -> tuple[bytes, str]:
        """The body and ``Stripe-Signature`` header of a webhook delivery (see :meth:`event`)."""
        body = json.dumps(self.event(event_type, object_id)).encode()
        return body, sign_event(body, secret, timestamp)

    def _charge(self, intent: dict[str, Any]) -> dict[str, Any]:
        """The charge of a paid PaymentIntent, with its refunds (expanded)."""
        refunds = [copy(r) for r in self.refunds.values() if r["payment_intent"] == intent["id"]]
        refunded = sum(r["amount"] for r in refunds if r["status"] in ("succeeded", "pending"))
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount_received"],
            "amount_refunded": refunded,
            "currency": intent["currency"],
            "customer": intent["customer"],
            "metadata": copy(intent["metadata"]),
            "paid": intent["status"] == "succeeded",
            "payment_intent": intent["id"],
            "payment_method": intent["payment_method"],
            "refunded": refunded >= intent["amount_received"] > 0,
            "status": "succeeded",
            "refunds": {
                "object": "list",
                "data": refunds,
                "has_more": False,
                "url": f"/v1/charges/{intent['latest_charge']}/refunds",
            },
        }

    # -- HTTP --------------------------------------------------------------------------

    async def _handle(self, request: Request) -> JSONResponse:
        body = (await request.body()).decode("utf-8", "replace")
        pairs = parse_qsl(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            pairs += parse_qsl(body, keep_blank_values=True)
        method, path = request.method, request.url.path
        record = RecordedRequest(method, path, decode_params(pairs), {k.lower(): v for k, v in request.headers.items()})
        with self._lock:
            self.requests.append(record)
            status, payload, headers = self._respond(record)
        record.status = status
        headers.update({"Request-Id": new_id("req"), "Stripe-Version": API_VERSION})
        return JSONResponse(payload, status_code=status, headers=headers)

    def _respond(self, record: RecordedRequest) -> tuple[int, dict, dict[str, str]]:
        if self._unavailable:
            return 503, StripeAPIError(503, "Stripe is unavailable (fake outage).").body, {}
        failure = next((f for f in self._failures if f["path"] is None or record.path.startswith(f["path"])), None)
        if failure is not None:
            self._failures.remove(failure)
            return (*self._injected(failure), {})
        auth = record.authorization or ""
        if not auth.startswith("Bearer ") or (self.api_key and auth != f"Bearer {self.api_key}"):
            return 401, StripeAPIError(401, "Invalid API Key provided.").body, {}
        # handler and allowed are read after the loop's break (B007 sees only the body).
        for method, pattern, handler, allowed in self._routes:  # noqa: B007
            match = pattern.fullmatch(record.path)
            if match and method == record.method:
                break
        else:
            message = f"Unrecognized request URL ({record.method}: {record.path})."
            return 404, StripeAPIError(404, message).body, {}

        key = record.idempotency_key if record.method == "POST" else None
        fingerprint = (record.method, record.path, record.params)
        if key is not None and (record.authorization, key) in self._idempotent:
            seen, status, payload = self._idempotent[(record.authorization, key)]
            if seen != fingerprint:
                message = (
                    f"Keys for idempotent requests can only be used with the same parameters "
                    f"they were first used with. Try using a key other than '{key}' if you "
                    f"meant to execute a different request."
                )
                error = StripeAPIError(400, message)
                error.body["error"]["type"] = "idempotency_error"
                return 400, error.body, {}
            return status, copy(payload), {"Idempotent-Replayed": "true"}
        try:
            unknown = sorted(set(record.params) - allowed - COMMON_PARAMS)
            if unknown:
                raise invalid(unknown[0], f"Received unknown parameter: {unknown[0]}", "parameter_unknown")
            status, payload = 200, handler(record.params, **match.groupdict())
            replayable = True
        except StripeAPIError as exc:
            status, payload, replayable = exc.status, exc.body, exc.replayable
        if key is not None and replayable:
            self._idempotent[(record.authorization, key)] = (fingerprint, status, copy(payload))
        return status, copy(payload), {}

    @staticmethod
    def _injected(failure: dict[str, Any]) -> tuple[int, dict]:
        status = failure["status"]
        default = {402: "Your card was declined.", 429: "Request rate limit exceeded."}
        message = failure["message"] or default.get(status, "An unknown error occurred.")
        extra: dict[str, Any] = {"decline_code": "generic_decline"} if status == 402 else {}
        code = failure["code"] or ("rate_limit" if status == 429 else None)
        return status, StripeAPIError(status, message, code=code, **extra).body
