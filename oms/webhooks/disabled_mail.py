"""The staff mail about a webhook endpoint disabled automatically after failing for too
long: the ``staff_webhook_disabled`` message (templates ``email/staff_webhook_disabled.txt``
and ``.html``, overridable like every other message), sent to ``OMS_STAFF_EMAIL`` by the
:data:`oms.webhooks.services.ENDPOINT_DISABLED_JOB` job that disabling the endpoint queues in its transaction.

Without OMS_STAFF_EMAIL nothing is mailed (the log line and the endpoint's
``disabledReason`` still say it). The endpoint's secret is never in the mail.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from oms.config import Settings
from oms.notifications.mail import SMTP_TIMEOUT_SECONDS, Mailer
from oms.notifications.messages import store_context
from oms.notifications.rendering import Renderer
from oms.notifications.sending import compose, new_message_id
from oms.webhooks.models import WebhookEndpoint

logger = logging.getLogger("oms.mail")

ENDPOINT_DISABLED_MESSAGE = "staff_webhook_disabled"


def disabled_context(settings: Settings, endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the ``staff_webhook_disabled`` templates see."""
    return {
        "message": ENDPOINT_DISABLED_MESSAGE,
        "recipient": settings.staff_email,
        "store": store_context(settings),
        "endpoint": {
            "id": endpoint.id,
            "url": endpoint.url,
            "description": endpoint.description,
            "events": list(endpoint.events),
            "disabled_reason": endpoint.disabled_reason,
            "disabled_at": endpoint.disabled_at,
        },
    }


async def send_endpoint_disabled(
    endpoint_id: int, *, settings: Settings, mailer: Mailer, renderer: Renderer
) -> bool:
    """The job: mail staff that the endpoint was disabled; True when a mail went out.
    Nothing when OMS_STAFF_EMAIL is unset, the endpoint is gone, or staff enabled it again
    meanwhile. A failure to send raises (the job is retried)."""
    if not settings.staff_email:
        logger.info("webhook endpoint %s disabled: no OMS_STAFF_EMAIL, not mailed", endpoint_id)
        return False
    endpoint = await WebhookEndpoint.get_or_none(id=endpoint_id)
    if endpoint is None or endpoint.active:
        return False
    # Rendering is a few ms of CPU, in the worker (never on a request).
    rendered = renderer.render(ENDPOINT_DISABLED_MESSAGE, disabled_context(settings, endpoint))
    email = compose(
        settings, to=settings.staff_email, rendered=rendered, message_id=new_message_id(settings), attachments=[]
    )
    await asyncio.wait_for(mailer.send(email), timeout=SMTP_TIMEOUT_SECONDS * 3)
    logger.info("webhook endpoint %s disabled: staff mailed through %s", endpoint.id, mailer.describe())
    return True
