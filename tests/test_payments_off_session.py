"""Saved payment methods and off-session charges (subscription renewals): the first payment
of an order with a renewed type saves its method on a Stripe Customer; a later unpaid order
is charged with it, without the customer."""

import dataclasses
import json

import httpx
import pytest

from oms import hookimpl
from oms.errors import DomainError, ErrorCode
from oms.jobs.models import Job
from oms.orders.models import Order, OrderEvent
from oms.payments.gateway import PaymentGatewayError
from oms.payments.models import Payment, PaymentState
from oms.payments.services import (
    SavedPaymentMethod,
    charge_saved_payment_method,
    mark_order_paid,
    saved_payment_method,
)
from oms.plugin_types import ProductType
from oms.testing import make_product, run_jobs

SECRET = "whsec_test_off_session"
EMAIL = "renews@example.com"

PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number status paymentStatus }
    payment { gateway clientSecret }
    userErrors { field code message }
  }
}
"""


class Renewals:
    """Owns ``renewal`` (charged again later, like a subscription) and ``widget`` (not)."""

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="renewal", saves_payment_method=True), ProductType(name="widget")]


@pytest.fixture
def oms_extra_plugins():
    return [Renewals()]


@pytest.fixture
def oms_settings(oms_settings, fake_stripe):
    return dataclasses.replace(
        oms_settings,
        stripe_api_key="sk_test_oms",
        stripe_webhook_secret=SECRET,
        stripe_api_base=fake_stripe.url,
    )


@pytest.fixture
async def products(oms_app):
    await make_product(oms_app, product_type="renewal", sku="PLAN", price="15.00")
    await make_product(oms_app, product_type="widget", sku="WIDGET", price="4.00")


async def place(graphql, key: str, sku: str = "PLAN", email: str = EMAIL) -> Order:
    data = (await graphql.query(PLACE, {"input": {
        "lines": [{"sku": sku, "quantity": 1}], "email": email, "idempotencyKey": key,
    }}))["placeOrder"]
    assert data["userErrors"] == [], data["userErrors"]
    return await Order.get(number=data["order"]["number"])


async def session_intent(order: Order) -> str:
    return (await Payment.get(order_id=order.id, gateway="stripe", off_session=False)).external_id


async def post_event(http, fake, event_type: str, intent: str) -> httpx.Response:
    body, header = fake.signed_event(event_type, intent, SECRET)
    response = await http.post("/webhooks/stripe", content=body,
                               headers={"Stripe-Signature": header, "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return response


async def first_payment(graphql, http, fake, card: str = "pm_card_visa") -> Order:
    """A renewed product bought and paid on-session (the storefront confirmed with ``card``)."""
    order = await place(graphql, "first")
    intent = await session_intent(order)
    fake.succeed(intent, card)
    await post_event(http, fake, "payment_intent.succeeded", intent)
    return await Order.get(id=order.id)


def charges(fake) -> list:
    """The off-session PaymentIntent requests oms sent."""
    return [r for r in fake.requests_to("POST", "/v1/payment_intents") if r.params.get("off_session")]


async def timeline(order: Order) -> list[str]:
    return await OrderEvent.filter(order_id=order.id).order_by("id").values_list("type", flat=True)


# -- saving at the first payment -------------------------------------------------------------


async def test_the_first_payment_is_made_as_a_customer_and_saves_the_method(
    oms_graphql, oms_http, fake_stripe, products
):
    order = await place(oms_graphql, "first")

    [created] = fake_stripe.requests_to("POST", "/v1/customers")
    assert created.params == {"email": EMAIL, "metadata": {"oms_guest": "true", "oms_order_id": str(order.id)}}
    assert created.idempotency_key.partition(":")[2].startswith("oms-customer-guest-")
    [customer] = fake_stripe.customers
    [sent] = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert (sent.params["customer"], sent.params["setup_future_usage"]) == (customer, "off_session")
    assert await saved_payment_method(order) is None  # nothing paid yet

    intent = await session_intent(order)
    fake_stripe.succeed(intent)
    await post_event(oms_http, fake_stripe, "payment_intent.succeeded", intent)

    method = fake_stripe.payment_intents[intent]["payment_method"]
    assert method.startswith("pm_") and method != "pm_card_visa"
    assert fake_stripe.payment_methods[method]["customer"] == customer
    assert await saved_payment_method(order) == SavedPaymentMethod("stripe", customer, method)
    payment = await Payment.get(external_id=intent)
    assert (payment.state, payment.customer_ref, payment.payment_method_ref) == (
        PaymentState.SUCCEEDED, customer, method)


async def test_each_guest_order_gets_its_own_customer(oms_graphql, fake_stripe, products):
    # An email address proves nothing: a stranger typing someone's email must not pay as,
    # or save a card on, that person's Stripe Customer.
    await place(oms_graphql, "one")
    await place(oms_graphql, "two")

    created = fake_stripe.requests_to("POST", "/v1/customers")
    assert len(created) == 2 and len({r.idempotency_key for r in created}) == 2
    intents = list(fake_stripe.payment_intents.values())
    assert intents[0]["customer"] != intents[1]["customer"]


async def test_a_signed_in_customer_gets_one_customer_for_their_account(
    oms_graphql, oms_accounts, fake_stripe, products
):
    alice = oms_graphql.as_(oms_accounts.customer)
    for key in ("a1", "a2"):
        data = (await alice.query(PLACE, {"input": {
            "lines": [{"sku": "PLAN", "quantity": 1}], "idempotencyKey": key,
        }}))["placeOrder"]
        assert data["userErrors"] == []

    [customer] = fake_stripe.customers.values()
    order = await Order.get(number=data["order"]["number"])
    assert customer["email"] == "alice@example.com"
    assert customer["metadata"] == {"oms_customer_id": str(order.customer_id)}
    assert {i["customer"] for i in fake_stripe.payment_intents.values()} == {customer["id"]}


async def test_an_order_without_a_renewed_type_saves_nothing(oms_graphql, oms_http, fake_stripe, products):
    order = await place(oms_graphql, "widget", sku="WIDGET")

    [sent] = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert "setup_future_usage" not in sent.params and "customer" not in sent.params
    assert fake_stripe.customers == {}
    intent = await session_intent(order)
    fake_stripe.succeed(intent)
    await post_event(oms_http, fake_stripe, "payment_intent.succeeded", intent)
    assert (await Order.get(id=order.id)).payment_status == "PAID"
    assert await saved_payment_method(order) is None


# -- renewals, off-session -------------------------------------------------------------------


async def test_a_renewal_is_paid_off_session_and_its_webhook_has_no_second_effect(
    oms_app, oms_graphql, oms_http, fake_stripe, products
):
    first = await first_payment(oms_graphql, oms_http, fake_stripe)
    saved = await saved_payment_method(first)
    renewal = await place(oms_graphql, "renewal")
    on_session = await session_intent(renewal)

    await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)

    [charge] = charges(fake_stripe)
    sent = ("customer", "payment_method", "off_session", "confirm", "amount")
    assert {k: charge.params[k] for k in sent} == {
        "customer": saved.customer_ref, "payment_method": saved.payment_method_ref,
        "off_session": "true", "confirm": "true", "amount": "1500"}
    assert charge.params["metadata"]["order_id"] == str(renewal.id)
    assert charge.idempotency_key.endswith(f":oms-order-{renewal.id}-off-session-1")
    paid = await Order.get(id=renewal.id)
    assert (paid.status, paid.payment_status) == ("PROCESSING", "PAID")
    payment = await Payment.get(order_id=renewal.id, off_session=True)
    assert payment.state == PaymentState.SUCCEEDED and payment.external_id.startswith("pi_")
    # The renewal saved the same method again: the next renewal can start from it.
    assert await saved_payment_method(renewal) == saved
    await run_jobs(oms_app)  # the placement's own PaymentIntent can no longer be paid
    assert fake_stripe.payment_intents[on_session]["status"] == "canceled"
    events, jobs = await timeline(renewal), await Job.all().count()

    response = await post_event(oms_http, fake_stripe, "payment_intent.succeeded", payment.external_id)

    assert response.json()["outcome"] == "duplicate"
    assert await timeline(renewal) == events
    assert await Job.all().count() == jobs
    again = await Order.get(id=renewal.id)
    assert (again.status, again.needs_review) == ("PROCESSING", False)
    assert await Payment.filter(order_id=renewal.id, state=PaymentState.SUCCEEDED).count() == 1


@pytest.mark.parametrize(("card", "decline", "code"), [
    ("pm_card_visa", "card_declined", "card_declined"),
    ("pm_card_visa", "insufficient_funds", "card_declined"),
    # Passed 3-D Secure on-session at the first payment; the bank asks again.
    ("pm_card_authenticationRequired", None, "authentication_required"),
])
async def test_a_declined_renewal_is_recorded_and_stays_payable(
    oms_app, oms_graphql, oms_http, fake_stripe, products, card, decline, code
):
    first = await first_payment(oms_graphql, oms_http, fake_stripe, card)
    saved = await saved_payment_method(first)
    if decline:
        fake_stripe.decline_charges(saved.payment_method_ref, decline)
    renewal = await place(oms_graphql, "renewal")

    with pytest.raises(DomainError) as caught:
        await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)

    assert caught.value.code == ErrorCode.PAYMENT_FAILED
    order = await Order.get(id=renewal.id)
    assert (order.status, order.payment_status) == ("PENDING_PAYMENT", "FAILED")
    assert (await timeline(renewal)).count("payment.failed") == 1
    failed = await Payment.get(order_id=renewal.id, off_session=True)
    assert failed.state == PaymentState.FAILED and failed.failure_message
    assert fake_stripe.payment_intents[failed.external_id]["last_payment_error"]["code"] == code

    # Stripe's payment_failed webhook for it adds nothing.
    response = await post_event(oms_http, fake_stripe, "payment_intent.payment_failed", failed.external_id)
    assert response.json()["outcome"] == "duplicate"
    assert (await timeline(renewal)).count("payment.failed") == 1

    # Another attempt is a new charge (a new key), not a replay of the decline.
    with pytest.raises(DomainError):
        await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)
    keys = [r.idempotency_key.partition(":")[2] for r in charges(fake_stripe)]
    assert keys == [f"oms-order-{renewal.id}-off-session-1", f"oms-order-{renewal.id}-off-session-2"]

    # Still payable: the customer pays on-session.
    intent = await session_intent(renewal)
    fake_stripe.succeed(intent)
    await post_event(oms_http, fake_stripe, "payment_intent.succeeded", intent)
    assert (await Order.get(id=renewal.id)).payment_status == "PAID"


async def test_an_outage_records_nothing_and_the_retry_charges_once(
    oms_app, oms_graphql, oms_http, fake_stripe, products
):
    saved = await saved_payment_method(await first_payment(oms_graphql, oms_http, fake_stripe))
    renewal = await place(oms_graphql, "renewal")
    fake_stripe.down()

    with pytest.raises(PaymentGatewayError) as caught:
        await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)

    assert caught.value.retryable
    assert await Payment.filter(order_id=renewal.id, off_session=True).count() == 0
    assert "payment.failed" not in await timeline(renewal)
    fake_stripe.up()
    await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)
    assert (await Order.get(id=renewal.id)).payment_status == "PAID"
    assert len({r.idempotency_key for r in charges(fake_stripe)}) == 1


async def test_a_detached_method_fails_the_charge_and_the_order_waits(
    oms_app, oms_graphql, oms_http, fake_stripe, products
):
    saved = await saved_payment_method(await first_payment(oms_graphql, oms_http, fake_stripe))
    renewal = await place(oms_graphql, "renewal")
    fake_stripe.payment_methods[saved.payment_method_ref]["customer"] = None  # removed in Stripe

    with pytest.raises(DomainError) as caught:
        await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)

    assert caught.value.code == ErrorCode.PAYMENT_FAILED
    assert "could not be charged" in str(caught.value)
    order = await Order.get(id=renewal.id)
    assert (order.status, order.payment_status) == ("PENDING_PAYMENT", "FAILED")
    assert "payment.failed" in await timeline(renewal)


async def test_only_an_order_awaiting_payment_is_charged(
    oms_app, oms_graphql, oms_http, fake_stripe, products
):
    first = await first_payment(oms_graphql, oms_http, fake_stripe)
    saved = await saved_payment_method(first)

    with pytest.raises(DomainError) as caught:
        await charge_saved_payment_method(first, saved, gateway=oms_app.state.gateway)

    assert caught.value.code == ErrorCode.INVALID_TRANSITION
    assert charges(fake_stripe) == []


# -- the manual gateway ----------------------------------------------------------------------


class TestManual:
    @pytest.fixture
    def oms_settings(self, oms_settings):
        return dataclasses.replace(oms_settings, stripe_api_key=None, stripe_api_base=None)

    async def test_nothing_is_saved_and_renewals_wait_for_payment(self, oms_app, oms_graphql, products):
        order = await place(oms_graphql, "manual")
        await mark_order_paid(order, reference="bank 1", actor="staff@example.com")

        assert await saved_payment_method(order) is None
        renewal = await place(oms_graphql, "renewal")
        saved = SavedPaymentMethod("stripe", "cus_x", "pm_x")
        with pytest.raises(DomainError) as caught:
            await charge_saved_payment_method(renewal, saved, gateway=oms_app.state.gateway)
        assert caught.value.code == ErrorCode.INVALID
        assert (await Order.get(id=renewal.id)).status == "PENDING_PAYMENT"


# -- the fake, as Stripe ---------------------------------------------------------------------


def test_the_fake_keeps_saved_methods_to_their_customer(fake_stripe):
    auth = {"Authorization": "Bearer sk_test_x"}
    with httpx.Client(base_url=fake_stripe.url, headers=auth) as client:
        def intent(**params) -> httpx.Response:
            return client.post("/v1/payment_intents", data={"amount": "500", "currency": "usd", **params})

        ada = client.post("/v1/customers", data={"email": "ada@example.com"}).json()["id"]
        bob = client.post("/v1/customers", data={"email": "bob@example.com"}).json()["id"]
        saving = intent(customer=ada, setup_future_usage="off_session", confirm="true",
                        payment_method="pm_card_visa", return_url="https://shop.test/done").json()
        method = saving["payment_method"]
        assert client.get(f"/v1/payment_methods/{method}").json()["customer"] == ada

        charged = intent(customer=ada, payment_method=method, off_session="true", confirm="true")
        assert (charged.status_code, charged.json()["status"]) == (200, "succeeded")
        assert intent(customer=bob, payment_method=method, off_session="true",
                      confirm="true").json()["error"]["param"] == "payment_method"
        not_confirmed = intent(customer=ada, payment_method=method, off_session="true")
        assert (not_confirmed.status_code, not_confirmed.json()["error"]["param"]) == (400, "off_session")
        assert intent(customer=ada, payment_method="pm_nope", confirm="true").status_code == 400
        # Without off_session, automatic payment methods need a return_url.
        needs_return = intent(customer=ada, payment_method=method, confirm="true",
                              **{"automatic_payment_methods[enabled]": "true"})
        assert needs_return.json()["error"]["param"] == "return_url"

        # On-session, a 3-D Secure card waits for the customer; off-session it is declined.
        three_ds = intent(customer=ada, setup_future_usage="off_session", confirm="true",
                          payment_method="pm_card_authenticationRequired").json()
        assert three_ds["status"] == "requires_action"
        fake_stripe.succeed(three_ds["id"])  # the customer passed 3-D Secure
        secure = fake_stripe.payment_intents[three_ds["id"]]["payment_method"]
        declined = intent(customer=ada, payment_method=secure, off_session="true", confirm="true")
        assert declined.status_code == 402
        assert json.loads(declined.text)["error"]["code"] == "authentication_required"
        assert declined.json()["error"]["payment_intent"]["status"] == "requires_payment_method"

        # A detached method cannot be charged again.
        assert client.post(f"/v1/payment_methods/{method}/detach").json()["customer"] is None
        assert intent(customer=ada, payment_method=method, off_session="true",
                      confirm="true").status_code == 400
