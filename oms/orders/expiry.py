"""Unpaid orders expire after OMS_PAYMENT_TIMEOUT_SECONDS: reservations are released,
plugins undo what they hold, and the gateway's payment session is canceled."""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from oms.orders.models import Order
from oms.orders.services import end_unpaid_order
from oms.orders.status import OrderStatus
from oms.plugins import PluginHost

BATCH = 200


async def expire_unpaid_orders(*, timeout_seconds: int, plugins: PluginHost, now: dt.datetime | None = None) -> int:
    """Expire every order still awaiting payment after ``timeout_seconds``; the count."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=timeout_seconds)
    expired = 0
    while True:
        ids = await Order.filter(status=OrderStatus.PENDING_PAYMENT, created_at__lt=cutoff).order_by("id").limit(
            BATCH
        ).values_list("id", flat=True)
        for order_id in ids:
            expired += await expire_order(order_id, plugins=plugins)
        if len(ids) < BATCH:
            return expired


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
