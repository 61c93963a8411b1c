"""Database migrations: aerich, one folder of raw-SQL migrations per dialect.

Layout (aerich's own: ``<location>/<app>``, the app being ``models``)::

    migrations/sqlite/models/0_<timestamp>_init.py, 1_<timestamp>_<name>.py, ...
    migrations/postgres/models/0_<timestamp>_init.py, ...

Both folders are generated from the same models (core + the plugins installed in the
environment) and must stay in step: each change of the models gets one migration in each.

Commands (run from anywhere; the folders are found next to the ``oms`` package)::

    # Apply the pending migrations to OMS_DATABASE_URL (or --database-url URL):
    python -m oms.migrate upgrade

    # After changing models: write a new migration for BOTH dialects. It builds a
    # throwaway SQLite file and a throwaway PostgreSQL database (created and dropped on
    # the server of OMS_MIGRATIONS_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres),
    # applies the existing migrations there, diffs the models and applies the new file.
    python -m oms.migrate make add_order_notes

    # Before the first release only: throw the migrations away and write the initial
    # ones again from the current models.
    python -m oms.migrate make init --fresh

    # CI: exit 1 when the models have changes that no migration captures.
    python -m oms.migrate check

The ``[tool.tortoise]`` section of pyproject.toml points the ``aerich`` CLI at
:data:`AERICH_CONFIG` (computed lazily from OMS_DATABASE_URL, SQLite only) so that
``aerich history`` / ``aerich heads`` work from the repository root; create migrations with
``python -m oms.migrate make`` rather than ``aerich migrate`` (which writes one dialect only).

aerich keeps process-wide state (class attributes of ``aerich.migrate.Migrate``: pending
SQL operators, the last models state, the dialect) and never resets it; Tortoise binds the
(global) model classes to the connection of the last ``init``. Every function here
therefore runs aerich inside :func:`isolated_tortoise`, which uses a private
``TortoiseContext``, resets aerich's state before and after, and gives already-bound
models back their previous binding.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import os
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Only the ``aerich init`` CLI prints this note, but the CLI may run in this environment.
os.environ.setdefault("AERICH_NO_TORTOISE_V1_WARNING", "1")

from aerich import Command  # noqa: E402
from aerich.exceptions import NotSupportError  # noqa: E402
from aerich.migrate import Migrate  # noqa: E402
from tortoise.context import TortoiseContext, get_current_context  # noqa: E402
from tortoise.exceptions import OperationalError  # noqa: E402

from oms.config import DEFAULT_DATABASE_URL, Settings  # noqa: E402
from oms.db import db_url_for_tortoise, tortoise_config  # noqa: E402

APP = "models"
DIALECTS = ("sqlite", "postgres")
DEFAULT_PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# The migrations live at the repository root (the project is installed editable).
MIGRATIONS_ROOT = Path(
    os.environ.get("OMS_MIGRATIONS_ROOT") or Path(__file__).resolve().parent.parent / "migrations"
)
_VERSION_FILE = re.compile(r"^(\d+)_(\d{14})_(\w+)\.py$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")
_PG_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")


class MigrationError(RuntimeError):
    """Migrations are missing, do not apply, or do not match the models."""


# -- paths ----------------------------------------------------------------------------------


def migrations_location(dialect: str) -> Path:
    """aerich's ``location`` for a dialect (``migrations/<dialect>``)."""
    if dialect not in DIALECTS:
        raise ValueError(f"Unknown dialect {dialect!r}; expected one of {DIALECTS}")
    return MIGRATIONS_ROOT / dialect


def migrations_dir(dialect: str) -> Path:
    """The folder holding the migration files of a dialect (``migrations/<dialect>/models``)."""
    return Migrate.get_migration_dir(str(migrations_location(dialect)), APP)


def migration_files(dialect: str) -> list[Path]:
    """The migration files of a dialect, in order."""
    folder = migrations_dir(dialect)
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if _VERSION_FILE.match(p.name)]
    return sorted(files, key=lambda p: int(p.name.split("_", 1)[0]))


def dialect_of(database_url: str) -> str:
    return "postgres" if database_url.startswith(_PG_SCHEMES) else "sqlite"


# -- configuration ----------------------------------------------------------------------------


def aerich_tortoise_config(
    database_url: str, plugin_modules: list[str] | None = None
) -> dict[str, Any]:
    """The app's Tortoise config plus ``aerich.models``, on a connection label of its own.

    Tortoise caches INSERT statements per (connection label, table); a label per dialect
    keeps the aerich table's statements of one dialect away from the other, and away from
    the app's ``default`` connection.
    """
    config = copy.deepcopy(
        tortoise_config(Settings(database_url=database_url), plugin_modules, with_aerich=True)
    )
    label = f"oms_migrate_{dialect_of(database_url)}"
    config["connections"] = {label: config["connections"]["default"]}
    config["apps"][APP]["default_connection"] = label
    return config


def __getattr__(name: str) -> Any:
    # ``AERICH_CONFIG`` for the aerich CLI ([tool.tortoise] in pyproject.toml). Lazy, so
    # importing this module neither reads the environment nor loads plugins.
    if name == "AERICH_CONFIG":
        url = os.environ.get("OMS_DATABASE_URL") or DEFAULT_DATABASE_URL
        if dialect_of(url) != "sqlite":
            import asyncclick

            raise asyncclick.ClickException(
                "pyproject.toml's [tool.tortoise] uses migrations/sqlite; for PostgreSQL run "
                "`python -m oms.migrate upgrade` (or aerich -c with a postgres config)."
            )
        return aerich_tortoise_config(url)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- isolation from the app's Tortoise and from aerich's class-level state -----------------


def _reset_aerich_state() -> None:
    Migrate.upgrade_operators = []
    Migrate.downgrade_operators = []
    Migrate._upgrade_fk_m2m_index_operators = []
    Migrate._downgrade_fk_m2m_index_operators = []
    Migrate._upgrade_m2m = []
    Migrate._downgrade_m2m = []
    Migrate._rename_fields = {}
    Migrate._rename_models = {}
    Migrate._last_version_content = None
    Migrate._db_version = None
    for attr in ("ddl", "ddl_class", "dialect", "migrate_location"):
        if attr in Migrate.__dict__:
            delattr(Migrate, attr)


_MODEL_META_ATTRS = ("app", "default_connection", "basetable", "basequery", "basequery_all_fields")


def _snapshot_bound_models() -> list[tuple[Any, dict[str, Any]]]:
    ctx = get_current_context()
    if ctx is None or not ctx.inited or ctx.apps is None:
        return []
    return [
        (model, {a: getattr(model._meta, a, None) for a in _MODEL_META_ATTRS})
        for model in ctx.apps.get_models_iterable()
    ]


@contextlib.asynccontextmanager
async def isolated_tortoise() -> AsyncIterator[TortoiseContext]:
    """A private, current ``TortoiseContext`` for aerich (or a test) to ``Tortoise.init`` in.

    On exit its connections are closed and the previous context (if any) is current again;
    model classes the previous context had bound get their binding back; aerich's
    class-level state is cleared. No bytecode is written into the migrations folders.
    """
    saved_models = _snapshot_bound_models()
    saved_bytecode_flag = sys.dont_write_bytecode
    _reset_aerich_state()
    sys.dont_write_bytecode = True
    try:
        async with TortoiseContext() as ctx:
            yield ctx
    finally:
        sys.dont_write_bytecode = saved_bytecode_flag
        _reset_aerich_state()
        for model, attrs in saved_models:
            for attr, value in attrs.items():
                setattr(model._meta, attr, value)


# -- PostgreSQL helpers -------------------------------------------------------------------------


_LIBPQ_PARAMS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}


def _asyncpg_dsn(url: str) -> str:
    """A DSN for asyncpg.connect: postgresql scheme, without Tortoise-only parameters
    (``minsize``, ``maxsize``, ``schema``...), which asyncpg would send as server settings."""
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            parts = urlsplit("postgresql://" + url[len(scheme) :])
            query = "&".join(
                item for item in parts.query.split("&") if item.split("=")[0] in _LIBPQ_PARAMS
            )
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
async def temporary_postgres_database(
    admin_url: str | None = None, prefix: str = "oms_tmp"
) -> AsyncIterator[str]:
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
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
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


# -- applying ----------------------------------------------------------------------------------


async def apply_migrations(
    settings: Settings, plugin_modules: list[str] | None = None
) -> list[str]:
    """Apply the pending migrations of ``settings.dialect`` to ``settings.database_url``.

    Works on an empty database (the initial migration creates every table, the ``aerich``
    one included) and does nothing when all migrations were applied. Returns the file names
    of the migrations applied now. Leaves no Tortoise context or connection behind: call it
    before the app initializes Tortoise.
    """
    dialect = settings.dialect
    if not migration_files(dialect):
        raise MigrationError(
            f"No migrations in {migrations_dir(dialect)}; run `python -m oms.migrate make init`."
        )
    url = db_url_for_tortoise(settings.database_url)
    config = aerich_tortoise_config(url, plugin_modules)
    async with _migration_lock(url), isolated_tortoise():
        async with Command(
            tortoise_config=config, app=APP, location=str(migrations_location(dialect))
        ) as command:
            await command.init()
            return await command.upgrade(run_in_transaction=True)


async def pending_model_changes(
    settings: Settings, plugin_modules: list[str] | None = None
) -> list[str]:
    """SQL that a new migration would need on a fully migrated database: ``[]`` when the
    migrations capture the models. Writes nothing into the migrations folder."""
    dialect = settings.dialect
    url = db_url_for_tortoise(settings.database_url)
    config = aerich_tortoise_config(url, plugin_modules)
    with tempfile.TemporaryDirectory(prefix="oms-migrations-check-") as scratch:
        location = Path(scratch, dialect)
        shutil.copytree(migrations_location(dialect), location)
        async with isolated_tortoise():
            async with Command(tortoise_config=config, app=APP, location=str(location)) as command:
                await command.init()
                try:
                    unapplied = await command.heads()
                except OperationalError as exc:  # no aerich table
                    raise MigrationError(f"The database is not migrated: {exc}") from exc
                if unapplied:
                    raise MigrationError(f"Migrations not applied yet: {unapplied}")
                try:
                    created = await command.migrate("drift_check", no_input=True)
                except NotSupportError as exc:
                    return [f"-- aerich cannot express the change on {dialect}: {exc}"]
                return list(Migrate.upgrade_operators) if created else []


# -- making -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _sql_kept_verbatim() -> Iterator[None]:
    """Make migration files give back exactly the SQL that was generated.

    aerich pastes the SQL into a plain (not raw) triple-quoted Python string, so the
    backslash escapes that Tortoise writes into comments (the choices of an enum field are
    joined with a backslash-n) are decoded by Python when the file is imported: the
    database would get another comment than ``generate_schemas`` gives, and a stray
    backslash would raise a SyntaxWarning. Doubling the backslashes prevents both.
    """
    original = Migrate.__dict__["build_migration_file_text"]

    def build(
        cls: type[Migrate], upgrade_sql: str, models_state: Any, downgrade_sql: str = ""
    ) -> str:
        return original.__func__(
            cls,
            upgrade_sql.replace("\\", "\\\\"),
            models_state,
            downgrade_sql=downgrade_sql.replace("\\", "\\\\"),
        )

    Migrate.build_migration_file_text = classmethod(build)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Migrate.build_migration_file_text = original  # type: ignore[method-assign]


async def _make_one(
    dialect: str,
    name: str,
    *,
    fresh: bool,
    admin_url: str | None,
    plugin_modules: list[str] | None,
) -> str | None:
    location = migrations_location(dialect)
    folder = migrations_dir(dialect)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    initial = not migration_files(dialect)
    if initial and folder.exists():
        # aerich's init refuses a folder holding anything (a stray __pycache__, say).
        for leftover in folder.iterdir():
            if leftover.name != "__pycache__":
                raise MigrationError(f"{leftover} is not a migration; remove it first.")
        shutil.rmtree(folder)

    async with temporary_database(dialect, admin_url) as url:
        config = aerich_tortoise_config(url, plugin_modules)
        async with isolated_tortoise():
            with _sql_kept_verbatim():
                async with Command(
                    tortoise_config=config, app=APP, location=str(location)
                ) as command:
                    if initial:
                        # Writes 0_<timestamp>_init.py (CREATE TABLE IF NOT EXISTS ...) and
                        # creates the schema of the throwaway database with it.
                        await command.init_db(safe=True)
                        return migration_files(dialect)[-1].name
                    await command.init()
                    await command.upgrade(run_in_transaction=True)
                    await command.init()  # now reads the last models state from the database
                    try:
                        created = await command.migrate(name, no_input=True)
                    except NotSupportError as exc:
                        raise MigrationError(
                            f"aerich cannot generate this change for {dialect}: {exc}. "
                            "Write the migration by hand, or (before the first release) "
                            "regenerate everything with `make init --fresh`."
                        ) from exc
                    if not created:
                        return None
                    try:
                        await command.upgrade(run_in_transaction=True)
                    except Exception as exc:
                        sql = "\n".join(Migrate.upgrade_operators)
                        raise MigrationError(
                            f"The migration generated for {dialect} does not apply: {exc!r}. "
                            f"Its SQL:\n{sql}\nWrite this migration by hand."
                        ) from exc
                    return created


async def make_migrations(
    name: str,
    *,
    fresh: bool = False,
    admin_url: str | None = None,
    plugin_modules: list[str] | None = None,
) -> dict[str, str | None]:
    """Write a migration named ``name`` for each dialect from the current models.

    Returns ``{dialect: file name or None}`` (None: no change detected). A dialect without
    migrations gets its initial migration (aerich always names it ``init``); ``fresh=True``
    first deletes the existing migrations (only before anything was released).
    ``admin_url`` (default env ``OMS_MIGRATIONS_PG_URL``) is a PostgreSQL server on which a
    throwaway database is created and dropped.
    """
    if not _NAME.match(name):
        raise ValueError(f"Migration name {name!r}: use lowercase letters, digits and _.")
    with tempfile.TemporaryDirectory(prefix="oms-migrations-backup-") as backup:
        # All dialects or none: on any failure the folders are put back as they were.
        for dialect in DIALECTS:
            if migrations_dir(dialect).exists():
                shutil.copytree(migrations_dir(dialect), Path(backup, dialect))
        try:
            results: dict[str, str | None] = {}
            for dialect in DIALECTS:
                results[dialect] = await _make_one(
                    dialect, name, fresh=fresh, admin_url=admin_url, plugin_modules=plugin_modules
                )
            made = {d: f for d, f in results.items() if f}
            if made and len(made) != len(DIALECTS):
                raise MigrationError(
                    f"Only some dialects got a migration ({made}); check the models and the "
                    "existing migrations (were both folders made from the same models?)."
                )
        except BaseException:
            for dialect in DIALECTS:
                shutil.rmtree(migrations_dir(dialect), ignore_errors=True)
                if Path(backup, dialect).exists():
                    shutil.copytree(Path(backup, dialect), migrations_dir(dialect))
            raise
    return results


async def check_migrations(admin_url: str | None = None) -> dict[str, list[str]]:
    """For each dialect: apply the migrations to a throwaway database and return the SQL of
    model changes that no migration captures (empty lists when up to date)."""
    problems: dict[str, list[str]] = {}
    for dialect in DIALECTS:
        async with temporary_database(dialect, admin_url) as url:
            settings = Settings(database_url=url)
            await apply_migrations(settings)
            problems[dialect] = await pending_model_changes(settings)
    return problems


# -- CLI ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("AERICH_NO_TORTOISE_V1_WARNING", "1")
    parser = argparse.ArgumentParser(
        prog="python -m oms.migrate", description=(__doc__ or "").split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade", help="apply pending migrations")
    up.add_argument("--database-url", help="default: env OMS_DATABASE_URL")
    make = sub.add_parser("make", help="create a migration for both dialects from the models")
    make.add_argument("name")
    make.add_argument(
        "--fresh", action="store_true", help="delete all migrations and write the initial ones"
    )
    make.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    check = sub.add_parser("check", help="fail if the models changed without a migration")
    check.add_argument("--pg-admin-url", help="default: env OMS_MIGRATIONS_PG_URL")
    args = parser.parse_args(argv)

    if args.command == "upgrade":
        url = args.database_url or os.environ.get("OMS_DATABASE_URL") or DEFAULT_DATABASE_URL
        applied = asyncio.run(apply_migrations(Settings(database_url=url)))
        for version in applied:
            print(f"applied {version}")
        if not applied:
            print("no pending migrations")
        return 0
    if args.command == "make":
        results = asyncio.run(
            make_migrations(args.name, fresh=args.fresh, admin_url=args.pg_admin_url)
        )
        for dialect, created in results.items():
            where = migrations_dir(dialect)
            print(f"{dialect}: " + (f"created {where / created}" if created else "no changes"))
        return 0
    problems = asyncio.run(check_migrations(args.pg_admin_url))
    status = 0
    for dialect, sql in problems.items():
        if sql:
            status = 1
            print(f"{dialect}: the models have changes without a migration:")
            for statement in sql:
                print(f"    {statement};")
        else:
            print(f"{dialect}: migrations match the models")
    if status:
        print("Run `python -m oms.migrate make NAME`.")
    return status


if __name__ == "__main__":
    sys.exit(main())
