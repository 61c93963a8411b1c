"""Standard Webhooks signing (https://www.standardwebhooks.com), with the
``standardwebhooks`` library: the receiver verifies with the same library or the
documented scheme (README, "Verifying a webhook")."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """A signing secret in the Standard Webhooks format: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def message_id(event_id: int) -> str:
    """The ``webhook-id`` of an event's message: the same on every attempt and endpoint,
    so a receiver can drop a message it already processed."""
    return f"msg_oms_event_{event_id}"


def signed_headers(secret: str, msg_id: str, body: bytes, *, now: dt.datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body`` sent at ``now``:
    ``webhook-signature`` is ``v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>``."""
    signature = Webhook(secret).sign(msg_id, now, body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
