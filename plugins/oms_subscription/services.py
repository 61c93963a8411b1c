"""Subscriptions: activated when paid (a renewal order's payment extends the period),
checked by their access key, canceled by their owner or staff, ended by a reversal.
The renewals themselves: :mod:`oms_subscription.lifecycle`.

Access (``GET /entitlements/{key}``) is granted while the contract is ACTIVE and before
its period end plus the grace days (the period end alone when it ends at period end).

Lock order (docs/architecture.md): a transaction that changes a contract locks the
order it acts on first (the core already has, for a delivery or a reversal), then, when it
is another one, the contract's origin order (the order that started it), and the contract
last (:func:`lock_contract`). A renewal order therefore comes before its origin order,
never after it: a path holding the origin order never waits for its renewal order (a
reversal of the origin leaves canceling the renewal order to a job, after commit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

from tortoise.transactions import in_transaction

from oms.api import (
    DomainError,
    ErrorCode,
    FulfillmentStatus,
    OrderStatus,
    PluginHost,
    PluginSetting,
    SettingsDeclaration,
    enqueue,
    fulfillment,
    orders,
    record_event,
    sql,
    utcnow,
)
from oms.api.models import Order, OrderLine, Variant
from oms_subscription.models import SubscriptionContract, SubscriptionPeriod, SubscriptionStatus
from oms_subscription.periods import add_interval

TYPE_NAME = "subscription"
ACTOR = "subscription"
#: The outbox job that cancels the unpaid renewal order of a contract ended by a reversal.
CANCEL_RENEWAL_JOB = "subscription.cancel_renewal"
SETTINGS_PREFIX = "subscription"
DEFAULT_COOLING_OFF_DAYS = 14


def _days(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError("give a whole number of days, 0 or more") from None
    if not 0 <= value <= 3650:
        raise ValueError("give a whole number of days, 0 or more")
    return value


SETTINGS = SettingsDeclaration(SETTINGS_PREFIX, [
    PluginSetting("cooling_off_days", _days, default=DEFAULT_COOLING_OFF_DAYS,
                  help="days after activation during which a subscription may be returned; 0: never"),
])


# -- locks ------------------------------------------------------------------------------


async def lock_contract(contract_id: int) -> tuple[Order, SubscriptionContract] | None:
    """Lock the contract's origin order, then the contract (the lock order in the module
    docstring), in the caller's transaction; None when there is no such contract. The
    origin order of a contract never changes, so reading it unlocked first is safe."""
    found = await SubscriptionContract.get_or_none(id=contract_id)
    if found is None:
        return None
    origin = await Order.select_for_update().get(id=found.order_id)
    return origin, await SubscriptionContract.select_for_update().get(id=contract_id)


# -- access -----------------------------------------------------------------------------


def access_until(contract: SubscriptionContract) -> dt.datetime | None:
    """Until when the contract grants access, or None when it grants none now."""
    if contract.status != SubscriptionStatus.ACTIVE:
        return None
    if contract.cancel_at_period_end:
        return contract.current_period_end
    return contract.current_period_end + dt.timedelta(days=contract.grace_days)


@dataclasses.dataclass(frozen=True)
class Entitlement:
    active: bool
    status: str
    sku: str
    until: dt.datetime | None


# The hot path of GET /entitlements: one hand-written statement on the unique index (the
# ORM spends several times the query's own cost building it; see docs/performance.md).
_ENTITLEMENT = """
SELECT status, sku, current_period_end, grace_days, cancel_at_period_end
FROM subscription_contract WHERE access_key = :key
"""


async def entitlement(access_key: str, *, now: dt.datetime | None = None) -> Entitlement | None:
    """What the subscribed software needs to know about a key; None for an unknown key."""
    if not access_key or len(access_key) > 64:
        return None
    rows = await sql.fetch(_ENTITLEMENT, key=access_key)
    if not rows:
        return None
    row = rows[0]
    contract = SubscriptionContract(
        status=SubscriptionStatus(row["status"]), sku=row["sku"],
        current_period_end=_aware(row["current_period_end"]), grace_days=row["grace_days"],
        cancel_at_period_end=bool(row["cancel_at_period_end"]),
    )
    now = now or utcnow()
    until = access_until(contract)
    active = until is not None and now < until
    return Entitlement(active=active, status=contract.status.value, sku=contract.sku, until=until if active else None)


def _aware(value: dt.datetime | str) -> dt.datetime:
    """A timestamp from a raw row: asyncpg gives aware datetimes, SQLite ISO text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# -- activation and renewal by payment -----------------------------------------------------


async def activate(order: Order, lines: list[OrderLine], *, now: dt.datetime | None = None) -> None:
    """``oms_deliver``: a paid subscription line starts a contract, ACTIVE for its first
    period; a paid renewal order extends its contract instead. Each line is delivered at
    once, in a fulfillment of its own. Lines already delivered are skipped, so a second run
    does nothing."""
    now = now or utcnow()
    locked = await fulfillment.lock_for_delivery(order.id)
    if locked is None:  # delivered and complete already
        return
    todo = [line for line in lines if fulfillment.remaining(line) > 0]
    if not todo:
        return
    # The order is locked first, then (for a renewal) the origin orders whose timelines
    # get the news, then the contracts: every path that holds these does so in this order
    # (module docstring), so two of them never wait on each other.
    origin_ids = await SubscriptionContract.filter(renewal_order_id=order.id).values_list("order_id", flat=True)
    if origin_ids:
        await Order.select_for_update().filter(id__in=sorted(set(origin_ids))).order_by("id")
    renewing = await SubscriptionContract.select_for_update().filter(renewal_order_id=order.id).order_by("id")
    # Keyed by id; a line whose variant is gone (variant_id None) finds none.
    variants: dict[int | None, Variant] = {
        v.id: v for v in await Variant.filter(id__in=[line.variant_id for line in todo if line.variant_id])
    }
    for index, line in enumerate(todo):
        record = await fulfillment.create_fulfillment(
            locked, TYPE_NAME, {line.id: fulfillment.remaining(line)}, status=FulfillmentStatus.IN_PROGRESS
        )
        if renewing:  # a renewal order has one line per contract it renews
            await _extend(renewing[min(index, len(renewing) - 1)], locked, record.id)
        else:
            await _start(locked, line, variants.get(line.variant_id), record.id, now)
        await fulfillment.mark_delivered(locked, record, actor=ACTOR)


async def _start(order: Order, line: OrderLine, variant: Variant | None, fulfillment_id: int, now: dt.datetime) -> None:
    attributes = (variant.attributes if variant else None) or {}
    if "interval" not in attributes:
        raise RuntimeError(f"{line.sku} has no plan interval; fix the variant, then retry the delivery job.")
    interval, count = attributes["interval"], attributes.get("interval_count", 1)
    # A trial delays the first period: the plan starts, and is anchored, when it ends.
    starts = now + dt.timedelta(days=attributes.get("trial_days", 0))
    ends = add_interval(starts, interval, count, starts.day)
    contract = await SubscriptionContract.create(
        order_id=order.id, order_line_id=line.id, customer_id=order.customer_id, email=order.email,
        variant_id=line.variant_id, sku=line.sku, status=SubscriptionStatus.ACTIVE,
        interval=interval, interval_count=count, anchor_day=starts.day,
        grace_days=attributes.get("grace_days", 0),
        current_period_start=now, current_period_end=ends,
        access_key=secrets.token_urlsafe(32),
    )
    await SubscriptionPeriod.create(
        contract_id=contract.id, fulfillment_id=fulfillment_id, order_id=order.id, starts_at=now, ends_at=ends
    )
    await record_event(
        order, "subscription.activated",
        f"Subscription {line.sku} active until {ends:%Y-%m-%d %H:%M} UTC.",
        actor=ACTOR, data={"subscription_id": contract.id, "fulfillment_id": fulfillment_id,
                           "period_end": ends.isoformat()},
    )


async def _extend(contract: SubscriptionContract, renewal: Order, fulfillment_id: int) -> None:
    origin = await Order.get(id=contract.order_id)
    if contract.status not in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE):
        # Paid after the contract ended: staff refund it or revive the contract.
        await Order.filter(id=renewal.id).update(needs_review=True)
        await record_event(
            renewal, "subscription.renewal_after_end",
            f"Renewal paid after subscription {contract.sku} was {contract.status.value.lower()}: refund it.",
            actor=ACTOR, data={"subscription_id": contract.id}, staff_only=True,
        )
        return
    start = contract.current_period_end
    end = add_interval(start, contract.interval, contract.interval_count, contract.anchor_day)
    await SubscriptionContract.filter(id=contract.id).update(
        status=SubscriptionStatus.ACTIVE, current_period_start=start, current_period_end=end,
        renewal_order_id=None, renewals=contract.renewals + 1, charge_attempts=0,
    )
    await SubscriptionPeriod.create(
        contract_id=contract.id, fulfillment_id=fulfillment_id, order_id=renewal.id, starts_at=start, ends_at=end
    )
    message = f"Subscription {contract.sku} renewed until {end:%Y-%m-%d %H:%M} UTC (order {renewal.number})."
    data = {"subscription_id": contract.id, "renewal_order": renewal.number, "period_end": end.isoformat(),
            "fulfillment_id": fulfillment_id}
    await record_event(renewal, "subscription.renewed", message, actor=ACTOR, data=data)
    await record_event(origin, "subscription.renewed", message, actor=ACTOR, data=data)


# -- the owner's and staff's actions -------------------------------------------------------


async def cancel_subscription(
    contract_id: int, *, at_period_end: bool, actor: str, plugins: PluginHost, now: dt.datetime | None = None
) -> SubscriptionContract:
    """End a subscription now (access ends, an unpaid renewal order is canceled) or at
    the end of the period paid for (no renewal)."""
    now = now or utcnow()
    async with in_transaction():
        locked = await lock_contract(contract_id)
        if locked is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Subscription not found.", ["id"])
        origin, contract = locked
        if contract.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.EXPIRED):
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION, f"This subscription is already {contract.status.value}.", ["id"]
            )
        if at_period_end:
            await SubscriptionContract.filter(id=contract.id).update(cancel_at_period_end=True)
            await record_event(
                origin, "subscription.cancel_scheduled",
                f"Subscription {contract.sku} ends at the end of its period, "
                f"{contract.current_period_end:%Y-%m-%d %H:%M} UTC.",
                actor=actor, data={"subscription_id": contract.id},
            )
        else:
            await end_contract(contract, origin, now=now, message=f"Subscription {contract.sku} canceled.", actor=actor)
    await cancel_renewal_if_unpaid(contract.renewal_order_id, plugins=plugins, actor=actor,
                                    reason="The subscription was canceled.")
    return await SubscriptionContract.get(id=contract_id)


async def end_contract(contract: SubscriptionContract, origin: Order, *, now: dt.datetime, message: str, actor: str,
               status: SubscriptionStatus = SubscriptionStatus.CANCELED, event: str = "subscription.canceled") -> None:
    await SubscriptionContract.filter(id=contract.id).update(status=status, ended_at=now)
    await record_event(origin, event, message, actor=actor, data={"subscription_id": contract.id})


async def cancel_renewal_if_unpaid(order_id: int | None, *, plugins: PluginHost, actor: str, reason: str) -> None:
    if order_id is None:
        return
    renewal = await Order.get_or_none(id=order_id)
    if renewal is None or renewal.status != OrderStatus.PENDING_PAYMENT:
        return
    try:
        await orders.cancel_order(renewal, actor=actor, reason=reason, plugins=plugins)
    except DomainError:  # paid or ended meanwhile: nothing to cancel
        pass


async def reverse(
    order: Order, lines: list[OrderLine], reason: str, quantities: dict[int, int] | None = None
) -> None:
    """``oms_reverse``: a canceled or returned subscription line ends its contract at once
    (access ends; an unpaid renewal order is canceled by a job after commit); a canceled
    (or expired) renewal order means the contract ends at its period end. A line is
    reversed when ``quantities`` names at least one of its units (it has one). Runs in
    the core's transaction with ``order`` locked; then the origin order, then the
    contract (:func:`lock_contract`)."""
    now = utcnow()
    for found in await SubscriptionContract.filter(renewal_order_id=order.id).order_by("id"):
        # The renewal order was canceled (by its customer, or as the contract ended): no
        # renewal this period, so the subscription ends when the period paid for does.
        locked = await lock_contract(found.id)
        if locked is None:
            continue
        origin, contract = locked
        if contract.renewal_order_id != order.id:
            continue
        await SubscriptionContract.filter(id=contract.id).update(renewal_order_id=None, cancel_at_period_end=True)
        if contract.status == SubscriptionStatus.ACTIVE and not contract.cancel_at_period_end:
            await record_event(
                origin, "subscription.cancel_scheduled",
                f"Renewal order {order.number} was {reason}: subscription {contract.sku} ends at the end "
                f"of its period, {contract.current_period_end:%Y-%m-%d %H:%M} UTC.",
                actor=ACTOR, data={"subscription_id": contract.id, "renewal_order": order.number},
            )
    reversed_ids = [line.id for line in lines if quantities is None or quantities.get(line.id, line.quantity) > 0]
    if not reversed_ids:
        return
    # Lines of a renewal order have no contract of their own (order_line is the first line).
    for found in await SubscriptionContract.filter(order_line_id__in=reversed_ids).order_by("id"):
        locked = await lock_contract(found.id)  # the origin is ``order``: locked already
        if locked is None:
            continue
        origin, contract = locked
        if contract.status not in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE):
            continue
        await end_contract(contract, origin, now=now, actor=ACTOR,
                           message=f"Subscription {contract.sku} ended: its order line was {reason}.")
        if contract.renewal_order_id is not None:
            # Canceling it here would lock the renewal order after its origin (the
            # opposite of the lock order): a job does it once this has committed.
            await enqueue(CANCEL_RENEWAL_JOB, {"order_id": contract.renewal_order_id},
                          dedupe_key=f"{CANCEL_RENEWAL_JOB}:{contract.renewal_order_id}")


# -- returns ----------------------------------------------------------------------------


async def return_policy(
    order: Order, line: OrderLine, *, cooling_off_days: int, now: dt.datetime | None = None
) -> str | None:
    """``oms_return_policy``: a subscription may be returned within its cooling-off
    period (``cooling_off_days`` from activation); returning it ends access at once. A
    renewal is not returned: its owner cancels the subscription instead."""
    now = now or utcnow()
    contract = await SubscriptionContract.get_or_none(order_line_id=line.id)
    if contract is None:
        if await SubscriptionPeriod.exists(order_id=order.id):
            return "A renewal cannot be returned; cancel the subscription instead."
        return None  # never activated: nothing to refuse
    if cooling_off_days <= 0:
        return "Subscriptions cannot be returned; cancel the subscription instead."
    ends = contract.created_at + dt.timedelta(days=cooling_off_days)
    if now >= ends:
        return (f"Subscriptions can be returned within {cooling_off_days} days of activation; "
                f"this one was activated on {contract.created_at:%Y-%m-%d}.")
    return None
