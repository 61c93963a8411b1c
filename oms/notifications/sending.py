"""The ``notification.email`` job: one message about one timeline event to one recipient,
sent once.

The SMTP server and the database cannot share a transaction, so the job commits a
``SentEmail`` row SENDING (with the Message-ID) *before* it speaks to the server:

- the server accepted: the row becomes SENT and the timeline says so (staff only);
- the SMTP client reports a failure (refused, connection lost, timeout): nothing was
  delivered, the row is removed and the job raises, to be retried with backoff; after
  the last attempt the timeline says ``email.failed`` (staff only);
- the process died in between (killed, lease lost): the retry finds the SENDING row and
  cannot know whether the server took the message, so it does not send again. It marks
  the row UNCERTAIN and tells staff on the timeline, who resend it with
  ``oms email resend ID`` when the customer did not get it.
"""

from __future__ import annotations

import asyncio
import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

import aiosmtplib
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.clock import utcnow
from oms.config import Settings
from oms.errors import DomainError, ErrorCode
from oms.jobs.services import enqueue
from oms.notifications.lookup import event_order_and_sent
from oms.notifications.mail import POLICY, SMTP_TIMEOUT_SECONDS, Mailer
from oms.notifications.messages import STAFF, STAFF_EMAIL_FAILED, PreparedContext, prepare_context, store_context
from oms.notifications.models import SentEmail, SentEmailStatus
from oms.notifications.rendering import Rendered, Renderer
from oms.orders.events import event_and_order, record_event, record_event_along
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.plugin_types import EmailAttachment
from oms.plugins import PluginHost

logger = logging.getLogger("oms.mail")

EMAIL_JOB = "notification.email"
# Mail jobs retry for a while (SMTP servers answer 4xx during maintenance): about an hour
# with the worker's backoff.
EMAIL_MAX_ATTEMPTS = 12


def dedupe_key(event_id: int, recipient: str, message: str, resend: int = 0) -> str:
    key = f"email:{event_id}:{recipient.lower()}:{message}"
    return f"{key}:resend-{resend}" if resend else key


def email_job(
    event: OrderEvent, recipient: str, message: str, *, resend: int = 0
) -> tuple[str, dict[str, Any], str, int]:
    """The mail job's ``(kind, payload, dedupe_key, max_attempts)`` (see enqueue_deduped)."""
    payload = {"event_id": event.id, "recipient": recipient, "message": message, "resend": resend}
    return EMAIL_JOB, payload, dedupe_key(event.id, recipient, message, resend), EMAIL_MAX_ATTEMPTS


async def enqueue_email(event: OrderEvent, recipient: str, message: str, *, resend: int = 0) -> None:
    kind, payload, key, attempts = email_job(event, recipient, message, resend=resend)
    await enqueue(kind, payload, dedupe_key=key, max_attempts=attempts)


def compose(
    settings: Settings, *, to: str, rendered: Rendered, message_id: str, attachments: list[EmailAttachment]
) -> EmailMessage:
    email = EmailMessage(policy=POLICY)
    email["From"] = settings.mail_from
    email["To"] = to
    email["Subject"] = rendered.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id
    support = store_context(settings)["support_email"]
    if support and support != parseaddr(settings.mail_from)[1]:
        email["Reply-To"] = support
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        params: dict[str, Any] = {}
        if attachment.content_type == "text/calendar":
            params["params"] = {"method": _ics_method(attachment.data)}
        email.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
            **params,
        )
    return email


def _ics_method(data: bytes) -> str:
    for line in data.splitlines():
        if line.upper().startswith(b"METHOD:"):
            return line.split(b":", 1)[1].strip().decode("ascii", "replace")
    return "PUBLISH"


def new_message_id(settings: Settings) -> str:
    host = urlsplit(settings.public_url).hostname if settings.public_url else None
    return make_msgid(domain=host or "oms.localhost")


async def render_message(
    order: Order,
    event: OrderEvent,
    message: str,
    recipient: str,
    *,
    settings: Settings,
    plugins: PluginHost,
    renderer: Renderer,
    lines: list[OrderLine] | None = None,
) -> tuple[Rendered, PreparedContext]:
    prepared = await prepare_context(
        order, event, message, recipient=recipient, settings=settings, plugins=plugins, lines=lines
    )
    # Templates are CPU work, but small: a few ms, in the worker.
    return renderer.render(message, prepared.context, product_type=prepared.product_type), prepared


async def deliver_email(
    payload: dict[str, Any], *, settings: Settings, plugins: PluginHost, mailer: Mailer, renderer: Renderer
) -> None:
    """The ``notification.email`` job (see the module's docstring)."""
    recipient, message, resend = payload["recipient"], payload["message"], int(payload.get("resend") or 0)
    if recipient == STAFF and not settings.staff_email:
        found = await event_and_order(payload["event_id"])
        if found is not None:
            logger.info("order %s: no OMS_STAFF_EMAIL, staff alert %s not mailed", found[1].number, message)
        return
    if recipient == STAFF:
        recipient = settings.staff_email
    # The event, its order and an earlier attempt's SentEmail row, in one read.
    read = await event_order_and_sent(payload["event_id"], recipient, message)
    if read is None:
        return
    event, order, row, lines = read
    key = {"event_id": event.id, "recipient": recipient, "template": message}

    if row is not None and not await _claim_existing(row, order, resend):
        return
    rendered, prepared = await render_message(
        order, event, message, recipient, settings=settings, plugins=plugins, renderer=renderer, lines=lines
    )
    if row is None:
        try:  # one INSERT, committed before the server is spoken to (no BEGIN/COMMIT needed)
            row = await SentEmail.create(
                **key,
                order_id=order.id,
                subject=rendered.subject,
                message_id=new_message_id(settings),
                status=SentEmailStatus.SENDING,
            )
        except IntegrityError:
            return  # another worker is sending it
    email = compose(
        settings, to=recipient, rendered=rendered, message_id=row.message_id, attachments=prepared.attachments
    )
    try:
        await asyncio.wait_for(mailer.send(email), timeout=SMTP_TIMEOUT_SECONDS * 3)
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        # The client says it failed (refused, connection lost, timed out): not delivered.
        # Undo the claim, then retry. Anything else leaves the row SENDING (uncertain).
        await _release(row, resend)
        raise
    await record_sent(row, order, recipient, rendered.subject)
    logger.info("order %s: mail %r sent to %s through %s", order.number, rendered.subject, recipient, mailer.describe())


async def _claim_existing(row: SentEmail, order: Order, resend: int) -> bool:
    """Whether this run may send ``row``'s message (a staff resend of an UNCERTAIN one)."""
    if row.status == SentEmailStatus.SENDING:
        await mark_uncertain(row, order)
        return False
    if row.status == SentEmailStatus.UNCERTAIN and resend > row.resends:
        claimed = await SentEmail.filter(id=row.id, status=SentEmailStatus.UNCERTAIN, resends=row.resends).update(
            status=SentEmailStatus.SENDING, resends=resend, updated_at=utcnow()
        )
        row.resends = resend
        return bool(claimed)
    return False  # SENT, or UNCERTAIN without a newer resend


async def _release(row: SentEmail, resend: int) -> None:
    if resend:
        await SentEmail.filter(id=row.id, status=SentEmailStatus.SENDING).update(
            status=SentEmailStatus.UNCERTAIN, resends=resend - 1, updated_at=utcnow()
        )
    else:
        await SentEmail.filter(id=row.id, status=SentEmailStatus.SENDING).delete()


# SENT and the email.sent event in one statement on PostgreSQL (no BEGIN/COMMIT: one
# round trip where four were); see record_event_along.
_MARK_SENT = "sent AS (UPDATE sent_email SET status = :sent, sent_at = :now, updated_at = :now WHERE id = :sent_id)"


async def record_sent(row: SentEmail, order: Order, recipient: str, subject: str) -> None:
    message = f"Email '{subject}' sent to {recipient}."
    data = {"subject": subject, "sent_email_id": row.id, "message": row.template, "recipient": recipient}
    if get_connection("default").capabilities.dialect == "postgres":
        await record_event_along(
            order,
            "email.sent",
            message,
            actor=None,
            staff_only=True,
            data=data,
            along=_MARK_SENT,
            sent=SentEmailStatus.SENT.value,
            sent_id=row.id,
        )
        return
    async with in_transaction():
        await SentEmail.filter(id=row.id).update(status=SentEmailStatus.SENT, sent_at=utcnow(), updated_at=utcnow())
        await record_event(order, "email.sent", message, actor=None, staff_only=True, data=data)


async def mark_uncertain(row: SentEmail, order: Order) -> None:
    async with in_transaction():
        updated = await SentEmail.filter(id=row.id, status=SentEmailStatus.SENDING).update(
            status=SentEmailStatus.UNCERTAIN, updated_at=utcnow()
        )
        if updated:
            await record_event(
                order,
                "email.uncertain",
                f"Email '{row.subject}' to {row.recipient}: the sending attempt stopped before the mail "
                f"server's answer was recorded; it may or may not have arrived, and is not sent again by "
                f"itself. To send it again: oms email resend {row.id}",
                actor=None,
                staff_only=True,
                data={"sent_email_id": row.id, "recipient": row.recipient},
            )
    logger.warning(
        "order %s: mail %s to %s is UNCERTAIN (an attempt died mid-send)", order.number, row.template, row.recipient
    )


async def resend_email(sent_email_id: int) -> SentEmail:
    """Queue an UNCERTAIN mail again (staff: ``oms email resend ID``)."""
    async with in_transaction():
        row = await SentEmail.select_for_update().get_or_none(id=sent_email_id)
        if row is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, f"No sent email {sent_email_id}.", ["id"])
        if row.status != SentEmailStatus.UNCERTAIN:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                f"Only an UNCERTAIN email is resent; this one is {row.status.value}.",
                ["id"],
            )
        event = await OrderEvent.get(id=row.event_id)
        await enqueue_email(event, row.recipient, row.template, resend=row.resends + 1)
    return row


async def record_dead_email(payload: dict[str, Any], last_error: str, *, settings: Settings) -> None:
    """A mail job gave up: staff see it on the timeline (and by mail, unless the dead mail
    was itself for staff)."""
    event = await OrderEvent.get_or_none(id=payload["event_id"])
    if event is None:
        return
    summary = (last_error.strip().splitlines() or ["unknown error"])[-1][:500]
    async with in_transaction():
        order = await Order.get(id=event.order_id)
        failed = await record_event(
            order,
            "email.failed",
            f"Email '{payload['message']}' to {payload['recipient']} could not be sent after all retries: "
            f"{summary}. Retry the job (retryJob) once the mail server is fixed.",
            actor=None,
            staff_only=True,
            data={"message": payload["message"], "recipient": payload["recipient"], "error": summary},
        )
        if payload["recipient"] not in (STAFF, settings.staff_email):
            await enqueue_email(failed, STAFF, STAFF_EMAIL_FAILED)
