"""``oms serve`` and ``oms worker``: the long-running commands, the API server and the job
worker (the rest of ``oms`` is in :mod:`oms.cli`, which registers these)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import socket
import sys
from typing import Any

from oms.cli import CommandError, _check_histories, _migrate, _print_seed, _ready_settings, _seed_if_empty
from oms.config import Settings
from oms.settings_check import LOG_LEVELS


def add_commands(commands: Any) -> None:
    """Register ``serve`` and ``worker`` on ``oms``'s sub-command parser."""
    serve = commands.add_parser("serve", help="apply migrations, seed an empty database, serve the API and run jobs")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        type=str.lower,
        help="default OMS_LOG_LEVEL (info); debug adds GraphQL bodies (secrets redacted)",
    )
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser("worker", help="run jobs (no API) until SIGTERM/SIGINT; start several on PostgreSQL")
    worker.add_argument("--concurrency", type=int, help="handlers at once (default OMS_JOB_CONCURRENCY)")
    worker.add_argument("--batch-size", type=int, help="jobs claimed at once (default OMS_JOB_BATCH_SIZE)")
    worker.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="MODULE",
        help="also register this module as a plugin (repeatable), e.g. for tests",
    )
    worker.add_argument("--log-level", choices=LOG_LEVELS, type=str.lower, help="default OMS_LOG_LEVEL (info)")
    worker.set_defaults(func=cmd_worker)


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything says the server is up."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OverflowError:  # a port outside 0-65535
        sock.close()
        raise CommandError(f"--port {port} is not a port number; use 1-65535") from None
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"{host}:{port} is already in use (another oms or server?); stop it or choose another --port"
            ) from None
        raise CommandError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host and --port") from None
    sock.set_inheritable(True)
    return sock


def _served_url(host: str, port: int) -> str:
    shown = (
        "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else f"[{host}]" if ":" in host else host
    )
    return f"http://{shown}:{port}"


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses
    import logging

    import uvicorn

    from oms.app import create_app
    from oms.db import check_database
    from oms.logs import configure_logging
    from oms.plugins import PluginHost
    from oms.serving import HeaderTimeoutProtocol, set_header_timeout, tune_gc
    from oms.settings_check import mask_url

    log = logging.getLogger("oms")
    asyncio.run(check_database(settings, migrated=False))
    sock = _bind(args.host, args.port)
    try:
        asyncio.run(_migrate(settings))
        # Migrated just now, unless a plugin's migrations are missing from its package.
        _check_histories(settings, PluginHost.load())
        if settings.seed_demo:
            result = asyncio.run(_seed_if_empty(settings, force=False))
            if result is not None:
                _print_seed(result)
        url = _served_url(args.host, args.port)
        if not settings.public_url:
            # Links (downloads, labels, calendar files) follow the address actually served.
            settings = dataclasses.replace(settings, public_url=url)
            if args.host in ("0.0.0.0", "::", ""):
                log.warning("OMS_PUBLIC_URL is not set: links point to %s; set it to the address clients use", url)
        set_header_timeout(settings.request_header_timeout_seconds)
        app = create_app(settings)
        log.info("oms on %s: GraphQL at %s/graphql", mask_url(settings.database_url), url)
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            log_level=args.log_level.lower(),
            # uvicorn annotates int, but waits with asyncio.wait_for: seconds as a float work.
            http=HeaderTimeoutProtocol,
            timeout_graceful_shutdown=settings.shutdown_timeout_seconds,  # type: ignore[arg-type]
            # uvicorn would buffer websocket messages up to 16 MiB before the app sees them.
            ws_max_size=settings.max_ws_message_bytes,
        )
        configure_logging(args.log_level, settings.log_format)  # uvicorn.Config set levels
        tune_gc()
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    import importlib
    import signal

    from tortoise import Tortoise

    from oms.db import tortoise_config
    from oms.jobs.registry import JobRegistry
    from oms.jobs.worker import Worker
    from oms.plugins import PluginHost, plugin_model_modules
    from oms.serving import tune_gc

    try:
        extra = [importlib.import_module(name) for name in args.plugin]
    except ImportError as exc:
        print(f"error: --plugin: {exc}", file=sys.stderr)
        return 2
    from oms.core_plugins import CORE_PLUGINS

    plugins = PluginHost.load(extra, core_plugins=CORE_PLUGINS)
    settings = _ready_settings(settings, migrated=True, warn_public_url=True, plugins=plugins)
    options = {"concurrency": args.concurrency, "batch_size": args.batch_size}
    worker = Worker.from_settings(
        JobRegistry.build(plugins, settings),
        settings,
        **{name: value for name, value in options.items() if value is not None},
    )

    def on_signal() -> None:
        # The first signal stops gracefully; a second one stops at once.
        worker.stop(now=worker.stopping)

    async def work() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, on_signal)
        from oms.live.publish import running_live

        await Tortoise.init(config=tortoise_config(settings, plugin_model_modules(plugins)))
        try:
            # Announces order changes to the API processes' live subscribers (Redis needs a
            # publisher here; PostgreSQL's pg_notify needs nothing).
            async with running_live(settings, listen=False):
                tune_gc()
                await worker.run()
        finally:
            await Tortoise.close_connections()

    asyncio.run(work())
    return 0
