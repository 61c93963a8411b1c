"""A real HTTP receiver for outbound webhooks: uvicorn in a background thread on a
loopback port (the same port across :meth:`Receiver.stop` / :meth:`Receiver.start`, so a
receiver can be down for a while and come back). Used by tests/test_webhooks*.py and
bench/webhook_deliveries.py."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import threading
import time
from typing import Any

import uvicorn


@dataclasses.dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def message(self) -> dict[str, Any]:
        return json.loads(self.body)


class Receiver:
    """Records every POST; answers ``status`` (after ``delay`` seconds, with a body of
    ``body_bytes`` bytes)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.status = 200
        self.delay = 0.0
        self.body_bytes = 2
        self.received: list[Received] = []
        self._lock = threading.Lock()
        probe = socket.socket()
        probe.bind((host, 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hooks"

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.message for r in self.received]

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        with self._lock:
            self.received.append(Received(headers, body))
        if self.delay:
            await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"text/plain")]})
        chunk = b"x" * 65536
        left = self.body_bytes
        while left > len(chunk):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            left -= len(chunk)
        await send({"type": "http.response.body", "body": b"o" * left})

    def start(self, timeout: float = 10.0) -> Receiver:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        config = uvicorn.Config(self.app, log_config=None, log_level=None, access_log=False,
                                lifespan="off", interface="asgi3", loop="asyncio", http="h11", ws="none",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"webhook-receiver-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = self._thread = None
