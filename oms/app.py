"""create_app(settings) -> the Starlette application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from tortoise.contrib.starlette import RegisterTortoise

from oms.accounts.services import viewer_from_token
from oms.config import Settings
from oms.db import tortoise_config
from oms.errors import DomainError
from oms.graphql.context import Context
from oms.graphql.schema import build_schema
from oms.http import BodySizeLimit, healthz
from oms.plugins import PluginHost, plugin_model_modules


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

    async def _context_for(self, request: Request | WebSocket, token: str | None) -> Context:
        context = Context(request=request, settings=self.settings, plugins=self.plugins)
        try:
            context.viewer = await viewer_from_token(token, secret=self.settings.secret_key)
        except DomainError as exc:
            context.auth_error = exc
        return context

    async def get_context(self, request: Request | WebSocket, response: Response | None = None) -> Context:
        if isinstance(request, WebSocket):
            # Authenticated in on_ws_connect from the connection params.
            return Context(request=request, settings=self.settings, plugins=self.plugins)
        return await self._context_for(request, _bearer(request.headers.get("authorization")))

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = _bearer(params.get("Authorization") or params.get("authorization"))
        if token:
            authenticated = await self._context_for(context.request, token)
            if authenticated.auth_error is not None:
                raise ConnectionRejectionError({"message": authenticated.auth_error.errors[0].message})
            context.viewer = authenticated.viewer


def create_app(
    settings: Settings | None = None, *, extra_plugins: Sequence[object] = ()
) -> Starlette:
    """The oms ASGI app: ``/graphql`` (POST, GraphiQL on GET, websocket), ``/healthz`` and
    plugin routes. Tortoise is registered in the lifespan; migrations are applied by
    ``oms migrate`` / ``oms serve``, not here."""
    settings = settings or Settings.from_env()
    plugins = PluginHost.load(extra_plugins)
    graphql_app = OmsGraphQL(
        build_schema(settings), settings=settings, plugins=plugins, graphql_ide="graphiql"
    )
    config = tortoise_config(settings, plugin_model_modules(plugins))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=config):
            yield

    routes = [
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_app),
        Route("/healthz", healthz),
        *plugins.collect("oms_routes", settings=settings),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
    )
    app.state.settings = settings
    app.state.plugins = plugins
    return app
