"""The payment gateway boundary: StripeGateway against the local FakeStripe, ManualGateway,
and the fake itself."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from datetime import UTC
from decimal import Decimal

import httpx
import pytest
import stripe

from oms.config import Settings
from oms.fake_stripe import FakeStripe, decode_params, sign_event
from oms.money import Money
from oms.payments.gateway import (
    Gateway,
    GatewayEvent,
    ManualGateway,
    PaymentGatewayError,
    PaymentSession,
    RefundResult,
    SessionRequest,
    WebhookPayloadError,
    WebhookSignatureError,
    gateway_for,
)
from oms.payments.stripe_gateway import StripeGateway

API_KEY = "sk_test_oms_gateway"
SECRET = "whsec_test_oms_gateway"


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def jpy(amount: int) -> Money:
    return Money(Decimal(amount), "JPY")


def session_request(order_id: int = 42, amount: Money | None = None, **kwargs) -> SessionRequest:
    return SessionRequest(
        order_id=order_id,
        order_number=f"O-{order_id}",
        amount=amount or usd("12.50"),
        email="ada@example.com",
        idempotency_key=kwargs.pop("idempotency_key", f"oms-order-{order_id}-session"),
        **kwargs,
    )


@pytest.fixture(scope="module")
def fake():
    with FakeStripe(api_key=API_KEY) as server:
        yield server
    assert not server.running


@pytest.fixture(autouse=True)
def clean_fake(fake, monkeypatch):
    fake.reset()
    if not fake.running:
        fake.up()
    # Telemetry would write an id to ~/.config/stripe/telemetry_id on the first request.
    monkeypatch.setattr(stripe, "enable_telemetry", False)


@pytest.fixture
async def gateway(fake):
    gw = StripeGateway(API_KEY, webhook_secret=SECRET, api_base=fake.url, max_network_retries=0)
    yield gw
    await gw.aclose()


async def paid_session(gateway, fake, amount: Money, order_id: int = 7) -> PaymentSession:
    session = await gateway.create_session(session_request(order_id, amount))
    fake.succeed(session.external_id)
    return session


# -- sessions ------------------------------------------------------------------------------


async def test_create_session_sends_a_payment_intent_in_minor_units(gateway, fake):
    session = await gateway.create_session(session_request(42, usd("12.50")))

    [sent] = fake.requests_to("POST", "/v1/payment_intents")
    assert sent.params == {
        "amount": "1250",
        "currency": "usd",
        "metadata": {"order_id": "42", "order_number": "O-42"},
        "receipt_email": "ada@example.com",
        "automatic_payment_methods": {"enabled": "true"},
    }
    assert sent.idempotency_key == "oms-order-42-session"
    assert sent.authorization == f"Bearer {API_KEY}"
    intent = fake.payment_intents[session.external_id]
    assert session == PaymentSession(
        gateway="stripe",
        external_id=intent["id"],
        client_secret=intent["client_secret"],
        amount=usd("12.50"),
        status="requires_payment",
    )
    assert session.external_id.startswith("pi_")
    assert session.client_secret.startswith(f"{session.external_id}_secret_")


@pytest.mark.parametrize(
    ("amount", "minor", "currency"),
    [
        (Money(Decimal("1500"), "JPY"), "1500", "jpy"),
        (Money(Decimal("0.50"), "EUR"), "50", "eur"),
        (Money(Decimal("1.234"), "KWD"), "1234", "kwd"),
    ],
)
async def test_minor_units_follow_the_currency(gateway, fake, amount, minor, currency):
    session = await gateway.create_session(session_request(amount=amount))

    [sent] = fake.requests_to("POST", "/v1/payment_intents")
    assert (sent.params["amount"], sent.params["currency"]) == (minor, currency)
    assert session.amount == amount
    assert isinstance(session.amount.amount, Decimal)


async def test_customer_and_saved_payment_method(gateway, fake):
    customer = await gateway.create_customer("ada@example.com", idempotency_key="oms-customer-5")
    session = await gateway.create_session(
        session_request(customer_ref=customer, save_payment_method=True)
    )

    [created] = fake.requests_to("POST", "/v1/customers")
    assert created.params == {"email": "ada@example.com"}
    assert created.idempotency_key == "oms-customer-5"
    assert customer.startswith("cus_") and fake.customers[customer]["email"] == "ada@example.com"
    intent = fake.payment_intents[session.external_id]
    assert (intent["customer"], intent["setup_future_usage"]) == (customer, "off_session")
    # The same key again: the same customer, not a second one.
    assert await gateway.create_customer("ada@example.com", idempotency_key="oms-customer-5") == customer
    assert len(fake.customers) == 1


async def test_a_retry_with_the_same_key_returns_the_same_intent(gateway, fake):
    first = await gateway.create_session(session_request(9))
    again = await gateway.create_session(session_request(9))

    assert again == first
    assert len(fake.payment_intents) == 1
    assert [r.idempotency_key for r in fake.requests_to("POST", "/v1/payment_intents")] == [
        "oms-order-9-session", "oms-order-9-session",
    ]


async def test_the_same_key_with_other_parameters_is_refused(gateway, fake):
    await gateway.create_session(session_request(9, usd("10.00")))
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.create_session(session_request(9, usd("11.00")))

    assert (caught.value.retryable, caught.value.code) == (False, "idempotency_error")
    assert len(fake.payment_intents) == 1


async def test_retrieve_session_maps_the_intent_status(gateway, fake):
    session = await gateway.create_session(session_request())
    assert (await gateway.retrieve_session(session.external_id)).status == "requires_payment"
    fake.succeed(session.external_id)
    assert (await gateway.retrieve_session(session.external_id)).status == "succeeded"


async def test_cancel_is_idempotent(gateway, fake):
    session = await gateway.create_session(session_request())

    await gateway.cancel_session(session.external_id)
    await gateway.cancel_session(session.external_id)  # Stripe refuses; that is fine for us

    assert fake.payment_intents[session.external_id]["status"] == "canceled"
    assert (await gateway.retrieve_session(session.external_id)).status == "canceled"


async def test_a_paid_session_cannot_be_canceled(gateway, fake):
    session = await paid_session(gateway, fake, usd("5.00"))
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.cancel_session(session.external_id)
    assert (caught.value.retryable, caught.value.code) == (False, "payment_intent_unexpected_state")
    assert fake.payment_intents[session.external_id]["status"] == "succeeded"


def test_a_session_needs_a_positive_amount_and_a_key():
    with pytest.raises(ValueError):
        session_request(amount=usd("0"))
    with pytest.raises(ValueError):
        session_request(idempotency_key="")


# -- refunds -------------------------------------------------------------------------------


async def test_partial_refunds_up_to_the_amount_received(gateway, fake):
    session = await paid_session(gateway, fake, jpy(1000))

    first = await gateway.refund(session.external_id, jpy(400), idempotency_key="oms-refund-1",
                                 reason="requested_by_customer")
    assert first.external_id.startswith("re_")
    assert first == RefundResult(first.external_id, jpy(400), "succeeded")
    [sent] = fake.requests_to("POST", "/v1/refunds")
    assert sent.params == {"payment_intent": session.external_id, "amount": "400",
                           "reason": "requested_by_customer"}
    assert sent.idempotency_key == "oms-refund-1"

    # A retried job: the same refund, not a second one.
    assert await gateway.refund(session.external_id, jpy(400), idempotency_key="oms-refund-1",
                                reason="requested_by_customer") == first
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.refund(session.external_id, jpy(700), idempotency_key="oms-refund-2")
    assert (caught.value.retryable, caught.value.code) == (False, "amount_too_large")

    rest = await gateway.refund(session.external_id, jpy(600), idempotency_key="oms-refund-3",
                                reason="damaged in transit")
    assert rest.amount == jpy(600)
    assert fake.refunds[rest.external_id]["metadata"] == {"reason": "damaged in transit"}
    assert fake.refunds[rest.external_id]["reason"] is None
    assert len(fake.refunds) == 2


async def test_an_unpaid_session_cannot_be_refunded(gateway, fake):
    session = await gateway.create_session(session_request())
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.refund(session.external_id, usd("1.00"), idempotency_key="oms-refund-x")
    assert caught.value.retryable is False
    assert fake.refunds == {}


# -- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_provider_outages_are_retryable(gateway, fake, status):
    fake.fail_next(status=status)
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.create_session(session_request())
    assert caught.value.retryable is True
    assert [r.status for r in fake.requests] == [status]

    # The outage is over: the same key now creates the intent (the failure was not stored).
    session = await gateway.create_session(session_request())
    assert list(fake.payment_intents) == [session.external_id]


async def test_the_library_retries_a_500_with_the_same_key(fake):
    gw = StripeGateway(API_KEY, api_base=fake.url, max_network_retries=1)
    try:
        fake.fail_next(status=500)
        session = await gw.create_session(session_request(3))
    finally:
        await gw.aclose()
    attempts = fake.requests_to("POST", "/v1/payment_intents")
    assert [r.status for r in attempts] == [500, 200]
    assert {r.idempotency_key for r in attempts} == {"oms-order-3-session"}
    assert list(fake.payment_intents) == [session.external_id]


async def test_connection_refused_is_retryable(gateway, fake):
    session = await gateway.create_session(session_request())
    url = fake.url
    fake.down()
    try:
        with pytest.raises(PaymentGatewayError) as caught:
            await gateway.retrieve_session(session.external_id)
        assert caught.value.retryable is True
    finally:
        fake.up()
    assert fake.url == url
    assert (await gateway.retrieve_session(session.external_id)).external_id == session.external_id


async def test_an_unavailable_api_is_retryable(gateway, fake):
    fake.down(refuse=False)
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.create_session(session_request())
    assert caught.value.retryable is True
    fake.up()
    await gateway.create_session(session_request())


async def test_a_declined_card_is_not_retryable(gateway, fake):
    fake.fail_next(status=402, code="card_declined")
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.create_session(session_request())
    assert [r.status for r in fake.requests] == [402]
    assert (caught.value.retryable, caught.value.code) == (False, "card_declined")
    assert caught.value.message == "Your card was declined."


async def test_an_unknown_intent_is_not_retryable(gateway):
    with pytest.raises(PaymentGatewayError) as caught:
        await gateway.retrieve_session("pi_does_not_exist")
    assert (caught.value.retryable, caught.value.code) == (False, "resource_missing")


async def test_a_wrong_api_key_is_not_retryable(fake):
    gw = StripeGateway("sk_test_wrong", api_base=fake.url, max_network_retries=0)
    try:
        with pytest.raises(PaymentGatewayError) as caught:
            await gw.create_customer("a@example.com", idempotency_key="k")
    finally:
        await gw.aclose()
    assert caught.value.retryable is False
    assert fake.customers == {}


# -- webhooks ------------------------------------------------------------------------------


async def test_a_signed_event_is_verified_and_normalized(gateway, fake):
    session = await paid_session(gateway, fake, jpy(1500), order_id=77)
    body, header = fake.signed_event("payment_intent.succeeded", session.external_id, SECRET)

    event = gateway.parse_webhook(body, header)

    sent = json.loads(body)
    assert event == GatewayEvent(
        id=sent["id"], type="payment_intent.succeeded", created=event.created,
        external_id=session.external_id, amount=jpy(1500), order_id=77, failure_message=None,
    )
    assert event.id.startswith("evt_")
    assert event.created.tzinfo is UTC and int(event.created.timestamp()) == sent["created"]
    assert isinstance(event.amount.amount, Decimal) and isinstance(event.order_id, int)


async def test_a_failed_payment_event_carries_the_message(gateway, fake):
    session = await gateway.create_session(session_request(8, usd("20.00")))
    fake.fail(session.external_id, message="Your card has insufficient funds.")
    body, header = fake.signed_event("payment_intent.payment_failed", session.external_id, SECRET)

    event = gateway.parse_webhook(body, header)

    assert event.amount == usd("20.00")  # nothing received: the intent's amount
    assert event.failure_message == "Your card has insufficient funds."
    assert event.order_id == 8


async def test_unknown_event_types_still_parse(gateway):
    body = json.dumps({
        "id": "evt_1", "object": "event", "type": "customer.created", "created": 1_700_000_000,
        "livemode": False, "data": {"object": {"id": "cus_1", "object": "customer", "metadata": {}}},
    })
    event = gateway.parse_webhook(body.encode(), sign_event(body, SECRET))
    assert (event.type, event.external_id, event.amount, event.order_id) == (
        "customer.created", None, None, None)


@pytest.mark.parametrize("order_id", ["x1", " 42", "4_2", "", "-1"])
async def test_an_order_id_that_is_not_a_plain_integer_is_ignored(gateway, fake, order_id):
    session = await gateway.create_session(session_request())
    fake.payment_intents[session.external_id]["metadata"]["order_id"] = order_id
    body, header = fake.signed_event("payment_intent.succeeded", session.external_id, SECRET)
    assert gateway.parse_webhook(body, header).order_id is None


async def test_forged_wrong_secret_stale_or_unsigned_events_are_refused(gateway, fake):
    session = await paid_session(gateway, fake, usd("12.50"))
    body, header = fake.signed_event("payment_intent.succeeded", session.external_id, SECRET)
    forged = body.replace(b'"amount": 1250', b'"amount": 1')
    assert forged != body
    stale = sign_event(body, SECRET, timestamp=int(time.time()) - 301)

    for payload, signature in [
        (forged, header),
        (body, sign_event(body, "whsec_someone_else")),
        (body, stale),
        (body, None),
        (body, ""),
        (body, "garbage"),
    ]:
        with pytest.raises(WebhookSignatureError):
            gateway.parse_webhook(payload, signature)
    # Within the tolerance it is accepted.
    recent = sign_event(body, SECRET, timestamp=int(time.time()) - 290)
    assert gateway.parse_webhook(body, recent).type == "payment_intent.succeeded"


async def test_a_signed_but_unreadable_body_is_refused(gateway):
    for body in [b"not json", b"[1, 2]", json.dumps({"id": "evt_1", "object": "event"}).encode()]:
        with pytest.raises(WebhookPayloadError):
            gateway.parse_webhook(body, sign_event(body, SECRET))


async def test_without_a_webhook_secret_every_webhook_is_refused(fake):
    gw = StripeGateway(API_KEY, api_base=fake.url)
    try:
        body = b'{"id": "evt_1", "object": "event"}'
        with pytest.raises(WebhookSignatureError):
            gw.parse_webhook(body, sign_event(body, SECRET))
    finally:
        await gw.aclose()


def test_sign_event_matches_stripes_verification():
    body = json.dumps({"id": "evt_1", "object": "event", "type": "ping", "created": 1,
                       "data": {"object": {}}})
    header = sign_event(body.encode(), SECRET, timestamp=int(time.time()))
    assert header == sign_event(body, SECRET, timestamp=int(header.split(",")[0][2:]))
    event = stripe.Webhook.construct_event(body, header, SECRET)
    assert event.id == "evt_1"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, header, "whsec_other")


# -- the boundary, the manual gateway, the choice ------------------------------------------


async def test_no_stripe_object_leaves_the_gateway(gateway, fake):
    session = await paid_session(gateway, fake, usd("3.00"))
    refund = await gateway.refund(session.external_id, usd("1.00"), idempotency_key="r")
    customer = await gateway.create_customer("a@example.com", idempotency_key="c")
    for value in [session, refund, await gateway.retrieve_session(session.external_id)]:
        for field in dataclasses.fields(value):
            assert type(getattr(value, field.name)) in (str, Money, type(None)), field.name
    assert type(customer) is str


async def test_manual_gateway():
    gw = ManualGateway()
    assert isinstance(gw, Gateway)
    session = await gw.create_session(session_request(amount=jpy(900)))
    assert session == PaymentSession("manual", None, None, jpy(900), "requires_payment")
    await gw.cancel_session("anything")
    refund = await gw.refund("anything", jpy(300), idempotency_key="oms-refund-1")
    assert refund.status == "succeeded" and refund.amount == jpy(300)
    assert refund.external_id.startswith("manual-refund-")
    assert (await gw.refund("anything", jpy(300), idempotency_key="oms-refund-1")) == refund
    assert (await gw.refund("anything", jpy(300), idempotency_key="oms-refund-2")) != refund
    with pytest.raises(WebhookSignatureError):
        gw.parse_webhook(b"{}", "t=1,v1=00")
    with pytest.raises(PaymentGatewayError):
        await gw.retrieve_session("x")
    await gw.aclose()


async def test_gateway_for_settings(fake):
    assert isinstance(gateway_for(Settings()), ManualGateway)
    gw = gateway_for(Settings(stripe_api_key=API_KEY, stripe_webhook_secret=SECRET,
                              stripe_api_base=fake.url + "/"))
    try:
        assert isinstance(gw, StripeGateway) and isinstance(gw, Gateway)
        assert (await gw.create_customer("a@example.com", idempotency_key="k")).startswith("cus_")
    finally:
        await gw.aclose()


# -- the fake itself -----------------------------------------------------------------------


def test_fake_decodes_stripe_form_encoding():
    assert decode_params([("metadata[a]", "1"), ("metadata[b]", "2"), ("expand[0]", "x"),
                          ("expand[1]", "y"), ("items[0][price]", "p"), ("amount", "5")]) == {
        "metadata": {"a": "1", "b": "2"}, "expand": ["x", "y"], "items": [{"price": "p"}],
        "amount": "5",
    }


def test_fake_answers_like_stripe(fake):
    auth = {"Authorization": f"Bearer {API_KEY}"}
    with httpx.Client(base_url=fake.url) as client:
        unknown = client.post("/v1/payment_intents", data={"amount": "100", "currency": "usd",
                                                           "reciept_email": "x"}, headers=auth)
        assert unknown.status_code == 400
        assert unknown.json()["error"] == {"type": "invalid_request_error", "code": "parameter_unknown",
                                           "param": "reciept_email",
                                           "message": "Received unknown parameter: reciept_email"}
        missing = client.post("/v1/payment_intents", data={"currency": "usd"}, headers=auth)
        assert (missing.status_code, missing.json()["error"]["code"]) == (400, "parameter_missing")
        assert client.get("/v1/customers/cus_nope", headers=auth).status_code == 404
        assert client.get("/v1/customers", headers={}).status_code == 401

        declined = client.post("/v1/payment_intents", headers=auth, data={
            "amount": "100", "currency": "usd", "confirm": "true",
            "payment_method": "pm_card_chargeDeclined"})
        assert declined.status_code == 402
        assert declined.json()["error"]["type"] == "card_error"
        assert declined.json()["error"]["payment_intent"]["status"] == "requires_payment_method"
        paid = client.post("/v1/payment_intents", headers=auth, data={
            "amount": "100", "currency": "usd", "confirm": "true", "payment_method": "pm_card_visa"})
        assert (paid.json()["status"], paid.json()["amount_received"]) == ("succeeded", 100)
        assert paid.headers["request-id"].startswith("req_")

        replay = {**auth, "Idempotency-Key": "same"}
        one = client.post("/v1/customers", data={"email": "a@x.org"}, headers=replay)
        two = client.post("/v1/customers", data={"email": "a@x.org"}, headers=replay)
        assert one.json() == two.json() and two.headers["idempotent-replayed"] == "true"
    assert [r.status for r in fake.requests] == [400, 400, 404, 401, 402, 200, 200, 200]


def test_fake_stops_cleanly():
    with FakeStripe() as fake:
        port = int(fake.url.rsplit(":", 1)[1])
        with httpx.Client() as client:  # a keep-alive connection is open at shutdown
            assert client.get(fake.url + "/v1/customers/cus_x",
                              headers={"Authorization": "Bearer sk_test_x"}).status_code == 404
            fake.stop()
    assert not fake.running
    assert f"fake-stripe-{port}" not in [t.name for t in threading.enumerate()]
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
