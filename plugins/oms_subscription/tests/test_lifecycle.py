"""A subscription's life: activated when paid, checked by its access key, renewed by a
renewal order, past due and canceled when that stays unpaid, canceled by its owner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oms.catalog.models import Variant
from oms.graphql.common import to_global_id
from oms.orders.models import Order, OrderEvent
from oms.payments.services import mark_order_paid
from oms.testing import make_product, place_paid_order, run_jobs
from oms_subscription import services
from oms_subscription.lifecycle import PAST_DUE_DAYS
from oms_subscription.lifecycle import run_lifecycle as lifecycle_pass
from oms_subscription.models import SubscriptionContract, SubscriptionStatus
from oms_subscription.periods import add_interval

UTC = dt.UTC

ORDER = """
query($t: String) { order(token: $t) { status lines { status }
  fulfillments { status details { __typename ... on SubscriptionActivation { subscription {
    id status sku interval intervalCount currentPeriodEnd accessKey accessUntil } } } } } }
"""


@pytest.mark.parametrize(("start", "interval", "count", "expected"), [
    ("2027-01-31T10:00", "month", 1, "2027-02-28T10:00"),
    ("2028-01-31T10:00", "month", 1, "2028-02-29T10:00"),
    ("2027-01-31T10:00", "month", 2, "2027-03-31T10:00"),
    ("2027-08-31T10:00", "month", 1, "2027-09-30T10:00"),
    ("2027-12-15T10:00", "month", 1, "2028-01-15T10:00"),
    ("2028-02-29T10:00", "year", 1, "2029-02-28T10:00"),
    ("2027-03-01T10:00", "week", 2, "2027-03-15T10:00"),
    ("2027-03-01T10:00", "day", 30, "2027-03-31T10:00"),
])
def test_periods(start, interval, count, expected):
    moment = dt.datetime.fromisoformat(start).replace(tzinfo=UTC)
    assert add_interval(moment, interval, count, moment.day) == dt.datetime.fromisoformat(expected).replace(tzinfo=UTC)


def test_the_anchor_day_comes_back_after_a_short_month():
    feb = add_interval(dt.datetime(2027, 1, 31, tzinfo=UTC), "month", 1, 31)
    assert feb == dt.datetime(2027, 2, 28, tzinfo=UTC)
    assert add_interval(feb, "month", 1, 31) == dt.datetime(2027, 3, 31, tzinfo=UTC)


@pytest.fixture
async def plan(oms_app):
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="19.00",
                       attributes={"interval": "month", "grace_days": 3})


async def subscribe(oms_app, graphql, **kwargs):
    placed = await place_paid_order(oms_app, graphql, [("PLAN", 1)], **kwargs)
    contract = await SubscriptionContract.get(order__number=placed["order"]["number"])
    return placed, contract


async def lifecycle(oms_app, now):
    state = oms_app.state
    counts = await lifecycle_pass(settings=state.settings, plugins=state.plugins, gateway=None, now=now)
    await run_jobs(oms_app)
    return counts


async def access(oms_http, contract, now=None):
    if now is None:
        return (await oms_http.get(f"/entitlements/{contract.access_key}")).json()
    found = await services.entitlement(contract.access_key, now=now)
    return found.active


async def test_a_paid_plan_is_active_and_delivered_at_once(oms_app, oms_graphql, oms_http, plan):
    before = dt.datetime.now(UTC)
    placed, contract = await subscribe(oms_app, oms_graphql)
    seen = (await oms_graphql.query(ORDER, {"t": placed["orderToken"]}))["order"]
    assert seen["status"] == "COMPLETED" and seen["lines"] == [{"status": "DELIVERED"}]
    subscription = seen["fulfillments"][0]["details"]["subscription"]
    assert subscription["status"] == "ACTIVE" and subscription["accessKey"] == contract.access_key
    end = dt.datetime.fromisoformat(subscription["currentPeriodEnd"])
    assert end == add_interval(contract.current_period_start, "month", 1, contract.current_period_start.day)
    assert before <= contract.current_period_start <= dt.datetime.now(UTC)

    response = await oms_http.get(f"/entitlements/{contract.access_key}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, max-age=30"
    body = response.json()
    assert body["active"] is True and body["sku"] == "PLAN" and body["status"] == "ACTIVE"
    assert dt.datetime.fromisoformat(body["until"]) == end + dt.timedelta(days=3)  # the grace days
    unknown = await oms_http.get("/entitlements/not-a-key")
    assert unknown.status_code == 404 and unknown.json()["active"] is False
    assert await OrderEvent.filter(type="subscription.activated").count() == 1


async def test_a_paid_renewal_extends_the_period_at_the_current_price(oms_app, oms_graphql, plan):
    placed, contract = await subscribe(oms_app, oms_graphql)
    end = contract.current_period_end
    await Variant.filter(sku="PLAN").update(price=Decimal("21.00"))

    # Not yet: more than a day before the period ends.
    assert (await lifecycle(oms_app, end - dt.timedelta(days=2)))["renewal_orders"] == 0
    assert (await lifecycle(oms_app, end - dt.timedelta(hours=12)))["renewal_orders"] == 1
    assert (await lifecycle(oms_app, end - dt.timedelta(hours=11)))["renewal_orders"] == 0  # once
    contract = await SubscriptionContract.get(id=contract.id)
    renewal = await Order.get(id=contract.renewal_order_id)
    assert renewal.status.value == "PENDING_PAYMENT" and renewal.total == Decimal("21.00")
    assert renewal.email == contract.email
    assert renewal.payment_due_at == end + dt.timedelta(days=3 + PAST_DUE_DAYS)
    assert await access(None, contract, end - dt.timedelta(minutes=1)) is True

    await mark_order_paid(renewal, reference="bank-2", actor="staff@example.com")
    await run_jobs(oms_app)
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.current_period_start == end
    assert contract.current_period_end == add_interval(end, "month", 1, contract.anchor_day)
    assert contract.renewal_order_id is None and contract.renewals == 1
    assert (await Order.get(id=renewal.id)).status.value == "COMPLETED"
    assert await access(None, contract, end + dt.timedelta(days=20)) is True
    for order_id in (renewal.id, contract.order_id):
        types = await OrderEvent.filter(order_id=order_id).values_list("type", flat=True)
        assert "subscription.renewal_created" in types and "subscription.renewed" in types
    # The renewal's fulfillment shows the same contract.
    seen = await oms_graphql.query(
        "query($t: String) { order(token: $t) { fulfillments { details { ... on SubscriptionActivation {"
        " subscription { sku } } } } } }", {"t": renewal.token})
    assert seen["order"]["fulfillments"][0]["details"] == {"subscription": {"sku": "PLAN"}}


async def test_an_unpaid_renewal_makes_it_past_due_then_canceled(oms_app, oms_graphql, oms_http, plan):
    placed, contract = await subscribe(oms_app, oms_graphql)
    end = contract.current_period_end
    await lifecycle(oms_app, end - dt.timedelta(hours=12))
    # The period is over, but the grace days are not: still ACTIVE, access granted.
    assert (await lifecycle(oms_app, end + dt.timedelta(days=2)))["past_due"] == 0
    assert await access(None, contract, end + dt.timedelta(days=2)) is True

    assert (await lifecycle(oms_app, end + dt.timedelta(days=3, seconds=1)))["past_due"] == 1
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.status == SubscriptionStatus.PAST_DUE
    assert await access(None, contract, end + dt.timedelta(days=3, seconds=2)) is False
    assert (await access(oms_http, contract))["active"] is False

    after = end + dt.timedelta(days=3 + PAST_DUE_DAYS, seconds=1)
    assert (await lifecycle(oms_app, after))["canceled"] == 1
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.status == SubscriptionStatus.CANCELED
    renewal = await Order.get(note="Renewal of subscription PLAN")
    assert renewal.status.value == "CANCELED"
    types = await OrderEvent.filter(order_id=contract.order_id).order_by("id").values_list("type", flat=True)
    assert [t for t in types if t.startswith("subscription.")] == [
        "subscription.activated", "subscription.renewal_created", "subscription.past_due", "subscription.canceled"]


async def test_month_end_renews_on_the_last_day_of_february(oms_app, oms_graphql, plan):
    _, contract = await subscribe(oms_app, oms_graphql)
    jan31 = dt.datetime(2027, 1, 31, 9, 30, tzinfo=UTC)
    feb28 = add_interval(jan31, "month", 1, 31)
    await SubscriptionContract.filter(id=contract.id).update(
        current_period_start=jan31, current_period_end=feb28, anchor_day=31)
    assert feb28 == dt.datetime(2027, 2, 28, 9, 30, tzinfo=UTC)
    await lifecycle(oms_app, feb28 - dt.timedelta(hours=1))
    contract = await SubscriptionContract.get(id=contract.id)
    await mark_order_paid(await Order.get(id=contract.renewal_order_id), reference=None, actor="staff@example.com")
    await run_jobs(oms_app)
    contract = await SubscriptionContract.get(id=contract.id)
    assert (contract.current_period_start, contract.current_period_end) == (
        feb28, dt.datetime(2027, 3, 31, 9, 30, tzinfo=UTC))


CANCEL = """mutation($id: ID!, $end: Boolean, $t: String) { cancelSubscription(id: $id, atPeriodEnd: $end, token: $t) {
  subscription { status cancelAtPeriodEnd accessUntil } userErrors { field code message } } }"""


async def test_the_owner_cancels_at_period_end_and_staff_at_once(oms_app, oms_graphql, oms_accounts, plan):
    alice = oms_graphql.as_(oms_accounts.customer)
    _, contract = await subscribe(oms_app, alice, email="alice@example.com")
    mine = (await alice.query("{ me { subscriptions { id sku status } } }"))["me"]["subscriptions"]
    assert [(s["sku"], s["status"]) for s in mine] == [("PLAN", "ACTIVE")]
    sub_id = mine[0]["id"]
    assert (await oms_graphql.as_(oms_accounts.other_customer).query("{ me { subscriptions { id } } }")) == {
        "me": {"subscriptions": []}}

    node = "query($id: ID!) { node(id: $id) { ... on SubscriptionContract { sku } } }"
    assert (await alice.query(node, {"id": sub_id}))["node"] == {"sku": "PLAN"}
    assert (await oms_graphql.as_(oms_accounts.other_customer).query(node, {"id": sub_id}))["node"] is None
    bob = await oms_graphql.as_(oms_accounts.other_customer).query(CANCEL, {"id": sub_id})
    assert bob["cancelSubscription"]["userErrors"][0]["code"] == "NOT_FOUND"
    anonymous = await oms_graphql.query(CANCEL, {"id": sub_id})
    assert anonymous["cancelSubscription"]["userErrors"][0]["code"] == "NOT_FOUND"

    scheduled = (await alice.query(CANCEL, {"id": sub_id}))["cancelSubscription"]
    assert scheduled["userErrors"] == []
    assert scheduled["subscription"]["status"] == "ACTIVE" and scheduled["subscription"]["cancelAtPeriodEnd"] is True
    end = contract.current_period_end
    # No renewal for it; at the period end (not the grace days) it ends.
    assert (await lifecycle(oms_app, end - dt.timedelta(hours=1)))["renewal_orders"] == 0
    assert await access(None, contract, end - dt.timedelta(seconds=1)) is True
    assert (await lifecycle(oms_app, end))["ended"] == 1
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.status == SubscriptionStatus.CANCELED
    assert await access(None, contract, end) is False

    _, other = await subscribe(oms_app, alice, email="alice@example.com", key="second")
    staff = oms_graphql.as_(oms_accounts.staff)

    now = (await staff.query(CANCEL, {"id": to_global_id("SubscriptionContract", other.id), "end": False}))
    assert now["cancelSubscription"]["subscription"]["status"] == "CANCELED"
    assert now["cancelSubscription"]["subscription"]["accessUntil"] is None
    again = await staff.query(CANCEL, {"id": to_global_id("SubscriptionContract", other.id), "end": False})
    assert again["cancelSubscription"]["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_a_guest_cancels_with_the_order_token(oms_app, oms_graphql, plan):
    placed, contract = await subscribe(oms_app, oms_graphql)

    sub_id = to_global_id("SubscriptionContract", contract.id)
    done = await oms_graphql.query(CANCEL, {"id": sub_id, "end": False, "t": placed["orderToken"]})
    assert done["cancelSubscription"]["subscription"]["status"] == "CANCELED"
    event = await OrderEvent.get(type="subscription.canceled")
    assert event.actor == "buyer@example.com"


async def test_reversal_ends_access(oms_app, oms_graphql, oms_http, plan):
    from oms.orders.models import OrderLine

    placed, contract = await subscribe(oms_app, oms_graphql)
    order = await Order.get(number=placed["order"]["number"])
    lines = await OrderLine.filter(order_id=order.id)
    await oms_app.state.plugins.call_owner(
        "oms_reverse", "subscription", order=order, lines=lines, reason="returned", quantities={lines[0].id: 1})
    assert (await access(oms_http, contract))["active"] is False
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.CANCELED


async def test_staff_check_an_access_key_in_graphql(oms_app, oms_graphql, oms_accounts, plan):
    _, contract = await subscribe(oms_app, oms_graphql)
    query = "query($k: String!) { entitlement(accessKey: $k) { active status sku until } }"
    found = (await oms_graphql.as_(oms_accounts.staff).query(query, {"k": contract.access_key}))["entitlement"]
    assert found["active"] is True and found["sku"] == "PLAN"
    denied = await oms_graphql.as_(oms_accounts.customer).execute(query, {"k": contract.access_key})
    assert denied["data"] is None or denied["data"]["entitlement"] is None
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_a_canceled_renewal_order_ends_the_subscription_at_period_end(oms_app, oms_graphql, plan):
    placed, contract = await subscribe(oms_app, oms_graphql)
    end = contract.current_period_end
    await lifecycle(oms_app, end - dt.timedelta(hours=12))
    renewal = await Order.get(id=(await SubscriptionContract.get(id=contract.id)).renewal_order_id)
    canceled = await oms_graphql.query(
        "mutation($id: ID!, $t: String) { cancelOrder(id: $id, token: $t) { order { status } userErrors { code } } }",
        {"id": to_global_id("Order", renewal.id), "t": renewal.token})
    assert canceled["cancelOrder"]["order"]["status"] == "CANCELED"
    contract = await SubscriptionContract.get(id=contract.id)
    assert contract.renewal_order_id is None and contract.cancel_at_period_end is True
    # No second renewal order, and the subscription ends with its period.
    assert (await lifecycle(oms_app, end - dt.timedelta(hours=1)))["renewal_orders"] == 0
    assert (await lifecycle(oms_app, end))["ended"] == 1
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.CANCELED
    assert await Order.filter(note="Renewal of subscription PLAN").count() == 1


async def test_two_plans_in_one_order_are_both_activated(oms_app, oms_graphql, plan):
    await make_product(oms_app, product_type="subscription", sku="PLAN-2", price="5.00",
                       attributes={"interval": "year"})
    placed = await place_paid_order(oms_app, oms_graphql, [("PLAN", 1), ("PLAN-2", 1)])
    seen = (await oms_graphql.query(ORDER, {"t": placed["orderToken"]}))["order"]
    assert seen["status"] == "COMPLETED"
    assert sorted(f["details"]["subscription"]["sku"] for f in seen["fulfillments"]) == ["PLAN", "PLAN-2"]
    assert await SubscriptionContract.filter(status=SubscriptionStatus.ACTIVE).count() == 2


async def test_overlapping_lifecycle_passes_place_one_renewal(oms_app, oms_graphql, plan):
    import asyncio

    _, contract = await subscribe(oms_app, oms_graphql)
    when = contract.current_period_end - dt.timedelta(hours=12)
    state = oms_app.state
    results = await asyncio.gather(*[
        lifecycle_pass(settings=state.settings, plugins=state.plugins, gateway=None, now=when)
        for _ in range(3)
    ])
    assert sum(r["renewal_orders"] for r in results) == 1
    assert await Order.filter(note="Renewal of subscription PLAN").count() == 1
    assert (await SubscriptionContract.get(id=contract.id)).renewal_order_id is not None


async def test_the_periodic_job_runs_the_lifecycle(oms_app, oms_graphql, plan):
    _, contract = await subscribe(oms_app, oms_graphql)
    # Due now: the period ends within the renewal lead.
    await SubscriptionContract.filter(id=contract.id).update(
        current_period_end=dt.datetime.now(UTC) + dt.timedelta(hours=2))
    state = oms_app.state
    jobs = {job.name: job for job in state.plugins.collect("oms_periodic_jobs", settings=state.settings,
                                                           plugins=state.plugins)}
    await jobs["subscription.lifecycle"].run()
    assert (await SubscriptionContract.get(id=contract.id)).renewal_order_id is not None


async def test_an_archived_plan_still_renews_for_its_subscribers_but_is_not_sold(oms_app, oms_graphql, plan):
    from oms.catalog.models import Product

    placed, contract = await subscribe(oms_app, oms_graphql)
    await Product.filter(variants__sku="PLAN").update(archived_at=dt.datetime.now(UTC))

    assert (await lifecycle(oms_app, contract.current_period_end - dt.timedelta(hours=12)))["renewal_orders"] == 1
    contract = await SubscriptionContract.get(id=contract.id)
    renewal = await Order.get(id=contract.renewal_order_id)
    assert renewal.status.value == "PENDING_PAYMENT" and renewal.total == Decimal("19.00")

    refused = await oms_graphql.query(
        "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } userErrors { field code } } }",
        {"i": {"lines": [{"sku": "PLAN", "quantity": 1}], "email": "new@example.com", "idempotencyKey": "new-1"}},
    )
    assert refused["placeOrder"] == {"order": None, "userErrors": [{"field": ["lines", "0", "sku"], "code": "INVALID"}]}
