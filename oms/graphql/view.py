"""The GraphQL endpoint as an ASGI app: Strawberry's view with oms's context (who is
asking), body decoding, self-hosted GraphiQL and websocket authentication."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from pathlib import Path

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from oms.accounts.services import viewer_from_token
from oms.config import Settings
from oms.errors import DomainError
from oms.graphql.context import Context
from oms.graphql.text import MESSAGE, all_storable
from oms.plugins import PluginHost

logger = logging.getLogger("oms.graphql")
# An open websocket's session is checked at least this often (and at its expiry).
WS_SESSION_CHECK_SECONDS = 60.0
_WATCHERS: set[asyncio.Task] = set()


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class OmsGraphQL(GraphQL):
    def __init__(self, schema, *, settings: Settings, plugins: PluginHost, **kwargs):
        super().__init__(schema, **kwargs)
        self.settings = settings
        self.plugins = plugins

    async def run(self, request, *args, **kwargs):  # type: ignore[override]
        try:
            return await super().run(request, *args, **kwargs)
        finally:
            # Files of a multipart upload are spooled to temporary files; Starlette closes
            # them only when asked, and Strawberry does not ask.
            if isinstance(request, Request):
                await request.close()

    def decode_json(self, data: str | bytes) -> object:
        decoded = super().decode_json(data)
        if not all_storable(decoded):
            raise HTTPException(400, MESSAGE)
        return decoded

    def _new_context(self, request: Request | WebSocket) -> Context:
        return Context(
            request=request,
            settings=self.settings,
            plugins=self.plugins,
            gateway=getattr(request.app.state, "gateway", None),
        )

    async def _context_for(self, request: Request | WebSocket, token: str | None) -> Context:
        context = self._new_context(request)
        context.token = token
        try:
            context.viewer = await viewer_from_token(token, secret=self.settings.secret_key)
        except DomainError as exc:
            context.auth_error = exc
        return context

    async def get_context(self, request: Request | WebSocket, response: Response | None = None) -> Context:
        if isinstance(request, WebSocket):
            # Authenticated in on_ws_connect from the connection params.
            return self._new_context(request)
        return await self._context_for(request, _bearer(request.headers.get("authorization")))

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Self-hosted GraphiQL (assets under /static): no CDN, so it works offline.
        return HTMLResponse((Path(__file__).parents[1] / "static/graphiql/index.html").read_text("utf-8"))

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = _bearer(params.get("Authorization") or params.get("authorization"))
        if token:
            authenticated = await self._context_for(context.request, token)
            if authenticated.auth_error is not None:
                raise ConnectionRejectionError({"message": authenticated.auth_error.errors[0].message})
            context.viewer, context.token = authenticated.viewer, token
            # Each operation re-checks the token (SessionRecheck); this ends the socket
            # itself, and so its subscriptions, once the session expires or ends.
            task = asyncio.create_task(self._end_with_session(context), name="oms-ws-session")
            _WATCHERS.add(task)  # a reference, so the task is not garbage-collected
            task.add_done_callback(_WATCHERS.discard)

    async def _end_with_session(self, context: Context) -> None:
        """Close the socket (4403) when its token's session has expired or been ended;
        checked at expiry and at least every WS_SESSION_CHECK_SECONDS meanwhile."""
        websocket = context.request
        while _open(websocket):
            expires = context.viewer.session_expires_at
            wait = WS_SESSION_CHECK_SECONDS
            if expires is not None:
                wait = min(wait, max(0.0, (expires - dt.datetime.now(dt.UTC)).total_seconds()))
            await asyncio.sleep(wait)
            if not _open(websocket) or context.token is None:
                return  # closed, or signed out (logout): nothing left to end
            try:
                context.viewer = await viewer_from_token(context.token, secret=self.settings.secret_key)
            except DomainError as exc:
                with contextlib.suppress(RuntimeError, OSError):
                    await websocket.close(code=4403, reason=exc.errors[0].message[:120])
                return
            except Exception:  # the database is down: try again at the next check
                logger.warning("websocket session check failed", exc_info=True)


def _open(websocket: WebSocket) -> bool:
    return (
        websocket.client_state == WebSocketState.CONNECTED
        and websocket.application_state == WebSocketState.CONNECTED
    )
