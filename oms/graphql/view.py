"""The GraphQL endpoint as an ASGI app: Strawberry's view with oms's context (who is
asking), body decoding, self-hosted GraphiQL and websocket authentication."""

from __future__ import annotations

from pathlib import Path

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from oms.accounts.services import viewer_from_token
from oms.config import Settings
from oms.errors import DomainError
from oms.graphql.context import Context
from oms.graphql.text import MESSAGE, all_storable
from oms.plugins import PluginHost


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
            context.viewer = authenticated.viewer
