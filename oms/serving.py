"""Serving oms with uvicorn so that slow clients cannot hold connections forever.

uvicorn times out an idle keep-alive connection but not a client that sends its request
headers slowly (one line every few seconds: "slowloris"), nor one that never sends
anything after connecting. :class:`HeaderTimeoutProtocol` (uvicorn's httptools protocol)
closes a connection whose request headers are not complete within
``request_header_timeout_seconds`` of its start, answering 408 when nothing else was
sent. :class:`BodyTimeout` (ASGI) answers 408 when a request body chunk does not arrive
within ``request_body_timeout_seconds`` of the previous one.

``oms serve`` uses both. With plain uvicorn::

    uvicorn --factory oms.app:create_app --http oms.serving:HeaderTimeoutProtocol

(the protocol reads ``OMS_REQUEST_HEADER_TIMEOUT_SECONDS`` when ``oms serve`` did not set it).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from oms.asgi import TrackedSend

logger = logging.getLogger("oms.http")
_header_timeout: float | None = None
_TIMEOUT_BODY = b'{"errors":[{"message":"The request headers took too long."}]}'
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


def set_header_timeout(seconds: float) -> None:
    """The header timeout of the connections made from now on (``oms serve`` sets it)."""
    global _header_timeout
    _header_timeout = seconds


def header_timeout() -> float:
    if _header_timeout is None:
        from oms.config import Settings

        raw = os.environ.get("OMS_REQUEST_HEADER_TIMEOUT_SECONDS")
        set_header_timeout(float(raw) if raw else Settings.request_header_timeout_seconds)
    assert _header_timeout is not None
    return _header_timeout


# The collector's thresholds for a long-running oms process (gen0, gen1, gen2). Python's
# default gen0 of 700 allocations runs a young collection ~5 times per orders page; 10,000
# runs it about twice in five pages, and fewer young objects that are alive only for a
# request's length get promoted and scanned again in older generations.
GC_THRESHOLDS = (10_000, 50, 100)


def tune_gc() -> None:
    """For ``oms serve`` and ``oms worker`` once started, not for tests or libraries: the
    objects made so far (modules, the schema, plugins) are moved out of the collector's
    generations (``gc.freeze``), so a full collection no longer walks ~150,000 objects that
    live as long as the process (it took 80-100 ms, every ~35 orders pages: their p99), and
    the thresholds become :data:`GC_THRESHOLDS`. Reference counting still frees what a
    request made; only cyclic garbage waits longer (docs/performance.md, "gc")."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's headers."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(header_timeout(), self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()  # also a connection that never sends a byte

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_timer()  # the next request on a kept-alive connection

    def on_headers_complete(self) -> None:
        self._disarm_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(_TIMEOUT_RESPONSE)
        logger.info(
            "request headers not complete within %ss: connection closed",
            header_timeout(),
            extra={"fields": {"client": f"{self.client[0]}:{self.client[1]}" if self.client else None}},
        )
        self.transport.close()


class _BodyTooSlow(Exception):
    pass


class BodyTimeout:
    """ASGI middleware: each chunk of a request body must arrive within ``seconds`` of the
    previous one (or of the start), else 408. Waiting for a disconnect after the body
    (streaming responses do) is not limited."""

    def __init__(self, app: ASGIApp, seconds: float):
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False
        tracked = TrackedSend(send)

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout(self.seconds):  # no task per chunk, unlike wait_for
                    message = await receive()
            except TimeoutError:
                raise _BodyTooSlow() from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        try:
            await self.app(scope, timed_receive, tracked)
        except _BodyTooSlow:
            logger.info("request body too slow (a chunk took over %ss)", self.seconds)
            if not tracked.started:
                response = JSONResponse(
                    {
                        "errors": [
                            {
                                "message": f"The request body took too long (over {self.seconds:g} s per chunk).",
                                "extensions": {"code": "REQUEST_TIMEOUT"},
                            }
                        ]
                    },
                    status_code=408,
                    headers={"connection": "close"},
                )
                await response(scope, receive, send)
