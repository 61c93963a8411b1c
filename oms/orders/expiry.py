"""Unpaid orders expire after OMS_PAYMENT_TIMEOUT_SECONDS: reservations are released,
plugins undo what they hold, and the gateway's payment session is canceled."""

from __future__ import annotations

import datetime as dt
import logging
from typing import cast

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from oms.orders.events import record_event
from oms.orders.models import Order
from oms.orders.services import end_unpaid_order
from oms.orders.status import OrderStatus
from oms.plugins import PluginHost

BATCH = 200
logger = logging.getLogger("oms.orders")


async def expire_unpaid_orders(*, timeout_seconds: int, plugins: PluginHost, now: dt.datetime | None = None) -> int:
    """Expire every order still awaiting payment after ``timeout_seconds`` (or after its
    own ``payment_due_at``); the count."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=timeout_seconds)
    expired = 0
    failed: set[int] = set()
    while True:
        due = Q(payment_due_at__isnull=True, created_at__lt=cutoff) | Q(payment_due_at__lt=now)
        # tortoise types values_list as rows of tuples even with flat=True: these are the ids.
        ids = cast(
            list[int],
            await Order.filter(due, status=OrderStatus.PENDING_PAYMENT, id__not_in=list(failed) or [0])
            .order_by("id")
            .limit(BATCH)
            .values_list("id", flat=True),
        )
        for order_id in ids:
            try:
                expired += await expire_order(order_id, plugins=plugins)
            except Exception as exc:  # one order's plugin must not block every other expiry
                logger.exception("Expiring order %s failed", order_id)
                await _note_failure(order_id, exc)
                failed.add(order_id)
        if len(ids) < BATCH:
            return expired


async def _note_failure(order_id: int, exc: Exception) -> None:
    """Flag an order that could not be expired, once; it is tried again next period."""
    async with in_transaction():
        order = await Order.select_for_update().get_or_none(id=order_id)
        if order is None or order.needs_review:
            return
        await Order.filter(id=order_id).update(needs_review=True)
        await record_event(
            order,
            "order.expiry_failed",
            f"Expiring this unpaid order failed ({type(exc).__name__}: {exc}); retried every period.",
            actor="system",
        )


async def expire_order(order_id: int, *, plugins: PluginHost) -> int:
    """Expire one unpaid order (1), or nothing if it was paid or canceled meanwhile (0)."""
    async with in_transaction():
        order = await Order.select_for_update().get_or_none(id=order_id)
        if order is None or order.status != OrderStatus.PENDING_PAYMENT:
            return 0
        await end_unpaid_order(
            order,
            status=OrderStatus.EXPIRED,
            plugins=plugins,
            event_type="order.expired",
            message=f"Order {order.number} expired unpaid; its reservations were released.",
            actor="system",
        )
    return 1
