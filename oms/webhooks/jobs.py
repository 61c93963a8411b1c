"""The webhooks' core plugin: each committed timeline event becomes one delivery per
subscribed active endpoint (``oms_order_event``), and the ``webhook.deliver`` job sends
it (``oms_job_handlers``). Registered by :mod:`oms.core_plugins`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.config import Settings
from oms.orders.models import Order, OrderEvent
from oms.plugins import PluginHost
from oms.webhooks.delivery import attempt
from oms.webhooks.services import DELIVERY_JOB, create_deliveries


@hookimpl
async def oms_order_event(order: Order, event: OrderEvent, plugins: PluginHost) -> None:
    await create_deliveries(order, event)


@hookimpl
def oms_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    async def deliver(payload: dict[str, Any]) -> None:
        await attempt(int(payload["delivery_id"]), allow_private=settings.webhooks_allow_private)

    return {DELIVERY_JOB: deliver}
