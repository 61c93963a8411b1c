"""Transactional email as a core plugin: which mails a committed timeline event sends
(``oms_order_event``), and the ``notification.email`` job that sends each once.

Registered by :mod:`oms.core_plugins`. The ``order.event`` job calling the observer runs
at least once; every mail job has a dedupe key (event, recipient, message), so a repeated
observation queues nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise.transactions import in_transaction

from oms import hookimpl
from oms.config import Settings
from oms.jobs.services import DEFAULT_MAX_ATTEMPTS, enqueue_deduped
from oms.notifications.mail import mailer_for
from oms.notifications.messages import asks_plugins, planned_messages, plugin_messages
from oms.notifications.rendering import renderer_for
from oms.notifications.sending import EMAIL_JOB, deliver_email, email_job, enqueue_email, record_dead_email
from oms.orders.models import Order, OrderEvent
from oms.plugins import PluginHost

# Asks the plugins (``oms_email_content`` with ``message=None``) which of their own
# messages an event the core does not mail about sends; a job, for the hook's settings.
PLUGIN_EMAILS_JOB = "notification.plugin_emails"


async def queue_event_emails(order: Order, event: OrderEvent, *, plugins: PluginHost) -> int:
    """Queue one mail job per (recipient, message) the event calls for; how many."""
    planned = planned_messages(order, event)
    ask = asks_plugins(order, event, plugins)
    if not planned and not ask:
        return 0
    jobs = [email_job(event, item.recipient, item.message) for item in planned]
    if ask:
        jobs.append((PLUGIN_EMAILS_JOB, {"event_id": event.id}, f"email-plugins:{event.id}", DEFAULT_MAX_ATTEMPTS))
    await enqueue_deduped(jobs)
    return len(planned)


async def queue_plugin_emails(event_id: int, *, settings: Settings, plugins: PluginHost) -> None:
    event = await OrderEvent.get_or_none(id=event_id)
    if event is None:
        return
    order = await Order.get(id=event.order_id)
    names = await plugin_messages(order, event, settings, plugins)
    async with in_transaction():
        for name in names:
            await enqueue_email(event, order.email, name)


@hookimpl
def oms_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    mailer = mailer_for(settings)
    renderer = renderer_for(settings, plugins)

    async def email(payload: dict[str, Any]) -> None:
        await deliver_email(payload, settings=settings, plugins=plugins, mailer=mailer, renderer=renderer)

    async def plugin_emails(payload: dict[str, Any]) -> None:
        await queue_plugin_emails(payload["event_id"], settings=settings, plugins=plugins)

    return {EMAIL_JOB: email, PLUGIN_EMAILS_JOB: plugin_emails}


@hookimpl
def oms_dead_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    async def email_dead(payload: dict[str, Any], last_error: str) -> None:
        await record_dead_email(payload, last_error, settings=settings)

    return {EMAIL_JOB: email_dead}


@hookimpl
async def oms_order_event(order: Order, event: OrderEvent, plugins: PluginHost) -> None:
    await queue_event_emails(order, event, plugins=plugins)
