"""What was mailed: one row per (timeline event, recipient, message), so each is sent once."""

from __future__ import annotations

import enum

from tortoise import fields
from tortoise.models import Model


class SentEmailStatus(str, enum.Enum):
    # Committed before the SMTP server is spoken to: a row still SENDING belongs to an
    # attempt that died without knowing whether the server took the message.
    SENDING = "SENDING"
    SENT = "SENT"
    # A dead attempt's SENDING row found by the retry: maybe delivered, never resent by
    # itself (staff resend it with ``oms email resend ID``).
    UNCERTAIN = "UNCERTAIN"


class SentEmail(Model):
    id = fields.BigIntField(primary_key=True)
    # The timeline event the mail is about (no foreign key: the notifications package
    # stands below orders; the event's order is kept for listing).
    event_id = fields.BigIntField()
    order_id = fields.IntField(db_index=True)
    recipient = fields.CharField(max_length=254)
    # The message's template name, e.g. "shipped".
    template = fields.CharField(max_length=100)
    subject = fields.CharField(max_length=500)
    message_id = fields.CharField(max_length=255)
    status = fields.CharEnumField(SentEmailStatus, max_length=16, default=SentEmailStatus.SENDING)
    # How often staff asked for it again (``oms email resend``); part of the job's dedupe key.
    resends = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sent_email"
        unique_together = (("event_id", "recipient", "template"),)
