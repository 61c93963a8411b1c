"""The orders side's jobs, declared the way a plugin declares its own: the timeline's
observer notifications, order-link mails and the periodic expiry of unpaid orders.

Registered by :mod:`oms.core_plugins`; jobs run at least once, so every handler here is
idempotent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.config import Settings
from oms.notifications.mail import mailer_for
from oms.orders.events import ORDER_EVENT_JOB, notify_observers
from oms.orders.expiry import expire_unpaid_orders
from oms.orders.recovery import ORDER_LINK_JOB, send_order_link
from oms.plugin_types import PeriodicJob
from oms.plugins import PluginHost


@hookimpl
def oms_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    async def order_event(payload: dict[str, Any]) -> None:
        await notify_observers(payload["event_id"], plugins=plugins)

    async def order_send_link(payload: dict[str, Any]) -> None:
        await send_order_link(payload["order_id"], settings=settings, mailer=mailer_for(settings))

    return {ORDER_EVENT_JOB: order_event, ORDER_LINK_JOB: order_send_link}


@hookimpl
def oms_periodic_jobs(settings: Settings, plugins: PluginHost) -> list[PeriodicJob]:
    async def expire() -> None:
        await expire_unpaid_orders(timeout_seconds=settings.payment_timeout_seconds, plugins=plugins)

    # Check often enough that an order expires within ~10% of its timeout.
    every = max(5, min(60, settings.payment_timeout_seconds // 10))
    return [PeriodicJob(name="orders.expire_unpaid", every_seconds=every, run=expire)]
