"""With Stripe, the first payment saves the card and each renewal is charged off-session:
paid renewals extend the period; declined ones are retried daily, then the subscription
goes past due and is canceled. Stripe is the local fake (oms.fake_stripe)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from oms.orders.models import Order, OrderEvent
from oms.payments.models import Payment
from oms.testing import make_product, run_jobs
from oms_subscription import services
from oms_subscription.lifecycle import PAST_DUE_DAYS
from oms_subscription.lifecycle import run_lifecycle as lifecycle_pass
from oms_subscription.models import SubscriptionContract, SubscriptionStatus

SECRET = "whsec_subscription_tests"


@pytest.fixture
def oms_settings(oms_settings, fake_stripe):
    return dataclasses.replace(oms_settings, stripe_api_key="sk_test_oms", stripe_webhook_secret=SECRET,
                               stripe_api_base=fake_stripe.url)


@pytest.fixture
async def plan(oms_app):
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="19.00",
                       attributes={"interval": "month", "grace_days": 2})


async def subscribe(oms_app, oms_graphql, oms_http, fake_stripe, card="pm_card_visa"):
    placed = (await oms_graphql.query(
        """mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { number } userErrors { code } } }""",
        {"i": {"lines": [{"sku": "PLAN", "quantity": 1}], "email": "sub@example.com", "idempotencyKey": "first"}},
    ))["placeOrder"]
    assert placed["userErrors"] == []
    order = await Order.get(number=placed["order"]["number"])
    intent = (await Payment.get(order_id=order.id)).external_id
    fake_stripe.succeed(intent, card)
    body, header = fake_stripe.signed_event("payment_intent.succeeded", intent, SECRET)
    response = await oms_http.post("/webhooks/stripe", content=body,
                                   headers={"Stripe-Signature": header, "Content-Type": "application/json"})
    assert response.status_code == 200
    await run_jobs(oms_app)
    return await SubscriptionContract.get(order_id=order.id)


async def lifecycle(oms_app, now):
    state = oms_app.state
    counts = await lifecycle_pass(settings=state.settings, plugins=state.plugins,
                                          gateway=state.gateway, now=now)
    await run_jobs(oms_app)
    return counts


async def test_a_renewal_is_charged_off_session_and_extends_the_period(
    oms_app, oms_graphql, oms_http, fake_stripe, plan
):
    contract = await subscribe(oms_app, oms_graphql, oms_http, fake_stripe)
    assert fake_stripe.requests_to("POST", "/v1/payment_intents")[0].params["setup_future_usage"] == "off_session"
    end = contract.current_period_end

    counts = await lifecycle(oms_app, end - dt.timedelta(hours=6))
    assert counts["renewal_orders"] == 1
    [charge] = [r for r in fake_stripe.requests_to("POST", "/v1/payment_intents") if r.params.get("off_session")]
    assert charge.params["amount"] == "1900" or charge.params["amount"] == 1900
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.renewals == 1 and contract.status == SubscriptionStatus.ACTIVE
    assert contract.current_period_start == end and contract.renewal_order_id is None
    renewal = await Order.get(note="Renewal of subscription PLAN")
    assert renewal.status.value == "COMPLETED" and renewal.payment_status.value == "PAID"


async def test_a_declined_renewal_is_retried_then_the_subscription_ends(
    oms_app, oms_graphql, oms_http, fake_stripe, plan
):
    contract = await subscribe(oms_app, oms_graphql, oms_http, fake_stripe)
    end = contract.current_period_end
    saved = (await Payment.get(order_id=contract.order_id)).payment_method_ref
    fake_stripe.decline_charges(saved, "card_declined")

    await lifecycle(oms_app, end - dt.timedelta(hours=6))
    renewal = await Order.get(note="Renewal of subscription PLAN")
    assert renewal.status.value == "PENDING_PAYMENT" and renewal.payment_status.value == "FAILED"
    assert "payment.failed" in await OrderEvent.filter(order_id=renewal.id).values_list("type", flat=True)

    # Not retried within the day; retried after it.
    assert (await lifecycle(oms_app, end - dt.timedelta(hours=1)))["charges"] == 0
    assert (await lifecycle(oms_app, end + dt.timedelta(hours=19)))["charges"] == 0  # declined again
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.charge_attempts == 2

    await lifecycle(oms_app, end + dt.timedelta(days=2, seconds=1))
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.PAST_DUE
    assert (await services.entitlement(contract.access_key, now=end + dt.timedelta(days=2, seconds=2))).active is False

    await lifecycle(oms_app, end + dt.timedelta(days=2 + PAST_DUE_DAYS, seconds=1))
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.CANCELED
    assert (await Order.get(id=renewal.id)).status.value == "CANCELED"


async def test_the_subscriber_pays_a_declined_renewal_with_another_card(
    oms_app, oms_graphql, oms_http, fake_stripe, plan
):
    from oms.graphql.common import to_global_id

    contract = await subscribe(oms_app, oms_graphql, oms_http, fake_stripe)
    saved = (await Payment.get(order_id=contract.order_id)).payment_method_ref
    fake_stripe.decline_charges(saved, "card_declined")
    await lifecycle(oms_app, contract.current_period_end - dt.timedelta(hours=6))
    renewal = await Order.get(note="Renewal of subscription PLAN")

    pay = """mutation($id: ID!, $t: String) { payOrder(id: $id, token: $t) {
               payment { gateway clientSecret amount { amount } } userErrors { code } } }"""
    stranger = (await oms_graphql.query(pay, {"id": to_global_id("Order", renewal.id)}))["payOrder"]
    assert stranger["userErrors"] == [{"code": "NOT_FOUND"}]
    opened = (await oms_graphql.query(pay, {"id": to_global_id("Order", renewal.id), "t": renewal.token}))["payOrder"]
    assert opened["userErrors"] == [] and opened["payment"]["gateway"] == "stripe"
    assert opened["payment"]["clientSecret"] and opened["payment"]["amount"]["amount"] == "19.00"

    intent = (await Payment.filter(order_id=renewal.id, off_session=False).order_by("-id").first()).external_id
    fake_stripe.succeed(intent, "pm_card_mastercard")
    body, header = fake_stripe.signed_event("payment_intent.succeeded", intent, SECRET)
    await oms_http.post("/webhooks/stripe", content=body,
                        headers={"Stripe-Signature": header, "Content-Type": "application/json"})
    await run_jobs(oms_app)
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.renewals == 1 and contract.status == SubscriptionStatus.ACTIVE
    again = (await oms_graphql.query(pay, {"id": to_global_id("Order", renewal.id), "t": renewal.token}))["payOrder"]
    assert again["userErrors"] == [{"code": "INVALID_TRANSITION"}]

    # The next renewal is charged with the new card, not the declined one.
    before = len(fake_stripe.requests_to("POST", "/v1/payment_intents"))
    await lifecycle(oms_app, contract.current_period_end - dt.timedelta(hours=6))
    charge = fake_stripe.requests_to("POST", "/v1/payment_intents")[before:]
    new_card = (await Payment.filter(order_id=renewal.id, state="SUCCEEDED").first()).payment_method_ref
    assert [r.params.get("payment_method") for r in charge if r.params.get("off_session")] == [new_card]
    assert (await SubscriptionContract.get(id=contract.id)).renewals == 2
