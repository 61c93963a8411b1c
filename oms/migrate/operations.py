"""Applying, checking and making migrations."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aerich import Command
from aerich.exceptions import NotSupportError
from aerich.migrate import Migrate
from tortoise import Tortoise
from tortoise.exceptions import OperationalError

from oms.config import Settings
from oms.db import db_url_for_tortoise
from oms.migrate.databases import migration_lock, temporary_database
from oms.migrate.histories import all_histories, find_history
from oms.migrate.isolation import isolated_tortoise
from oms.migrate.layout import (
    APP,
    DIALECTS,
    MIGRATION_NAME,
    History,
    MigrationError,
    aerich_tortoise_config,
    core_history,
)
from oms.migrate.scope import history_scope, scoped_describe

if TYPE_CHECKING:
    from oms.plugins import PluginHost


def _no_files(history: History, dialect: str) -> str:
    if history.plugin is None:
        return f"No migrations in {history.folder(dialect)}; run `python -m oms.migrate make init`."
    return (
        f"{history.label} ships no {dialect} migrations (expected in {history.folder(dialect)}), "
        "so `oms migrate` cannot create its tables: reinstall it, or write them with "
        f"`python -m oms.migrate make init --plugin {history.plugin}`"
    )


async def _apply_history(config: dict[str, Any], history: History, dialect: str) -> list[str]:
    """Apply the pending migrations of one history (no lock: the caller holds it)."""
    if not history.files(dialect):
        raise MigrationError(_no_files(history, dialect))
    async with isolated_tortoise():
        with history_scope(history):
            async with Command(
                tortoise_config=config, app=history.key, location=str(history.location(dialect))
            ) as command:
                await command.init()
                return await command.upgrade(run_in_transaction=True)


async def apply_migrations(
    settings: Settings, plugin_modules: list[str] | None = None, *, history: History | None = None
) -> list[str]:
    """Apply the pending migrations of one history (default: the core's) of
    ``settings.dialect`` to ``settings.database_url``; ``oms migrate`` uses
    :func:`apply_all_migrations`, which applies every history.

    Works on an empty database (the core's initial migration creates the ``aerich`` table)
    and does nothing when all migrations were applied. Returns the file names of the
    migrations applied now. Leaves no Tortoise context or connection behind: call it
    before the app initializes Tortoise.
    """
    history = history or core_history()
    url = db_url_for_tortoise(settings.database_url)
    config = aerich_tortoise_config(url, plugin_modules)
    async with migration_lock(url):
        return await _apply_history(config, history, settings.dialect)


async def apply_all_migrations(settings: Settings, host: PluginHost | None = None) -> list[tuple[History, list[str]]]:
    """Apply the core's history, then each installed plugin's (``host``: default the
    installed plugins), under one lock. Returns each history with the files applied now.
    A plugin with models but no migrations stops it before anything is applied."""
    from oms.plugins import PluginHost, plugin_model_modules

    host = host or PluginHost.load()
    histories = all_histories(host)
    url = db_url_for_tortoise(settings.database_url)
    config = aerich_tortoise_config(url, plugin_model_modules(host))
    results = []
    for history in histories:  # all or nothing: a plugin without migrations stops it first
        if not history.files(settings.dialect):
            raise MigrationError(_no_files(history, settings.dialect))
    async with migration_lock(url):
        for history in histories:
            results.append((history, await _apply_history(config, history, settings.dialect)))
    return results


async def pending_model_changes(
    settings: Settings, plugin_modules: list[str] | None = None, *, history: History | None = None
) -> list[str]:
    """SQL that a new migration of ``history`` (default: the core's) would need on a fully
    migrated database: ``[]`` when its migrations capture its models. Writes nothing into
    the migrations folder."""
    history = history or core_history()
    dialect = settings.dialect
    url = db_url_for_tortoise(settings.database_url)
    config = aerich_tortoise_config(url, plugin_modules)
    with tempfile.TemporaryDirectory(prefix="oms-migrations-check-") as scratch:
        location = Path(scratch, dialect)
        shutil.copytree(history.location(dialect), location)
        async with isolated_tortoise():
            with history_scope(history):
                async with Command(tortoise_config=config, app=history.key, location=str(location)) as command:
                    await command.init()
                    try:
                        unapplied = await command.heads()
                    except OperationalError as exc:  # no aerich table
                        raise MigrationError(f"The database is not migrated: {exc}") from exc
                    if unapplied:
                        raise MigrationError(f"Migrations of {history.label} not applied yet: {unapplied}")
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

    def build(cls: type[Migrate], upgrade_sql: str, models_state: Any, downgrade_sql: str = "") -> str:
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


def _initial_sql(history: History, connection: Any) -> str:
    """``CREATE TABLE IF NOT EXISTS`` (and its indexes) for the history's models only.

    ``IF NOT EXISTS`` matters: the built-in plugins' tables were created by the core's
    first migrations, so on those databases a plugin's initial migration only records
    itself (see docs/deploy.md, upgrading)."""
    generator = connection.schema_generator(connection)
    # Tortoise's per-table SQL (the same generate_schemas uses; private, but Tortoise is
    # pinned), so the indexes get the names that generate_schemas and aerich give them.
    models = [m for m in Tortoise.apps[APP].values() if m.__module__ in history.modules]
    tables = [generator._get_table_sql(model, safe=True) for model in models]
    ours = {t["table"] for t in tables}
    created: set[str] = set()
    ordered: list[str] = []
    m2m: list[str] = []
    while tables:
        ready = next(
            (t for t in tables if {r for r in t["references"] if r in ours} <= created | {t["table"]}),
            None,
        )
        if ready is None:
            raise MigrationError(f"{history.label}: its models reference each other in a cycle")
        tables.remove(ready)
        created.add(ready["table"])
        ordered.append(ready["table_creation_string"])
        m2m += ready["m2m_tables"]
    return "\n".join(ordered + m2m)


async def _make_one(
    history: History,
    before: list[History],
    dialect: str,
    name: str,
    *,
    fresh: bool,
    admin_url: str | None,
    plugin_modules: list[str] | None,
) -> str | None:
    folder = history.folder(dialect)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    initial = not history.files(dialect)
    if initial and folder.exists():
        for leftover in folder.iterdir():
            if leftover.name != "__pycache__":
                raise MigrationError(f"{leftover} is not a migration; remove it first.")

    async with temporary_database(dialect, admin_url) as url:
        config = aerich_tortoise_config(url, plugin_modules)
        # The tables this history's reference: the core's, and the plugins' it comes after.
        for earlier in before:
            await _apply_history(config, earlier, dialect)
        async with isolated_tortoise():
            with _sql_kept_verbatim(), history_scope(history):
                async with Command(
                    tortoise_config=config, app=history.key, location=str(history.location(dialect))
                ) as command:
                    await command.init()
                    if initial:
                        version = await Migrate.generate_version()
                        connection = Tortoise.get_connection(config["apps"][APP]["default_connection"])
                        text = Migrate.build_migration_file_text(
                            upgrade_sql=_initial_sql(history, connection),
                            models_state=scoped_describe(history),
                        )
                        folder.mkdir(parents=True, exist_ok=True)
                        (folder / version).write_text(text, encoding="utf-8")
                        await command.upgrade(run_in_transaction=True)
                        return version
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


def _history_and_prerequisites(plugin: str | None, host: PluginHost | None) -> tuple[History, list[History]]:
    if plugin is None:
        return core_history(), []
    from oms.plugins import PluginHost

    host = host or PluginHost.load()
    history = find_history(host, plugin)
    ordered = all_histories(host)
    by_key = {h.key: h for h in ordered}
    needed: set[str] = set()
    todo = list(history.after)
    while todo:  # the histories it references, and theirs
        key = todo.pop()
        if key not in needed:
            needed.add(key)
            todo.extend(by_key[key].after)
    return history, [h for h in ordered if h.plugin is None or h.key in needed]


async def make_migrations(
    name: str,
    *,
    plugin: str | None = None,
    fresh: bool = False,
    admin_url: str | None = None,
    plugin_modules: list[str] | None = None,
    host: PluginHost | None = None,
) -> dict[str, str | None]:
    """Write a migration named ``name`` for each dialect from the current models, into the
    core's history or (``plugin``: its entry-point name or package) that plugin's.

    Returns ``{dialect: file name or None}`` (None: no change detected). A history without
    migrations gets its initial one (always named ``init``); ``fresh=True`` first deletes
    the history's migrations (only before anything was released). ``admin_url`` (default
    env ``OMS_MIGRATIONS_PG_URL``) is a PostgreSQL server on which a throwaway database is
    created and dropped.
    """
    if not MIGRATION_NAME.match(name):
        raise ValueError(f"Migration name {name!r}: use lowercase letters, digits and _.")
    history, before = _history_and_prerequisites(plugin, host)
    with tempfile.TemporaryDirectory(prefix="oms-migrations-backup-") as backup:
        # All dialects or none: on any failure the folders are put back as they were.
        for dialect in DIALECTS:
            if history.folder(dialect).exists():
                shutil.copytree(history.folder(dialect), Path(backup, dialect))
        try:
            results: dict[str, str | None] = {}
            for dialect in DIALECTS:
                results[dialect] = await _make_one(
                    history,
                    before,
                    dialect,
                    name,
                    fresh=fresh,
                    admin_url=admin_url,
                    plugin_modules=plugin_modules,
                )
            made = {d: f for d, f in results.items() if f}
            if made and len(made) != len(DIALECTS):
                raise MigrationError(
                    f"Only some dialects got a migration ({made}); check the models and the "
                    "existing migrations (were both folders made from the same models?)."
                )
        except BaseException:
            for dialect in DIALECTS:
                shutil.rmtree(history.folder(dialect), ignore_errors=True)
                if Path(backup, dialect).exists():
                    shutil.copytree(Path(backup, dialect), history.folder(dialect))
            raise
    return results


async def check_migrations(
    admin_url: str | None = None, host: PluginHost | None = None
) -> dict[str, dict[str, list[str]]]:
    """For each dialect: apply every history to a throwaway database and return, per
    history label, the SQL of model changes that no migration captures (empty lists when
    up to date)."""
    from oms.plugins import PluginHost, plugin_model_modules

    host = host or PluginHost.load()
    modules = plugin_model_modules(host)
    problems: dict[str, dict[str, list[str]]] = {}
    for dialect in DIALECTS:
        async with temporary_database(dialect, admin_url) as url:
            settings = Settings(database_url=url)
            applied = await apply_all_migrations(settings, host)
            problems[dialect] = {
                history.label: await pending_model_changes(settings, modules, history=history) for history, _ in applied
            }
    return problems
