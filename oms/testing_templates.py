"""Schema templates for the test databases of :mod:`oms.testing` (a faster test suite).

``oms_app`` used to run Tortoise's ``generate_schemas`` on every test's new database (SQLite
~0.7 s a test under load, PostgreSQL 0.6-4 s). Now the schema is generated once per pytest
session and per *schema key* into a template database, and each test's still-empty database
is replaced by a copy of it: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL.

The key is everything that decides the schema: the dialect (and the PostgreSQL server), the
ordered model modules of the app's plugins (the installed ones and a test's
``oms_extra_plugins``) with a hash of each module's source, and the hand-written PostgreSQL
indexes. A model module without a source file (made at run time) gets no template: the test
falls back to ``generate_schemas``, as does a database that is no longer empty when
``oms_app`` starts (a fixture migrated it or wrote to it), or a PostgreSQL database that
somebody else holds a connection to.

The templates are dropped (PostgreSQL) or deleted (SQLite) when the session ends. On
PostgreSQL a template is named like the test databases (``OMS_TEST_DATABASE_PREFIX``, a
random suffix), so concurrent sessions on one server never share or drop each other's, and
connections to it are refused once it is built (``ALLOW_CONNECTIONS false``): a database
cannot be copied while a connection is open on it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Set on the ``oms_app`` of a test whose database was copied from a template (tests read it).
COPIED_FROM_TEMPLATE = "oms_schema_from_template"


def _asyncpg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite://`` URL, or None (in-memory, or not SQLite)."""
    from tortoise.backends.base.config_generator import expand_db_url

    if not url.startswith("sqlite://"):
        return None
    file_path = expand_db_url(url)["credentials"].get("file_path")
    if not file_path or file_path == ":memory:":
        return None
    return Path(file_path)


def schema_key(settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]) -> str | None:
    """What decides the schema ``generate_schemas`` makes for these models, hashed; None when
    a model module has no source file to hash (then no template is used)."""
    digest = hashlib.sha256()
    if settings.is_postgres:
        parts = urlsplit(settings.database_url)
        digest.update(f"postgres|{parts.hostname}|{parts.port}|{parts.username}\n".encode())
    else:
        digest.update(b"sqlite\n")
    for name in model_modules:
        module = importlib.import_module(name)
        source = getattr(module, "__file__", None)
        if not source or not Path(source).is_file():
            return None
        digest.update(name.encode() + b"\n" + Path(source).read_bytes() + b"\n")
    for statement in extra_statements:
        digest.update(statement.encode() + b"\n")
    return digest.hexdigest()


async def _generate_schema(settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]) -> None:
    """``generate_schemas`` (then ``extra_statements``) on ``settings.database_url``, in a
    private Tortoise context whose connections are closed on return."""
    from tortoise import Tortoise

    from oms.db import tortoise_config
    from oms.migrate.isolation import isolated_tortoise

    async with isolated_tortoise():
        await Tortoise.init(config=tortoise_config(settings, model_modules))
        try:
            await Tortoise.generate_schemas()
            connection = Tortoise.get_connection("default")
            for statement in extra_statements:
                await connection.execute_script(statement)
        finally:
            await Tortoise.close_connections()


async def _postgres_is_empty(url: str) -> bool:
    """No table, view, sequence or other relation outside the system schemas."""
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_url(url))
    try:
        count = await conn.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        )
    finally:
        await conn.close()
    return count == 0


class SchemaTemplates:
    """The session's templates by schema key (see the module docstring)."""

    def __init__(self) -> None:
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, tuple[str, str]] = {}  # key: (server URL, template database)
        self._directory: Path | None = None

    async def fill(self, settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]) -> bool:
        """Make ``settings.database_url`` a copy of the template of these models, when that
        database is still empty; True when it was copied, False when the caller must make the
        schema itself (nothing was changed then)."""
        key = schema_key(settings, model_modules, extra_statements)
        if key is None:
            return False
        if settings.is_postgres:
            return await self._fill_postgres(key, settings, model_modules, extra_statements)
        return await self._fill_sqlite(key, settings, model_modules, extra_statements)

    async def _fill_sqlite(
        self, key: str, settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]
    ) -> bool:
        target = _sqlite_path(settings.database_url)
        if target is None or (target.exists() and target.stat().st_size > 0):
            return False
        template = self._sqlite.get(key)
        if template is None:
            if self._directory is None:
                self._directory = Path(tempfile.mkdtemp(prefix="oms-schema-templates-"))
            template = self._directory / f"{key[:16]}.sqlite3"
            await _generate_schema(
                dataclasses.replace(settings, database_url=f"sqlite://{template}"), model_modules, extra_statements
            )
            self._sqlite[key] = template
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
        return True

    async def _fill_postgres(
        self, key: str, settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]
    ) -> bool:
        import asyncpg

        from oms.testing import _with_database, create_postgres_database, test_database_url

        url = settings.database_url
        # The server of this database, reached through the administration database.
        server = _with_database(url, _database_name(test_database_url() or "") or "postgres")
        if not await _postgres_is_empty(url):
            return False
        if key not in self._postgres:
            template_url = await create_postgres_database(server)
            try:
                await _generate_schema(
                    dataclasses.replace(settings, database_url=template_url), model_modules, extra_statements
                )
            except BaseException:
                await _drop_postgres(server, _database_name(template_url))
                raise
            self._postgres[key] = (server, _database_name(template_url))
            admin = await asyncpg.connect(_asyncpg_url(server))
            try:
                # Nobody connects to it again (a copy needs it without connections).
                await admin.execute(f'ALTER DATABASE "{self._postgres[key][1]}" WITH ALLOW_CONNECTIONS false')
            finally:
                await admin.close()
        template = self._postgres[key][1]
        name = _database_name(url)
        admin = await asyncpg.connect(_asyncpg_url(server))
        try:
            try:
                await admin.execute(f'DROP DATABASE "{name}"')
            except asyncpg.ObjectInUseError:
                return False  # somebody holds a connection to it: leave it as it is
            try:
                await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            except asyncpg.PostgresError:
                await admin.execute(f'CREATE DATABASE "{name}"')  # empty again, as it was
                return False
        finally:
            await admin.close()
        return True

    async def drop_all(self) -> None:
        """Drop every template made in this session."""
        templates, self._postgres = list(self._postgres.values()), {}
        for server, name in templates:
            await _drop_postgres(server, name)
        self._sqlite = {}
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def names(self) -> list[str]:
        """The PostgreSQL template databases, or SQLite template files, made so far."""
        return [name for _, name in self._postgres.values()] + [str(path) for path in self._sqlite.values()]


async def _drop_postgres(server: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(_asyncpg_url(server))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
