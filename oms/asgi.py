"""Small pieces shared by oms's ASGI middleware."""

from __future__ import annotations

from starlette.types import Message, Send


class TrackedSend:
    """``send`` that remembers whether the response has started: once it has, a middleware
    catching an error can no longer answer in the application's place."""

    def __init__(self, send: Send):
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)
