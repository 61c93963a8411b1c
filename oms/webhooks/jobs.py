"""The webhooks' core plugin: each committed timeline event becomes one delivery per
subscribed active endpoint (``oms_order_event``), the ``webhook.deliver`` job sends it,
and the ``webhook.endpoint_disabled_email`` job mails staff about an endpoint disabled
after failing too long (``oms_job_handlers``). Registered by :mod:`oms.core_plugins`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms import hookimpl
from oms.config import Settings
from oms.notifications.mail import mailer_for
from oms.notifications.rendering import renderer_for
from oms.orders.models import Order, OrderEvent
from oms.plugins import PluginHost
from oms.webhooks.delivery import attempt
from oms.webhooks.disabled_mail import send_endpoint_disabled
from oms.webhooks.services import DELIVERY_JOB, ENDPOINT_DISABLED_JOB, create_deliveries


@hookimpl
async def oms_order_event(order: Order, event: OrderEvent, plugins: PluginHost) -> None:
    await create_deliveries(order, event)


@hookimpl
def oms_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    mailer = mailer_for(settings)
    renderer = renderer_for(settings, plugins)

    async def deliver(payload: dict[str, Any]) -> None:
        await attempt(int(payload["delivery_id"]), allow_private=settings.webhooks_allow_private)

    async def endpoint_disabled_email(payload: dict[str, Any]) -> None:
        await send_endpoint_disabled(int(payload["endpoint_id"]), settings=settings, mailer=mailer, renderer=renderer)

    return {DELIVERY_JOB: deliver, ENDPOINT_DISABLED_JOB: endpoint_disabled_email}
