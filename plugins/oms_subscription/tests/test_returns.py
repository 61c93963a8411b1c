"""The subscription return policy (a cooling-off period from activation), reversal on a
return or a paid cancellation (access ends at once), and the lock order between a
reversal and the subscription's own lifecycle: run concurrently on PostgreSQL, a return
and a renewal or cancelSubscription of the same contract end consistently, never with a
deadlock."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from tortoise.transactions import in_transaction

from oms.errors import DomainError
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.orders.services import reverse_lines
from oms.orders.status import OrderStatus
from oms.testing import make_product, place_paid_order, return_policy, reverse, run_jobs, test_database_url
from oms_subscription import services
from oms_subscription.lifecycle import run_lifecycle
from oms_subscription.models import SubscriptionContract, SubscriptionStatus

UTC = dt.UTC
RENEWAL_NOTE = "Renewal of subscription PLAN"


@pytest.fixture
async def plan(oms_app):
    await make_product(oms_app, product_type="subscription", sku="PLAN", price="19.00",
                       attributes={"interval": "month"})


async def subscribe(oms_app, graphql):
    placed = await place_paid_order(oms_app, graphql, [("PLAN", 1)])
    order = await Order.get(number=placed["order"]["number"])
    line = await OrderLine.get(order_id=order.id)
    return order, line, await SubscriptionContract.get(order_line_id=line.id)


async def ask(oms_app, order, line):
    return await oms_app.state.plugins.call_owner(
        "oms_return_policy", "subscription", order=order, line=line, quantity=1)


async def activated_days_ago(contract, days: float) -> None:
    await SubscriptionContract.filter(id=contract.id).update(
        created_at=dt.datetime.now(UTC) - dt.timedelta(days=days))


async def active(contract) -> bool:
    found = await services.entitlement(contract.access_key)
    assert found is not None
    return found.active


async def test_returned_inside_cooling_off_access_ends(oms_app, oms_graphql, plan):
    order, line, contract = await subscribe(oms_app, oms_graphql)
    await activated_days_ago(contract, 13)
    assert await ask(oms_app, order, line) is None
    assert await active(contract) is True

    await oms_app.state.plugins.call_owner(
        "oms_reverse", "subscription", order=order, lines=[line], reason="returned", quantities={line.id: 1})
    assert await active(contract) is False
    ended = await SubscriptionContract.get(id=contract.id)
    assert ended.status == SubscriptionStatus.CANCELED and ended.ended_at is not None
    event = await OrderEvent.get(order_id=order.id, type="subscription.canceled")
    assert event.message == "Subscription PLAN ended: its order line was returned."


async def test_refused_after_cooling_off(oms_app, oms_graphql, plan):
    order, line, contract = await subscribe(oms_app, oms_graphql)
    await activated_days_ago(contract, 15)
    refusal = await ask(oms_app, order, line)
    assert refusal is not None and refusal.startswith("Subscriptions can be returned within 14 days of activation")
    assert await return_policy(oms_app, line) == refusal


async def test_a_renewal_is_not_returned(oms_app, oms_graphql, plan):
    from oms.payments.services import mark_order_paid

    _, _, contract = await subscribe(oms_app, oms_graphql)
    state = oms_app.state
    await run_lifecycle(settings=state.settings, plugins=state.plugins, gateway=None,
                        now=contract.current_period_end - dt.timedelta(hours=12))
    renewal = await Order.get(note=RENEWAL_NOTE)
    await mark_order_paid(renewal, reference=None, actor="staff@example.com")
    await run_jobs(oms_app)
    line = await OrderLine.get(order_id=renewal.id)
    assert await ask(oms_app, renewal, line) == "A renewal cannot be returned; cancel the subscription instead."


async def test_a_return_cancels_the_unpaid_renewal_order_after_commit(oms_app, oms_graphql, plan):
    order, line, contract = await subscribe(oms_app, oms_graphql)
    state = oms_app.state
    await run_lifecycle(settings=state.settings, plugins=state.plugins, gateway=None,
                        now=contract.current_period_end - dt.timedelta(hours=12))
    renewal = await Order.get(note=RENEWAL_NOTE)
    assert renewal.status == OrderStatus.PENDING_PAYMENT

    await reverse(oms_app, order, [line], "canceled")
    await run_jobs(oms_app)
    assert (await Order.get(id=renewal.id)).status == OrderStatus.CANCELED
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.CANCELED


async def test_zero_units_leave_the_contract_alone(oms_app, oms_graphql, plan):
    order, line, contract = await subscribe(oms_app, oms_graphql)
    await reverse(oms_app, order, [line], "canceled", quantities={line.id: 0})
    assert await active(contract) is True


class TestCoolingOffSetting:
    @pytest.fixture
    def oms_settings(self, oms_settings, monkeypatch):
        monkeypatch.setenv("OMS_SUBSCRIPTION_COOLING_OFF_DAYS", "3")
        return oms_settings

    async def test_three_days(self, oms_app, oms_graphql, plan):
        order, line, contract = await subscribe(oms_app, oms_graphql)
        await activated_days_ago(contract, 2)
        assert await ask(oms_app, order, line) is None
        await activated_days_ago(contract, 4)
        assert (await ask(oms_app, order, line) or "").startswith("Subscriptions can be returned within 3 days")


# -- the lock order, under real concurrency (PostgreSQL: two connections) -------------------


async def _return_holding_the_order(oms_app, order_id: int, locked: asyncio.Event, go: asyncio.Event) -> None:
    """A return as the core runs it: the order locked first, then (once told) the plugin's
    reversal, in one transaction."""
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        locked.set()
        await asyncio.wait_for(go.wait(), timeout=30)
        lines = await OrderLine.filter(order_id=order_id)
        await reverse_lines(order, lines, "returned", oms_app.state.plugins, quantities={lines[0].id: 1})


async def _until(condition, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.05)


async def test_a_return_racing_cancel_subscription_ends_once(oms_app, oms_graphql, plan):
    order, _, contract = await subscribe(oms_app, oms_graphql)
    locked, go = asyncio.Event(), asyncio.Event()
    returning = asyncio.create_task(_return_holding_the_order(oms_app, order.id, locked, go))
    await asyncio.wait_for(locked.wait(), timeout=20)
    canceling = asyncio.create_task(services.cancel_subscription(
        contract.id, at_period_end=False, actor="alice@example.com", plugins=oms_app.state.plugins))
    await asyncio.sleep(0.5)  # cancelSubscription now waits for a lock (the order's, by the rule)
    go.set()
    outcomes = await asyncio.wait_for(asyncio.gather(returning, canceling, return_exceptions=True), timeout=30)

    assert outcomes[0] is None, outcomes[0]  # the return went through, no deadlock
    # cancelSubscription came second and found the subscription ended by the return.
    assert isinstance(outcomes[1], DomainError), outcomes[1]
    assert outcomes[1].errors[0].message == "This subscription is already CANCELED."
    assert (await SubscriptionContract.get(id=contract.id)).status == SubscriptionStatus.CANCELED
    assert await active(contract) is False
    assert await OrderEvent.filter(order_id=order.id, type="subscription.canceled").count() == 1


async def test_a_return_racing_the_renewal_pass_ends_consistently(oms_app, oms_graphql, plan, caplog):
    order, _, contract = await subscribe(oms_app, oms_graphql)
    state = oms_app.state
    locked, go = asyncio.Event(), asyncio.Event()
    returning = asyncio.create_task(_return_holding_the_order(oms_app, order.id, locked, go))
    await asyncio.wait_for(locked.wait(), timeout=20)
    renewing = asyncio.create_task(run_lifecycle(
        settings=state.settings, plugins=state.plugins, gateway=None,
        now=contract.current_period_end - dt.timedelta(hours=12)))
    # On PostgreSQL the pass places the renewal order, then waits for a lock to link it (on
    # SQLite, where transactions run one at a time, it waits for the return's to end).
    if test_database_url() is not None:
        await _until(lambda: Order.filter(note=RENEWAL_NOTE).exists())
    await asyncio.sleep(0.5)
    go.set()
    with caplog.at_level(logging.ERROR, logger="oms.subscription"):
        returned, counts = await asyncio.wait_for(asyncio.gather(returning, renewing), timeout=30)

    assert returned is None
    assert not [r for r in caplog.records if r.name == "oms.subscription"], caplog.text  # no step failed
    assert counts["renewal_orders"] == 0  # the contract ended first: nothing linked
    ended = await SubscriptionContract.get(id=contract.id)
    assert ended.status == SubscriptionStatus.CANCELED and ended.renewal_order_id is None
    # The renewal order placed for nothing was canceled again (on SQLite the pass ran after
    # the return and placed none).
    placed = [o.status for o in await Order.filter(note=RENEWAL_NOTE)]
    assert placed == ([OrderStatus.CANCELED] if test_database_url() is not None else [])
    assert await active(contract) is False
