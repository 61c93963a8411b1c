"""Throwaway databases and the migration lock (PostgreSQL advisory lock)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from oms.migrate.layout import DEFAULT_PG_ADMIN_URL, PG_SCHEMES, dialect_of

_LIBPQ_PARAMS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}


def _asyncpg_dsn(url: str) -> str:
    """A DSN for asyncpg.connect: postgresql scheme, without Tortoise-only parameters
    (``minsize``, ``maxsize``, ``schema``...), which asyncpg would send as server settings."""
    for scheme in PG_SCHEMES:
        if url.startswith(scheme):
            parts = urlsplit("postgresql://" + url[len(scheme) :])
            query = "&".join(item for item in parts.query.split("&") if item.split("=")[0] in _LIBPQ_PARAMS)
            return urlunsplit(parts._replace(query=query))
    raise ValueError(f"Not a PostgreSQL URL: {url!r}")


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


async def _admin_connection(admin_url: str) -> Any:
    """Connect to the server of ``admin_url``: its database, else the ``postgres`` one."""
    import asyncpg

    try:
        return await asyncpg.connect(_asyncpg_dsn(admin_url))
    except asyncpg.InvalidCatalogNameError:
        return await asyncpg.connect(_asyncpg_dsn(_with_database(admin_url, "postgres")))


@contextlib.asynccontextmanager
async def temporary_postgres_database(admin_url: str | None = None, prefix: str = "oms_tmp") -> AsyncIterator[str]:
    """Create an empty, uniquely named database on the server of ``admin_url``
    (default env ``OMS_MIGRATIONS_PG_URL``), yield its URL and drop it afterwards."""
    admin_url = admin_url or os.environ.get("OMS_MIGRATIONS_PG_URL") or DEFAULT_PG_ADMIN_URL
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = await _admin_connection(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield _with_database(admin_url, name)
    finally:
        conn = await _admin_connection(admin_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@contextlib.asynccontextmanager
async def temporary_database(dialect: str, admin_url: str | None = None) -> AsyncIterator[str]:
    """The URL of a brand-new empty database of ``dialect``, removed afterwards."""
    if dialect == "postgres":
        async with temporary_postgres_database(admin_url) as url:
            yield url
    elif dialect == "sqlite":
        with tempfile.TemporaryDirectory(prefix="oms-migrate-") as folder:
            yield f"sqlite://{folder}/db.sqlite3"
    else:
        raise ValueError(f"Unknown dialect {dialect!r}")


@contextlib.asynccontextmanager
async def migration_lock(database_url: str) -> AsyncIterator[None]:
    """On PostgreSQL, one migrating process at a time (e.g. several workers starting)."""
    if dialect_of(database_url) != "postgres":
        yield
        return
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        await conn.execute("SELECT pg_advisory_lock(hashtext('oms.migrate'))")
        yield
    finally:
        await conn.close()  # ends the session, which releases the lock
