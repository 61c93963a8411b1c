"""create_app(settings) -> the Starlette application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp
from tortoise.contrib.starlette import RegisterTortoise

from oms import media_routes
from oms.accounts.passwords import configure as configure_password_hashing
from oms.config import Settings
from oms.core_plugins import CORE_PLUGINS
from oms.db import tortoise_config
from oms.dbfaults import DatabaseFaults
from oms.graphql.schema import build_schema
from oms.graphql.view import OmsGraphQL
from oms.http import BodySizeLimit, SecurityHeaders, graphiql_csp, healthz
from oms.jobs.registry import JobRegistry
from oms.jobs.worker import Worker
from oms.live.brokers import broker_kind
from oms.live.publish import running_live
from oms.logs import RequestLog, configure_logging
from oms.payments.gateway import Gateway, gateway_for
from oms.payments.webhooks import stripe_webhook
from oms.plugins import PluginHost, plugin_model_modules
from oms.ratelimit import RateLimiter
from oms.reports.http import export_routes
from oms.serving import BodyTimeout
from oms.settings_check import check_settings, startup_notes, with_public_url, with_secret_key

logger = logging.getLogger("oms")


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


def create_app(settings: Settings | None = None, *, extra_plugins: Sequence[object] = ()) -> Starlette:
    """The oms ASGI app: ``/graphql`` (POST, GraphiQL on GET, websocket), ``/healthz`` and
    ``/webhooks/stripe`` and plugin routes. Tortoise is registered in the lifespan, and a job worker runs there
    unless ``settings.run_worker`` is false; migrations are applied by ``oms migrate`` /
    ``oms serve``, not here."""
    settings = settings or Settings.from_env()
    if not logging.getLogger().handlers:  # e.g. `uvicorn --factory oms.app:create_app`
        configure_logging(settings.log_level, settings.log_format)
    explicit_key = bool(settings.secret_key)
    settings = with_secret_key(settings)  # development: a key kept beside the database
    check_settings(settings)
    settings = with_public_url(settings)
    for note in startup_notes(settings, explicit_key):
        logger.info(note)
    broker_kind(settings)  # a bad OMS_LIVE_BROKER stops the start here
    plugins = PluginHost.load(extra_plugins, core_plugins=CORE_PLUGINS)
    graphql_app = OmsGraphQL(
        build_schema(settings, plugins),
        settings=settings,
        plugins=plugins,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        # Staff upload files (a download's file) as GraphQL multipart requests. Safe from
        # cross-site forgery: oms authenticates by a Bearer header, never by a cookie.
        multipart_uploads_enabled=True,
        # Browsers' websockets from these origins (and the same origin) are let in.
        allowed_origins=settings.cors_origin_list,
    )
    config = tortoise_config(settings, plugin_model_modules(plugins))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.stripe_enabled and not settings.stripe_webhook_secret:
            logger.warning(
                "OMS_STRIPE_API_KEY is set but OMS_STRIPE_WEBHOOK_SECRET is not: every Stripe webhook "
                "will be refused (400); set it to the endpoint's signing secret (whsec_...)"
            )
        async with RegisterTortoise(app, config=config), running_live(settings) as app.state.live_hub:
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
        Route("/graphql", _compressed(graphql_app, settings), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_app),
        Route("/healthz", healthz),
        Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
        *export_routes(),
        Mount("/static", StaticFiles(packages=[("oms", "static")]), name="static"),
        *media_routes.ROUTES,
        *plugins.collect("oms_routes", settings=settings),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=_middleware(settings),
    )
    app.state.settings = settings
    app.state.plugins = plugins
    app.state.rate_limiter = RateLimiter(settings)  # here, so a bad OMS_RATE_LIMIT_* stops the start
    configure_password_hashing(settings.password_hash_threads)
    return app


def _compressed(app: ASGIApp, settings: Settings) -> ASGIApp:
    """GraphQL HTTP answers of at least OMS_GZIP_MIN_BYTES, gzip-compressed for clients
    that accept it. Only this route: file downloads (Range), CSV streams and websockets are
    never touched; incremental (multipart/mixed) answers are left as they are too."""
    if settings.gzip_min_bytes <= 0:
        return app
    return GZipMiddleware(
        app,
        minimum_size=settings.gzip_min_bytes,
        # Level 1, nginx's default: half the CPU of level 6 on a page of 100 orders (0.20
        # against 0.39 ms for 29 kB), for an answer ~30 % larger (3.0 against 2.3 kB).
        compresslevel=1,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "multipart/mixed"),
    )


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: the request id and log line see every answer, security headers go on
    every response (CORS ones too), a database outage is a 503, slow bodies a 408."""
    graphiql_page = (Path(__file__).parent / "static/graphiql/index.html").read_text("utf-8")
    middleware = [
        Middleware(RequestLog),
        Middleware(
            SecurityHeaders,
            html_csp=graphiql_csp(graphiql_page),
            hsts=urlsplit(settings.public_url).scheme == "https",
        ),
    ]
    if settings.cors_origin_list:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origin_list,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            )
        )
    return middleware + [
        Middleware(DatabaseFaults),
        Middleware(BodyTimeout, seconds=settings.request_body_timeout_seconds),
        Middleware(
            BodySizeLimit,
            max_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.max_upload_bytes,
            secret_key=settings.secret_key,
        ),
    ]
