"""The subscription lifecycle, run by the periodic job (:func:`run_lifecycle`; tests call
it with a pinned ``now``):

1. A day before the period ends (:data:`RENEWAL_LEAD`) a renewal order is placed for the
   contract, priced as the variant is now. With a payment method saved by a payment
   (Stripe) it is charged off-session at once; otherwise it waits for payment like any
   order (``payOrder``; manual gateway: staff mark it paid).
2. Paid: the delivery job extends the period (``services.activate`` sees the renewal order).
3. Still unpaid when the period and its grace days are over: PAST_DUE, and access ends.
   A saved method is retried once a day (at most :data:`MAX_CHARGE_ATTEMPTS` charges).
4. Still unpaid :data:`PAST_DUE_DAYS` later: CANCELED, and the renewal order canceled.

Every step re-checks the contract under its row lock, taken after the orders' (the
renewal order, then the origin order, then the contract: the lock order of
``oms_subscription.services``, the one delivery and reversal follow), so two passes that
overlap place one renewal order and charge it once, and no step deadlocks with a
cancellation, return or delivery of the same orders.
"""

from __future__ import annotations

import datetime as dt
import logging

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from oms.api import (
    ANONYMOUS,
    CartInput,
    DomainError,
    Gateway,
    LineInput,
    OrderStatus,
    PaymentGatewayError,
    PlaceOrderInput,
    PluginHost,
    Settings,
    Viewer,
    orders,
    payments,
    record_event,
)
from oms.api.models import Customer, Order
from oms_subscription.models import SubscriptionContract, SubscriptionPeriod, SubscriptionStatus
from oms_subscription.services import ACTOR, cancel_renewal_if_unpaid, end_contract, lock_contract, utcnow

RENEWAL_LEAD = dt.timedelta(days=1)
PAST_DUE_DAYS = 3
MAX_CHARGE_ATTEMPTS = 4
RETRY_EVERY = dt.timedelta(days=1)
RENEWAL_RETRY_EVERY = dt.timedelta(hours=1)
BATCH = 200

logger = logging.getLogger("oms.subscription")


async def run_lifecycle(
    *, settings: Settings, plugins: PluginHost, gateway: Gateway | None, now: dt.datetime | None = None
) -> dict[str, int]:
    """One pass of the lifecycle (module docstring); the count of each step. A contract
    whose step fails is logged and tried again next pass."""
    now = now or utcnow()
    counts = {"ended": 0, "renewal_orders": 0, "charges": 0, "past_due": 0, "canceled": 0}
    for contract in await _due(status=SubscriptionStatus.ACTIVE, cancel_at_period_end=True,
                               current_period_end__lte=now):
        counts["ended"] += await _step(_end_at_period_end, contract, now=now, plugins=plugins)
    for contract in await _due(
        Q(renewal_failed_at__isnull=True) | Q(renewal_failed_at__lte=now - RENEWAL_RETRY_EVERY),
        status=SubscriptionStatus.ACTIVE, cancel_at_period_end=False, renewal_order_id=None,
        current_period_end__lte=now + RENEWAL_LEAD,
    ):
        counts["renewal_orders"] += await _step(
            _create_renewal, contract, now=now, settings=settings, plugins=plugins, gateway=gateway
        )
    for contract in await _due(status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE],
                               renewal_order_id__isnull=False, charge_attempts__gte=1,
                               charge_attempts__lt=MAX_CHARGE_ATTEMPTS, last_charge_at__lte=now - RETRY_EVERY):
        counts["charges"] += await _step(_charge_renewal, contract, now=now, gateway=gateway, settings=settings)
    for contract in await _due(status=SubscriptionStatus.ACTIVE, renewal_order_id__isnull=False):
        if contract.current_period_end + dt.timedelta(days=contract.grace_days) <= now:
            counts["past_due"] += await _step(_mark_past_due, contract, now=now)
    for contract in await _due(status=SubscriptionStatus.PAST_DUE):
        if contract.current_period_end + dt.timedelta(days=contract.grace_days + PAST_DUE_DAYS) <= now:
            counts["canceled"] += await _step(_cancel_unpaid, contract, now=now, plugins=plugins)
    return counts


async def _due(*conditions, **filters) -> list[SubscriptionContract]:
    return await SubscriptionContract.filter(*conditions, **filters).order_by("current_period_end", "id").limit(BATCH)


async def _step(step, contract: SubscriptionContract, **kwargs) -> int:
    try:
        return 1 if await step(contract, **kwargs) else 0
    except Exception:  # one contract must not stop the others
        logger.exception("Subscription %s: %s failed", contract.id, step.__name__)
        return 0


async def _locked(contract_id: int) -> SubscriptionContract:
    """The contract alone, locked: only for a transaction that locks no order after it."""
    return await SubscriptionContract.select_for_update().get(id=contract_id)


async def _locked_with_origin(contract_id: int) -> tuple[Order, SubscriptionContract]:
    """The origin order, then the contract, locked (a step that writes to the origin's
    timeline holds it before the contract, as a reversal of the origin does)."""
    locked = await lock_contract(contract_id)
    if locked is None:
        raise LookupError(f"Subscription {contract_id} is gone.")
    return locked


async def _end_at_period_end(contract: SubscriptionContract, *, now: dt.datetime, plugins: PluginHost) -> bool:
    async with in_transaction():
        origin, current = await _locked_with_origin(contract.id)
        if current.status != SubscriptionStatus.ACTIVE or current.current_period_end > now:
            return False
        await end_contract(current, origin, now=now, actor=ACTOR,
                   message=f"Subscription {current.sku} ended at the end of its period, as asked.")
    await cancel_renewal_if_unpaid(current.renewal_order_id, plugins=plugins, actor=ACTOR,
                                    reason="The subscription ended.")
    return True


def renewal_key(contract: SubscriptionContract) -> str:
    return f"subscription-renewal:{contract.id}:{contract.current_period_end.isoformat()}"


def _renewal_due(contract: SubscriptionContract, now: dt.datetime) -> bool:
    return (
        contract.status == SubscriptionStatus.ACTIVE
        and not contract.cancel_at_period_end
        and contract.renewal_order_id is None
        and contract.current_period_end <= now + RENEWAL_LEAD
    )


async def _create_renewal(
    contract: SubscriptionContract, *, now: dt.datetime, settings: Settings, plugins: PluginHost,
    gateway: Gateway | None,
) -> bool:
    """Place the renewal order and link it to the contract; then charge a saved payment
    method, if there is one.

    Safe when two lifecycle passes overlap: the order's idempotency key names the contract
    and the period, and it is linked only if, under the contract's lock, the contract is
    still due for that very period (not renewed, canceled or set to end meanwhile) and
    the order still awaits payment. An order placed for nothing is canceled again."""
    async with in_transaction():
        current = await _locked(contract.id)
        if not _renewal_due(current, now):
            return False
    customer = await Customer.get_or_none(id=current.customer_id) if current.customer_id else None
    viewer = Viewer(customer=customer) if customer else ANONYMOUS
    due = current.current_period_end + dt.timedelta(days=current.grace_days + PAST_DUE_DAYS)
    try:
        placed = await orders.place_order(
            PlaceOrderInput(
                cart=CartInput(lines=[LineInput(current.sku, 1)], email=current.email, renewal=True),
                idempotency_key=renewal_key(current),
                note=f"Renewal of subscription {current.sku}",
                payment_due_at=due,
            ),
            viewer=viewer, plugins=plugins, settings=settings,
        )
    except DomainError as exc:
        await _renewal_failed(current, exc, now=now)
        return False
    linked = False
    async with in_transaction():
        # Orders first, then the contract (the order in which delivery locks them).
        renewal = await Order.select_for_update().get(id=placed.order.id)
        origin, locked = await _locked_with_origin(current.id)
        same_period = locked.current_period_end == current.current_period_end
        if same_period and _renewal_due(locked, now) and renewal.status == OrderStatus.PENDING_PAYMENT:
            await SubscriptionContract.filter(id=locked.id).update(renewal_order_id=renewal.id, renewal_failed_at=None)
            message = (f"Renewal order {renewal.number} placed for subscription {locked.sku}, "
                       f"period ending {locked.current_period_end:%Y-%m-%d %H:%M} UTC.")
            data = {"subscription_id": locked.id, "renewal_order": renewal.number}
            await record_event(origin, "subscription.renewal_created", message, actor=ACTOR, data=data)
            await record_event(renewal, "subscription.renewal_created", message, actor=ACTOR, data=data)
            locked.renewal_order_id = renewal.id
            linked = True
    if not linked:
        if not await SubscriptionContract.exists(renewal_order_id=placed.order.id):
            await cancel_renewal_if_unpaid(placed.order.id, plugins=plugins, actor=ACTOR,
                                            reason="Not needed: the subscription changed meanwhile.")
        return False
    await _charge_renewal(locked, now=now, gateway=gateway, settings=settings)
    return True


async def _renewal_failed(contract: SubscriptionContract, exc: DomainError, *, now: dt.datetime) -> None:
    """The renewal order could not be placed (the plan was deleted, its price no longer
    prices): staff must look; the contract is left alone for an hour."""
    first = contract.renewal_failed_at is None
    await SubscriptionContract.filter(id=contract.id).update(renewal_failed_at=now)
    if first:
        origin = await Order.get(id=contract.order_id)
        async with in_transaction():
            await Order.filter(id=origin.id).update(needs_review=True)
            await record_event(
                origin, "subscription.renewal_failed",
                f"The renewal order of subscription {contract.sku} could not be placed: "
                f"{exc.errors[0].message} Fix the plan; renewal is tried again every hour.",
                actor=ACTOR, data={"subscription_id": contract.id}, staff_only=True,
            )


async def _latest_saved_method(contract: SubscriptionContract) -> payments.SavedPaymentMethod | None:
    """The card of the latest paid period (a renewal paid with a new card replaces the
    first one), else of the order that started the contract."""
    order_ids = await SubscriptionPeriod.filter(contract_id=contract.id).order_by("-id").values_list(
        "order_id", flat=True
    )
    for order_id in [*order_ids, contract.order_id]:
        saved = await payments.saved_payment_method(await Order.get(id=order_id))
        if saved is not None:
            return saved
    return None


async def _claim_charge(contract_id: int, *, now: dt.datetime) -> SubscriptionContract | None:
    """Take the right to charge now, under the contract's lock: the renewal order still
    awaits payment, attempts are left, and the last one was long enough ago. Two passes
    that overlap cannot both charge."""
    async with in_transaction():
        current = await _locked(contract_id)
        if current.renewal_order_id is None or current.charge_attempts >= MAX_CHARGE_ATTEMPTS:
            return None
        if current.last_charge_at is not None and current.last_charge_at > now - RETRY_EVERY:
            return None
        renewal = await Order.get_or_none(id=current.renewal_order_id)
        if renewal is None or renewal.status != OrderStatus.PENDING_PAYMENT:
            return None
        await SubscriptionContract.filter(id=current.id).update(
            charge_attempts=current.charge_attempts + 1, last_charge_at=now
        )
    return current


async def _charge_renewal(
    contract: SubscriptionContract, *, now: dt.datetime, gateway: Gateway | None, settings: Settings
) -> bool:
    """Charge the renewal order off-session with the method the first payment saved.
    False when there is none (the order waits for payment), the charge is not due, or it
    was declined."""
    saved = await _latest_saved_method(contract)
    if saved is None:
        return False
    claimed = await _claim_charge(contract.id, now=now)
    if claimed is None:
        return False
    renewal = await Order.get(id=claimed.renewal_order_id)
    if gateway is None:
        from oms.api import gateway_for

        gateway = temporary = gateway_for(settings)
    else:
        temporary = None
    try:
        await payments.charge_saved_payment_method(renewal, saved, gateway=gateway)
    except (DomainError, PaymentGatewayError):
        # Declined (recorded on the renewal order) or Stripe unreachable: tried again
        # after RETRY_EVERY, up to MAX_CHARGE_ATTEMPTS charges.
        return False
    finally:
        if temporary is not None:
            await temporary.aclose()
    return True


async def _mark_past_due(contract: SubscriptionContract, *, now: dt.datetime) -> bool:
    if contract.renewal_order_id is None:
        return False
    async with in_transaction():
        # Orders first (the renewal, then the origin), then the contract: as delivery does.
        renewal = await Order.select_for_update().get(id=contract.renewal_order_id)
        origin, current = await _locked_with_origin(contract.id)
        if (current.status != SubscriptionStatus.ACTIVE or current.renewal_order_id != renewal.id
                or renewal.status != OrderStatus.PENDING_PAYMENT):
            return False
        await SubscriptionContract.filter(id=current.id).update(status=SubscriptionStatus.PAST_DUE)
        message = (f"Subscription {current.sku} is past due: renewal order {renewal.number} is unpaid "
                   f"after the grace period. Access is suspended until it is paid.")
        data = {"subscription_id": current.id, "renewal_order": renewal.number}
        await record_event(origin, "subscription.past_due", message, actor=ACTOR, data=data)
        await record_event(renewal, "subscription.past_due", message, actor=ACTOR, data=data)
    return True


async def _cancel_unpaid(contract: SubscriptionContract, *, now: dt.datetime, plugins: PluginHost) -> bool:
    async with in_transaction():
        origin, current = await _locked_with_origin(contract.id)
        if current.status != SubscriptionStatus.PAST_DUE:
            return False
        await end_contract(current, origin, now=now, actor=ACTOR,
                   message=f"Subscription {current.sku} canceled: the renewal stayed unpaid.")
    await cancel_renewal_if_unpaid(current.renewal_order_id, plugins=plugins, actor=ACTOR,
                                    reason="The subscription was canceled for non-payment.")
    return True
