"""The core's job handlers and periodic jobs (kinds the core enqueues itself).

Jobs run at least once, so every handler here is idempotent.
"""

from __future__ import annotations

from typing import Any

from oms.config import Settings
from oms.payments.gateway import Gateway
from oms.plugin_types import PeriodicJob
from oms.plugins import PluginHost


def core_handlers(plugins: PluginHost, settings: Settings, gateway: Gateway | None = None) -> dict:
    """Handlers of the job kinds the core enqueues, by kind."""
    from oms.fulfillment.services import DELIVER_JOB, deliver
    from oms.notifications.mail import mailer_for
    from oms.orders.events import ORDER_EVENT_JOB, notify_observers
    from oms.orders.recovery import ORDER_LINK_JOB, send_order_link
    from oms.payments.gateway import gateway_for
    from oms.payments.services import CANCEL_SESSION_JOB, cancel_session

    async def order_event(payload: dict[str, Any]) -> None:
        await notify_observers(payload["event_id"], plugins=plugins)

    async def order_deliver(payload: dict[str, Any]) -> None:
        await deliver(payload["order_id"], payload["product_type"], plugins=plugins)

    async def payment_cancel_session(payload: dict[str, Any]) -> None:
        if gateway is not None:
            await cancel_session(payload["gateway"], payload["external_id"], gateway=gateway)
            return
        temporary = gateway_for(settings)
        try:
            await cancel_session(payload["gateway"], payload["external_id"], gateway=temporary)
        finally:
            await temporary.aclose()

    async def order_send_link(payload: dict[str, Any]) -> None:
        await send_order_link(payload["order_id"], settings=settings, mailer=mailer_for(settings))

    return {
        ORDER_EVENT_JOB: order_event,
        ORDER_LINK_JOB: order_send_link,
        DELIVER_JOB: order_deliver,
        CANCEL_SESSION_JOB: payment_cancel_session,
    }


def core_dead_handlers(plugins: PluginHost, settings: Settings) -> dict:
    """Called when a job of the kind gives up for good, with its payload and last error."""
    from oms.fulfillment.services import DELIVER_JOB, record_delivery_failure

    async def delivery_dead(payload: dict[str, Any], error: str) -> None:
        await record_delivery_failure(payload["order_id"], payload["product_type"], error)

    return {DELIVER_JOB: delivery_dead}


def core_periodic_jobs(plugins: PluginHost, settings: Settings) -> list[PeriodicJob]:
    from oms.orders.expiry import expire_unpaid_orders

    async def expire() -> None:
        await expire_unpaid_orders(timeout_seconds=settings.payment_timeout_seconds, plugins=plugins)

    # Check often enough that an order expires within ~10% of its timeout.
    every = max(5, min(60, settings.payment_timeout_seconds // 10))
    return [PeriodicJob(name="orders.expire_unpaid", every_seconds=every, run=expire)]
