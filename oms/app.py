"""create_app(settings) -> the Starlette application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from tortoise.contrib.starlette import RegisterTortoise

from oms.accounts.passwords import configure as configure_password_hashing
from oms.config import Settings
from oms.db import tortoise_config
from oms.graphql.schema import build_schema
from oms.graphql.view import OmsGraphQL
from oms.http import BodySizeLimit, healthz
from oms.jobs.registry import JobRegistry
from oms.jobs.worker import Worker
from oms.payments.gateway import Gateway, gateway_for
from oms.payments.webhooks import stripe_webhook
from oms.plugins import PluginHost, plugin_model_modules
from oms.ratelimit import RateLimiter


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
    app.state.rate_limiter = RateLimiter(settings)  # here, so a bad OMS_RATE_LIMIT_* stops the start
    configure_password_hashing(settings.password_hash_threads)
    return app
