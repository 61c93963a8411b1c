"""Tortoise configuration: one ``models`` app holding core and plugin models."""

from __future__ import annotations

from typing import Any

from oms.config import Settings

CORE_MODEL_MODULES = [
    "oms.catalog.models",
    "oms.catalog.audit",
    "oms.catalog.image_models",
    "oms.inventory.models",
    "oms.accounts.models",
    "oms.orders.models",
    "oms.jobs.models",
    "oms.payments.models",
    "oms.fulfillment.models",
    "oms.notifications.models",
    "oms.webhooks.models",
    "oms.discounts.models",
    "oms.taxes.models",
    "oms.shipping.models",
]


def model_modules(plugin_modules: list[str] | None = None) -> list[str]:
    if plugin_modules is None:
        from oms.plugins import PluginHost, plugin_model_modules

        plugin_modules = plugin_model_modules(PluginHost.load())
    return CORE_MODEL_MODULES + [m for m in plugin_modules if m not in CORE_MODEL_MODULES]


def db_url_for_tortoise(url: str) -> str:
    # Tortoise names the asyncpg backend "postgres"; accept the common "postgresql" spelling.
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def connection_config(settings: Settings, *, for_migrations: bool = False) -> dict[str, Any]:
    """Tortoise's description of the connection, with every wait bounded (oms.dbclients).

    PostgreSQL: connecting takes at most ``db_connect_timeout_seconds``; a statement, and a
    wait for a pooled connection, at most ``db_command_timeout_seconds`` (client side, and
    ``statement_timeout`` on the server, so a partitioned server stops working too).
    Migrations may run long DDL: no statement limit for them. SQLite: a busy timeout, so a
    second process waits that long for a write lock, then fails instead of hanging.
    """
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(db_url_for_tortoise(settings.database_url))
    credentials = config["credentials"]
    command_ms = int(settings.db_command_timeout_seconds * 1000)
    if "file_path" in credentials:
        credentials.setdefault("busy_timeout", command_ms)
    else:
        credentials.setdefault("timeout", settings.db_connect_timeout_seconds)
        if not for_migrations:
            credentials.setdefault("command_timeout", settings.db_command_timeout_seconds)
            credentials.setdefault("acquire_timeout", settings.db_command_timeout_seconds)
            server_settings = dict(credentials.get("server_settings") or {})
            server_settings.setdefault("statement_timeout", str(command_ms))
            credentials["server_settings"] = server_settings
    config["engine"] = "oms.dbclients"
    return config


def tortoise_config(
    settings: Settings, plugin_modules: list[str] | None = None, *, with_aerich: bool = False
) -> dict[str, Any]:
    modules = model_modules(plugin_modules)
    if with_aerich:
        modules = modules + ["aerich.models"]
    return {
        "connections": {"default": connection_config(settings, for_migrations=with_aerich)},
        "apps": {"models": {"models": modules, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


class DatabaseSetupError(Exception):
    """The database cannot be used as configured; the message says what to do (one line)."""


async def check_database(settings: Settings, *, migrated: bool) -> None:
    """Before a command touches the database: is it there, reachable and (when ``migrated``)
    migrated? Raises :class:`DatabaseSetupError`; creates nothing (no empty SQLite file)."""
    if settings.is_postgres:
        await _check_postgres(settings, migrated=migrated)
    else:
        _check_sqlite(settings, migrated=migrated)


def _check_sqlite(settings: Settings, *, migrated: bool) -> None:
    import sqlite3
    from pathlib import Path

    raw = settings.database_url[len("sqlite://") :]
    if raw == ":memory:":
        return
    path = Path(raw)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise DatabaseSetupError(
            f"OMS_DATABASE_URL: the folder {folder} does not exist; create it (mkdir -p {folder}) or fix the path"
        )
    if not migrated:
        return
    if not path.exists():
        raise DatabaseSetupError(
            f"the database {path.resolve()} does not exist: run `oms migrate` first "
            "(with the same OMS_DATABASE_URL and working directory)"
        )
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=settings.db_command_timeout_seconds)
        try:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='aerich'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseSetupError(f"{path.resolve()} is not a usable SQLite database ({exc})") from None
    if found is None:
        raise DatabaseSetupError(f"the database {path.resolve()} is not migrated: run `oms migrate` first")


async def _check_postgres(settings: Settings, *, migrated: bool) -> None:
    from urllib.parse import urlsplit

    import asyncpg

    from oms.migrate.databases import _asyncpg_dsn

    parts = urlsplit(settings.database_url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    database = parts.path.lstrip("/") or parts.username or "postgres"
    try:
        conn = await asyncpg.connect(_asyncpg_dsn(settings.database_url), timeout=settings.db_connect_timeout_seconds)
    except asyncpg.InvalidCatalogNameError:
        raise DatabaseSetupError(
            f"the database {database!r} does not exist on {where}: create it (createdb {database}), "
            "then run `oms migrate`"
        ) from None
    except (asyncpg.InvalidAuthorizationSpecificationError, asyncpg.InvalidPasswordError) as exc:
        raise DatabaseSetupError(
            f"PostgreSQL at {where} refused the login ({exc}); check the user and password in OMS_DATABASE_URL"
        ) from None
    except (TimeoutError, OSError) as exc:
        reason = str(exc) or "no answer within OMS_DB_CONNECT_TIMEOUT_SECONDS"
        raise DatabaseSetupError(
            f"cannot reach PostgreSQL at {where} ({reason}); is it running, and are the host and port "
            "in OMS_DATABASE_URL right?"
        ) from None
    except asyncpg.PostgresError as exc:
        raise DatabaseSetupError(f"PostgreSQL at {where}: {exc}") from None
    try:
        if migrated and await conn.fetchval("SELECT to_regclass('aerich')") is None:
            raise DatabaseSetupError(f"the database {database!r} on {where} is not migrated: run `oms migrate` first")
    finally:
        await conn.close(timeout=settings.db_connect_timeout_seconds)
