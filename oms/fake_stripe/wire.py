"""The wire side of the fake: Stripe's form encoding, error bodies, ids and webhook
signatures, and checks of request parameters."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
import secrets
import string
import time
from typing import Any

API_VERSION = "2026-10-28.endive"  # what stripe 16.1.0 sends
CANCELABLE = {"requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"}
ERROR_TYPES = {402: "card_error", 429: "invalid_request_error"}
COMMON_PARAMS = {"expand"}


def sign_event(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe sends with ``payload``:
    ``t=<ts>,v1=<hex HMAC-SHA256(secret, f"{t}.{payload}")>``."""
    body = payload.decode() if isinstance(payload, bytes) else payload
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


@dataclasses.dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, Any]  # query and form parameters, decoded into nested dicts
    headers: dict[str, str]  # names lowercased
    status: int | None = None  # the status the fake answered

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


class StripeAPIError(Exception):
    """Raised by a handler; answered as a Stripe error body. ``replayable=False`` for
    parameter errors, which Stripe does not store under the idempotency key."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        replayable: bool = True,
        **extra: Any,
    ):
        super().__init__(message)
        self.status, self.replayable = status, replayable
        error_type = ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
        self.body = {"error": {"type": error_type, "message": message, **extra}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param


def missing(name: str) -> StripeAPIError:
    return StripeAPIError(
        400, f"Missing required param: {name}.", code="parameter_missing", param=name, replayable=False
    )


def invalid(name: str, message: str, code: str = "parameter_invalid") -> StripeAPIError:
    return StripeAPIError(400, message, code=code, param=name, replayable=False)


def decode_params(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into nested values: ``metadata[order_id]=42`` ->
    ``{"metadata": {"order_id": "42"}}``, ``expand[0]=a`` / ``expand[]=a`` -> lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + re.findall(r"([^\[\]]*)\]", "[" + rest) if rest else [key]
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):  # "a=1&a[b]=2": the later, nested one wins
                child = node[part] = {}
            node = child
        last = parts[-1] or str(len(node))
        node[last] = value
    return lists(root)


def lists(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    items = {k: lists(v) for k, v in value.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def param_positive_int(params: dict[str, Any], name: str) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        raise missing(name)
    if not isinstance(raw, str) or not re.fullmatch(r"-?[0-9]+", raw):
        raise invalid(name, f"Invalid integer: {raw}", "parameter_invalid_integer")
    if int(raw) < 1:
        raise invalid(name, "This value must be greater than or equal to 1.", "amount_too_small")
    return int(raw)


def param_currency(params: dict[str, Any]) -> str:
    raw = params.get("currency")
    if not raw:
        raise missing("currency")
    if not isinstance(raw, str) or not re.fullmatch(r"[A-Za-z]{3}", raw):
        raise invalid("currency", f"Invalid currency: {raw}.")
    return raw.lower()


def param_bool(params: dict[str, Any], name: str) -> bool:
    raw = params.get(name)
    if raw in (None, "", "false"):
        return False
    if raw != "true":
        raise invalid(name, f"Invalid boolean: {raw}")
    return True


def param_metadata(params: dict[str, Any]) -> dict[str, str]:
    metadata = params.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise invalid("metadata", "Invalid object")
    return {k: v for k, v in metadata.items() if v != ""}  # an empty value unsets a key


def unexpected_state(intent: dict[str, Any], action: str) -> StripeAPIError:
    message = f"You cannot {action} this PaymentIntent because it has a status of {intent['status']}."
    return StripeAPIError(400, message, code="payment_intent_unexpected_state", payment_intent=copy(intent))


def new_id(prefix: str) -> str:
    return f"{prefix}_{random(24)}"


def random(length: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


def copy(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value))
