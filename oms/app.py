"""create_app(settings) -> the Starlette application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from cross_web import HTTPException
from tortoise.contrib.starlette import RegisterTortoise

from oms.accounts.services import viewer_from_token
from oms.config import Settings
from oms.db import tortoise_config
from oms.errors import DomainError
from oms.graphql.context import Context
from oms.graphql.schema import build_schema
from oms.graphql.text import MESSAGE, all_storable
from oms.http import BodySizeLimit, healthz
from oms.jobs.registry import JobRegistry
from oms.jobs.worker import Worker
from oms.payments.gateway import Gateway, gateway_for
from oms.payments.webhooks import stripe_webhook
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
        return HTMLResponse((Path(__file__).parent / "static/graphiql/index.html").read_text("utf-8"))

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = _bearer(params.get("Authorization") or params.get("authorization"))
        if token:
            authenticated = await self._context_for(context.request, token)
            if authenticated.auth_error is not None:
                raise ConnectionRejectionError({"message": authenticated.auth_error.errors[0].message})
            context.viewer = authenticated.viewer


@contextlib.asynccontextmanager
async def running_worker(
    plugins: PluginHost, settings: Settings, gateway: Gateway | None = None
) -> AsyncIterator[Worker]:
    """A job worker running in the background of the block; stopped gracefully after it."""
    worker = Worker.from_settings(JobRegistry.build(plugins, settings, gateway=gateway), settings)
    task = asyncio.create_task(worker.run(), name="oms-job-worker")
    try:
        yield worker
    finally:
        worker.stop()
        await task


def create_app(
    settings: Settings | None = None, *, extra_plugins: Sequence[object] = ()
) -> Starlette:
    """The oms ASGI app: ``/graphql`` (POST, GraphiQL on GET, websocket), ``/healthz`` and
    ``/webhooks/stripe`` and plugin routes. Tortoise is registered in the lifespan, and a job worker runs there
    unless ``settings.run_worker`` is false; migrations are applied by ``oms migrate`` /
    ``oms serve``, not here."""
    settings = settings or Settings.from_env()
    if len(settings.secret_key) < 16:
        raise ValueError("The secret key (OMS_SECRET_KEY) must have at least 16 characters.")
    plugins = PluginHost.load(extra_plugins)
    graphql_app = OmsGraphQL(
        build_schema(settings, plugins), settings=settings, plugins=plugins, graphql_ide="graphiql",
        # Staff upload files (a download's file) as GraphQL multipart requests. Safe from
        # cross-site forgery: oms authenticates by a Bearer header, never by a cookie.
        multipart_uploads_enabled=True,
    )
    config = tortoise_config(settings, plugin_model_modules(plugins))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=config):
            # The gateway's HTTP client belongs to this event loop: made and closed here.
            app.state.gateway = gateway_for(settings)
            try:
                if not settings.run_worker:
                    yield
                    return
                async with running_worker(plugins, settings, app.state.gateway) as app.state.worker:
                    yield
            finally:
                await app.state.gateway.aclose()

    routes = [
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_app),
        Route("/healthz", healthz),
        Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("oms", "static")]), name="static"),
        *plugins.collect("oms_routes", settings=settings),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(
                BodySizeLimit, max_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes,
                secret_key=settings.secret_key,
            )
        ],
    )
    app.state.settings = settings
    app.state.plugins = plugins
    return app
