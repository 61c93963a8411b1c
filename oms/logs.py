"""Logging: configured once per process, one structured line per request and per job.

``configure_logging(level, fmt)`` sends every logger (uvicorn's included) to stderr as
``text`` (``2026-12-06T22:10:01.123Z INFO oms.http: request method=POST ...``) or ``json``
(one object per line: ``time``, ``level``, ``logger``, ``message`` and the event's fields).
Structured fields are passed as ``logger.info("request", extra={"fields": {...}})``.

Secrets never reach the output: every formatted line (tracebacks included) goes through
:func:`redact`, which masks the values of password and token fields, bearer tokens, JWTs
and the password of URLs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_logger = logging.getLogger("oms.http")

# --- redaction -------------------------------------------------------------------------------

_SECRET_NAMES = r"password|currentPassword|newPassword|token|orderToken|accessKey|secret|authorization"
# name: "value" / name = 'value' / "name": "value" / name: value (GraphQL, JSON, key=value)
_SECRET_FIELD = re.compile(
    rf"""(?P<name>["']?\b(?:{_SECRET_NAMES})\b["']?\s*[:=]\s*)(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,)}}\]]+)""",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[\w.~+/=-]+")
_JWT = re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+")
_URL_PASSWORD = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@", re.IGNORECASE)


# Each pattern above needs one of these in the text, in any case: an ASCII line holding
# none (a request line, usually) is returned as it is, without four passes of regular
# expressions (~40 us a line). Other lines take every pass (Unicode case rules differ).
_TRIGGERS = ("://", "bearer", "eyj", "password", "token", "accesskey", "secret", "authorization")


def redact(text: str) -> str:
    """``text`` with secret values replaced by ``***`` (linear in its length)."""
    if text.isascii():
        lower = text.lower()
        if not any(trigger in lower for trigger in _TRIGGERS):
            return text
    text = _URL_PASSWORD.sub(r"\g<scheme>***@", text)
    text = _BEARER.sub(r"\1 ***", text)
    text = _JWT.sub("***", text)
    return _SECRET_FIELD.sub(lambda m: m.group("name") + _masked(m.group("value")), text)


_SECRET_KEYS = {"password", "currentpassword", "newpassword", "token", "ordertoken", "accesskey", "authorization"}
_SECRET_ARGUMENT = re.compile(rf"\b(?:{_SECRET_NAMES})\s*:\s*\$(\w+)", re.IGNORECASE)


def redact_graphql(body: bytes) -> str:
    """A GraphQL request body for a debug log: secret arguments of the document, variables
    passed to them (``login(password: $p)`` hides ``p``) and secret-named keys masked."""
    try:
        payload = json.loads(body)
    except ValueError:  # cut off or not JSON: the variables may hold anything, drop them
        return redact(body.decode("utf-8", "replace").split('"variables"', 1)[0])
    if not isinstance(payload, dict):
        return "<not a JSON object>"
    query = payload.get("query")
    if not isinstance(query, str):
        query = ""
    secret_variables = {name.lower() for name in _SECRET_ARGUMENT.findall(query)}

    def clean(value: object, key: str = "") -> object:
        if key.lower() in _SECRET_KEYS or key.lower() in secret_variables:
            return "***"
        if isinstance(value, dict):
            return {k: clean(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    variables = payload.get("variables")
    payload["variables"] = (
        {k: clean(v, str(k)) for k, v in variables.items()} if isinstance(variables, dict) else variables
    )
    return redact(json.dumps(payload, default=str))


def _masked(value: str) -> str:
    if value[:1] in ("'", '"'):
        return value[0] + "***" + value[0]
    if value[:1] == "$":  # a GraphQL variable reference, not a secret
        return value
    return "***"


# --- formatting ------------------------------------------------------------------------------


def _timestamp(record: logging.LogRecord) -> str:
    return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _field_text(value: object) -> str:
    """The value bare, or JSON-quoted when it holds a space, quote, '=' or anything not
    printable (a client's path can hold CR, NUL or terminal escapes: never written raw)."""
    text = str(value)
    return json.dumps(text) if (not text or not text.isprintable() or any(c in text for c in ' "=')) else text


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        fields = getattr(record, "fields", None)
        if fields:
            line += " " + " ".join(f"{k}={_field_text(v)}" for k, v in fields.items() if v is not None)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        return redact(line)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Redacted before encoding: JSON escapes would hide the quotes redact() looks for.
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name, value in (getattr(record, "fields", None) or {}).items():
            if value is not None:
                entry[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class QuietFaults(logging.Filter):
    """A database outage or a client that went away is one line, not a traceback (the
    drivers log a traceback per retry; uvicorn one per disconnect)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            from oms.dbfaults import is_unavailable

            exc = record.exc_info[1]
            # CancelledError: a request cut off at the end of the graceful shutdown period.
            if is_unavailable(exc) or isinstance(exc, (ClientDisconnect, asyncio.CancelledError)):
                record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
                record.args = ()
                record.exc_info = None
                record.exc_text = None
        return True


def configure_logging(level: str = "info", fmt: str = "text") -> None:
    """Send all logs to stderr in ``fmt`` at ``level``; uvicorn's loggers go the same way
    (its access log is replaced by :class:`RequestLog`'s line). Idempotent."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(QuietFaults())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(level.upper())
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
    # Libraries that add noise (start/stop lines; at debug, SQL with its values): their
    # warnings only, and their info lines at debug.
    quiet = logging.INFO if root.level <= logging.DEBUG else logging.WARNING
    for name in ("tortoise", "tortoise.db_client", "aiosqlite", "asyncio", "httpcore", "httpx", "multipart"):
        logging.getLogger(name).setLevel(max(quiet, root.level))


# --- one line per request ----------------------------------------------------------------------

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_OPERATION_NAME = re.compile(rb'"operationName"\s*:\s*"([_A-Za-z][_0-9A-Za-z]{0,99})"')
_DOCUMENT_NAME = re.compile(rb'"query"\s*:\s*"\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]{0,99})')
_PEEK_BYTES = 64 * 1024


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` when it is short and plain, else a new one."""
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            if _SAFE_REQUEST_ID.match(text):
                return text
            break
    return uuid.uuid4().hex


def _operation_name(query_string: bytes, body: bytes) -> str | None:
    from urllib.parse import parse_qs

    if query_string:
        names = parse_qs(query_string.decode("latin-1")).get("operationName")
        if names and re.fullmatch(r"[_A-Za-z][_0-9A-Za-z]{0,99}", names[0]):
            return names[0]
        query = parse_qs(query_string.decode("latin-1")).get("query")
        if query:
            found = re.match(r"\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w{0,99})", query[0])
            return found.group(1) if found else None
    named = _OPERATION_NAME.search(body) or _DOCUMENT_NAME.search(body)
    return named.group(1).decode() if named else None


class RequestLog:
    """Pure ASGI middleware (outermost): gives each request an id (``X-Request-ID`` in and
    out; ``request.state.request_id``) and logs one line when it ends: method, path,
    GraphQL operation name, status, duration and outcome. A client that goes away is one
    quiet line, not a traceback."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope.get("headers", []))
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status: int | None = None
        peeked = bytearray()
        outcome = "ok"
        is_graphql = scope.get("path") == "/graphql"

        async def peeking_receive() -> Message:
            message = await receive()
            if is_graphql and message["type"] == "http.request" and len(peeked) < _PEEK_BYTES:
                peeked.extend(message.get("body", b"")[: _PEEK_BYTES - len(peeked)])
            return message

        async def identified_send(message: Message) -> None:
            nonlocal status
            if message["type"] in ("http.response.start", "websocket.http.response.start"):
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            elif message["type"] == "websocket.accept":
                status = 101
            elif message["type"] == "websocket.close" and status is None:
                status = 403
            await send(message)

        try:
            await self.app(scope, peeking_receive, identified_send)
        except (ClientDisconnect, ConnectionResetError, BrokenPipeError):
            outcome = "client_disconnected"
        except asyncio.CancelledError:
            outcome = "cancelled"  # e.g. still running when the shutdown period ended
            raise
        except Exception:
            outcome = "exception"
            status = status or 500
            raise
        finally:
            if outcome == "ok":
                outcome = (
                    "ok"
                    if status is not None and status < 400
                    else ("client_disconnected" if status is None else "client_error" if status < 500 else "error")
                )
            self._log(scope, request_id, status, started, outcome, bytes(peeked) if is_graphql else b"")

    @staticmethod
    def _log(scope: Scope, request_id: str, status: int | None, started: float, outcome: str, body: bytes) -> None:
        fields = {
            "request_id": request_id,
            "method": scope.get("method", "WS"),
            "path": scope.get("path"),
            "operation": (
                _operation_name(scope.get("query_string", b""), body) if scope.get("path") == "/graphql" else None
            ),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "outcome": outcome,
        }
        level = logging.WARNING if outcome in ("error", "exception") else logging.INFO
        request_logger.log(level, "request", extra={"fields": fields})
        if body and request_logger.isEnabledFor(logging.DEBUG):
            # The document and variables, for debugging; redact() masks secrets on output.
            request_logger.debug(
                "graphql body %s", redact_graphql(body)[:4000], extra={"fields": {"request_id": request_id}}
            )
