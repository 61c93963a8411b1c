"""The password-reset mail: the ``password_reset`` message of the notifications package
(templates ``email/password_reset.txt`` and ``.html``, overridable like every other
message), sent by the :data:`oms.accounts.reset.RESET_JOB` job in the worker.

The link is ``OMS_PASSWORD_RESET_URL`` with ``{token}`` replaced by the token, e.g.
``https://shop.example/account/reset?token={token}``; without it the mail gives the token
itself for the storefront's reset form. The token goes into the mail and nowhere else:
not in the job's payload, not in a log line.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from oms.accounts.models import Customer
from oms.accounts.reset import make_reset_token
from oms.config import Settings
from oms.notifications.mail import SMTP_TIMEOUT_SECONDS, Mailer
from oms.notifications.messages import store_context
from oms.notifications.rendering import Renderer
from oms.notifications.sending import compose, new_message_id

logger = logging.getLogger("oms.mail")

PASSWORD_RESET_MESSAGE = "password_reset"
# Messages about an account rather than an order (their templates see no ``order``).
ACCOUNT_MESSAGES = (PASSWORD_RESET_MESSAGE,)


def reset_link(settings: Settings, token: str) -> str | None:
    template = settings.password_reset_url
    return template.replace("{token}", quote(token, safe="")) if template else None


def reset_context(settings: Settings, customer: Customer, token: str) -> dict[str, Any]:
    """What the ``password_reset`` templates see."""
    link = reset_link(settings, token)
    return {
        "message": PASSWORD_RESET_MESSAGE,
        "recipient": customer.email,
        "store": store_context(settings),
        "customer": {"name": customer.name, "email": customer.email},
        "reset_url": link,
        "reset_token": None if link else token,
        "expires_minutes": max(1, settings.password_reset_ttl_seconds // 60),
    }


async def send_password_reset(email: str, *, settings: Settings, mailer: Mailer, renderer: Renderer) -> bool:
    """The reset job: mail a fresh link to the account with ``email``, if there is one.
    True when a mail went out. A failure to send raises (the job is retried)."""
    customer = await Customer.get_or_none(email=email)
    if customer is None:
        logger.info("password reset asked for an address with no account: nothing sent")
        return False
    token = make_reset_token(customer, secret=settings.secret_key, ttl_seconds=settings.password_reset_ttl_seconds)
    # Rendering is a few ms of CPU, in the worker (never on a request).
    rendered = renderer.render(PASSWORD_RESET_MESSAGE, reset_context(settings, customer, token))
    message = compose(
        settings, to=customer.email, rendered=rendered, message_id=new_message_id(settings), attachments=[]
    )
    await asyncio.wait_for(mailer.send(message), timeout=SMTP_TIMEOUT_SECONDS * 3)
    logger.info("password reset mail for customer %s sent through %s", customer.id, mailer.describe())
    return True
