"""The GraphQL websocket with the limits HTTP has: a message over
``settings.max_ws_message_bytes`` closes the socket with 1009 (message too big), a socket
that sends nothing within ``settings.ws_init_timeout_seconds`` is closed with 4408, and
each message is decoded by the view's ``decode_json`` (UTF-8, nesting, number length)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from json import JSONDecodeError
from typing import TYPE_CHECKING, cast

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived

if TYPE_CHECKING:
    from oms.graphql.view import OmsGraphQL

# Longer messages are decoded in a worker thread (see oms.graphql.view).
DECODE_IN_THREAD_ABOVE = 64_000
MESSAGE_TOO_BIG = 1009
INIT_TIMEOUT = 4408


_NEEDS_ID = {"start", "stop", "subscribe", "complete"}
_OPERATION = {"start", "subscribe"}


def well_formed(message: object) -> bool:
    """Whether a decoded message has the shape both protocols' messages share: an object
    with a string ``type``, a string ``id`` where one is needed, and an operation payload
    whose parts have their GraphQL-over-HTTP types."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return False
    kind = message["type"]
    if (kind in _NEEDS_ID or "id" in message) and not isinstance(message.get("id"), str):
        return False
    payload = message.get("payload")
    if kind in _OPERATION:
        return (
            isinstance(payload, dict)
            and isinstance(payload.get("query"), str)
            and isinstance(payload.get("variables"), (dict, type(None)))
            and isinstance(payload.get("operationName"), (str, type(None)))
            and isinstance(payload.get("extensions"), (dict, type(None)))
        )
    return True


class LimitedWebSocketAdapter(ASGIWebSocketAdapter):
    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object, None]:
        settings = cast("OmsGraphQL", self.view).settings  # the adapter of OmsGraphQL only
        # graphql-transport-ws has its own connection_init timer (connection_init_wait_timeout,
        # closes with 4408); this one, a second later, covers the legacy graphql-ws
        # protocol, which has none: the first message must come in time.
        first_wait: float | None = settings.ws_init_timeout_seconds + 1.0
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    message = await asyncio.wait_for(self.ws.receive(), timeout=first_wait)
                except TimeoutError:
                    await self._close(INIT_TIMEOUT, "Connection initialisation timeout")
                    return
                first_wait = None
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None:
                    raise NonTextMessageReceived
                limit = settings.max_ws_message_bytes
                if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
                    await self._close(MESSAGE_TOO_BIG, f"Message larger than {limit} bytes")
                    return
                try:
                    if len(text) > DECODE_IN_THREAD_ABOVE:
                        decoded = await asyncio.to_thread(self.view.decode_json, text)
                    else:
                        decoded = self.view.decode_json(text)
                except JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
                    continue
                if not well_formed(decoded):
                    # Strawberry's handlers index into a message without checking its shape.
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived
                    continue
                yield decoded
        except WebSocketDisconnect:  # the client went away
            pass

    async def _close(self, code: int, reason: str) -> None:
        # The protocol handler may have closed it meanwhile (its own init timer).
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=reason)
