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

On PostgreSQL the copy is made under a new name and swapped in by two renames: dropping the
empty database would cost ~1-3 s on a busy server (``DROP DATABASE`` waits for every
backend), a rename nothing. The empty database swapped out, checked to be as ``CREATE
DATABASE`` made it, is kept as a *spare* and handed out by the next ``oms_database_url``
instead of a new one, so a test still costs one ``DROP DATABASE`` (its own, at its end).

The templates and spares are dropped (PostgreSQL) or deleted (SQLite) when the session ends. On
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

from oms.testing import _with_database, create_postgres_database, new_postgres_database_url, test_database_url


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


def _own(column: str) -> str:
    return f"{column} !~ '^pg_' AND {column} <> 'information_schema'"


_NOT_EMPTY = f"""
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_own("n.nspname")})
     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_own("n.nspname")})
     + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {_own("n.nspname")})
     + (SELECT count(*) FROM pg_namespace WHERE {_own("nspname")} AND nspname <> 'public')
     + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')
     + (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database())
"""


async def _postgres_is_empty(url: str) -> bool:
    """As ``CREATE DATABASE`` made it: no relation, function, type, schema, extension or
    setting of its own."""
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_url(url))
    try:
        return await conn.fetchval(_NOT_EMPTY) == 0
    finally:
        await conn.close()


class SchemaTemplates:
    """The session's templates by schema key (see the module docstring)."""

    def __init__(self) -> None:
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, tuple[str, str]] = {}  # key: (server URL, template database)
        self._spares: list[tuple[str, str]] = []  # empty databases: (server URL, name)
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
        """Swap the empty database for a copy of the template under its name: the copy is made
        under a new name and the two are renamed (a ``DROP DATABASE`` costs ~1-3 s on a busy
        server, a rename nothing). The empty one is kept, still empty, for the next
        :meth:`empty_database`."""
        import asyncpg

        url = settings.database_url
        server = self._server_of(url)
        if not await _postgres_is_empty(url):
            return False
        if key not in self._postgres:
            template = await self._make_postgres_template(settings, model_modules, extra_statements)
            self._postgres[key] = (server, template)
        name, template = _database_name(url), self._postgres[key][1]
        copy = _database_name(new_postgres_database_url(server))
        admin = await asyncpg.connect(_asyncpg_url(server))
        try:
            await admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
            spare = _database_name(new_postgres_database_url(server))
            try:
                await admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{spare}"')
            except asyncpg.ObjectInUseError:  # somebody holds a connection to it: leave it as it is
                await admin.execute(f'DROP DATABASE "{copy}"')
                return False
            await admin.execute(f'ALTER DATABASE "{copy}" RENAME TO "{name}"')
        finally:
            await admin.close()
        self._spares.append((server, spare))
        return True

    async def _make_postgres_template(
        self, settings: Any, model_modules: list[str], extra_statements: tuple[str, ...]
    ) -> str:
        import asyncpg

        server = self._server_of(settings.database_url)
        template_url = await create_postgres_database(server)
        name = _database_name(template_url)
        try:
            template_settings = dataclasses.replace(settings, database_url=template_url)
            await _generate_schema(template_settings, model_modules, extra_statements)
            admin = await asyncpg.connect(_asyncpg_url(server))
            try:
                # Nobody connects to it again (a copy needs it without connections).
                await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            finally:
                await admin.close()
        except BaseException:
            await _drop_postgres(server, name)
            raise
        return name

    @staticmethod
    def _server_of(url: str) -> str:
        """``url``'s server, reached through the administration database."""
        return _with_database(url, _database_name(test_database_url() or "") or "postgres")

    async def empty_database(self, server: str) -> str:
        """The URL of an empty database on ``server``: one a template copy replaced (still
        as ``CREATE DATABASE`` made it, and never given to a test under this name), or a
        new one."""
        for index, (spare_server, name) in enumerate(self._spares):
            if spare_server == self._server_of(server):
                del self._spares[index]
                return _with_database(server, name)
        return await create_postgres_database(server)

    async def drop_all(self) -> None:
        """Drop every template and spare of this session."""
        databases = [*self._postgres.values(), *self._spares]
        self._postgres, self._spares = {}, []
        for server, name in databases:
            await _drop_postgres(server, name)
        self._sqlite = {}
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def names(self) -> list[str]:
        """The PostgreSQL template databases, or SQLite template files, made so far."""
        return [name for _, name in self._postgres.values()] + [str(path) for path in self._sqlite.values()]

    def spares(self) -> list[str]:
        """The empty PostgreSQL databases kept for :meth:`empty_database`."""
        return [name for _, name in self._spares]


async def _drop_postgres(server: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(_asyncpg_url(server))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
