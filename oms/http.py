"""HTTP plumbing that is not GraphQL: the request-size limit, health and security headers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.connection import get_connection

from oms.asgi import TrackedSend


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether or not they declare a
    Content-Length, before the application reads them all into memory. File uploads
    (multipart/form-data to /graphql with a valid staff token, spooled to disk as they
    arrive) may be up to ``max_upload_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int | None = None, secret_key: str = ""):
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes or max_bytes
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        is_upload = (
            scope.get("path") == "/graphql"
            and headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
            # Only staff upload (files for sale): nobody else can make the server spool a
            # large body to disk. The token (and its live staff session) is checked here, before the body.
            and await self._is_staff(headers.get(b"authorization", b""))
        )
        limit = self.max_upload_bytes if is_upload else self.max_bytes
        await _Limited(self.app, limit)(scope, receive, send)

    async def _is_staff(self, authorization: bytes) -> bool:
        """Whether the header's token belongs to an active staff member's live session
        (one query): a deactivated or signed-out staff token gets the normal limit."""
        from oms.accounts.services import viewer_from_token
        from oms.errors import DomainError

        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        try:
            viewer = await viewer_from_token(token.strip(), secret=self.secret_key)
        except DomainError:
            return False
        except Exception:  # the database is unreachable: no allowance it cannot confirm
            return False
        return viewer.is_staff


class _Limited:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._too_large(scope, receive, send)
                    return
        received = 0
        tracked = TrackedSend(send)

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, tracked)
        except _TooLarge:
            if not tracked.started:
                await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {
                "errors": [
                    {
                        "message": f"Request body larger than {self.max_bytes} bytes.",
                        "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                    }
                ]
            },
            status_code=413,
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


HEALTH_TIMEOUT_SECONDS = 1.5


async def healthz(request: Request) -> JSONResponse:
    """Liveness and database reachability, for load balancers and orchestrators: 503 within
    2 s naming the dependency when the database does not answer."""
    try:
        await asyncio.wait_for(get_connection("default").execute_query("SELECT 1"), HEALTH_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means "not healthy"; say which
        return JSONResponse(
            {"status": "error", "database": "unavailable", "error": type(exc).__name__},
            status_code=503,
            headers={"Retry-After": "5"},
        )
    return JSONResponse({"status": "ok"})


# --- security headers -------------------------------------------------------------------------

# JSON, downloads and everything else: nothing may load or frame it.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def graphiql_csp(page: str) -> str:
    """The CSP of the self-hosted GraphiQL page: its assets from this server, its one inline
    script by hash; inline styles (GraphiQL's editor sets them), API calls to this origin."""
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'" for script in scripts
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


class SecurityHeaders:
    """Pure ASGI middleware adding browser security headers to every response: nosniff, no
    referrer, no framing, a CSP suited to what is served (HTML gets ``html_csp``), and HSTS
    when the public URL is https."""

    def __init__(self, app: ASGIApp, *, html_csp: str, hsts: bool):
        self.app = app
        self.html_csp = html_csp.encode()
        self.common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts:
            self.common.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                is_html = any(
                    name.lower() == b"content-type" and value.lower().startswith(b"text/html")
                    for name, value in headers
                )
                extra = [*self.common, (b"content-security-policy", self.html_csp if is_html else STRICT_CSP.encode())]
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
