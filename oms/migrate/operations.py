"""Applying, checking and making migrations."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aerich import Command
from aerich.exceptions import NotSupportError
from aerich.migrate import Migrate
from tortoise.exceptions import OperationalError

from oms.config import Settings
from oms.db import db_url_for_tortoise
from oms.migrate.databases import migration_lock, temporary_database
from oms.migrate.isolation import isolated_tortoise
from oms.migrate.layout import (
    MIGRATION_NAME,
    APP,
    DIALECTS,
    MigrationError,
    aerich_tortoise_config,
    migration_files,
    migrations_dir,
    migrations_location,
)


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
    async with migration_lock(url), isolated_tortoise():
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
    if not MIGRATION_NAME.match(name):
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
