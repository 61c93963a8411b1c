"""The aerich migrations (the core's history and each built-in plugin's) build exactly
the schema the models describe; databases of the old single history upgrade.

Runs on one dialect per pytest process (see docs: never SQLite and PostgreSQL together):
PostgreSQL when ``OMS_TEST_DATABASE_URL`` is a postgres URL (a fresh, uniquely named
database is created on that server for each test and dropped afterwards), otherwise a
temporary SQLite file.

If a test here fails after you changed models: ``python -m oms.migrate make NAME`` (core
models) or ``python -m oms.migrate make NAME --plugin <plugin>`` (a plugin's).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aerich.utils import decompress_dict
from tortoise import Tortoise
from tortoise.context import TortoiseContext, get_current_context

from oms import hookimpl
from oms.catalog.models import Product
from oms.config import Settings
from oms.db import tortoise_config
from oms.migrate import (
    DIALECTS,
    MigrationError,
    all_histories,
    apply_all_migrations,
    apply_migrations,
    behind_histories,
    core_history,
    isolated_tortoise,
    layout,
    migration_files,
    pending_model_changes,
    plugin_histories,
    temporary_database,
)
from oms.plugins import PluginHost
from oms.testing import hand_written_postgres_indexes

BUILT_IN = ["oms_consultation", "oms_digital", "oms_physical", "oms_subscription"]
HISTORIES = all_histories()

_PG_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")
TEST_DATABASE_URL = os.environ.get("OMS_TEST_DATABASE_URL", "")
DIALECT = "postgres" if TEST_DATABASE_URL.startswith(_PG_SCHEMES) else "sqlite"


@pytest.fixture
async def fresh_db() -> Any:
    """The URL of a brand-new, empty database of the dialect under test."""
    async with temporary_database(DIALECT, TEST_DATABASE_URL or None) as url:
        yield url


@pytest.fixture
async def reference_db() -> Any:
    """A second empty database, for the schema Tortoise generates from the models."""
    async with temporary_database(DIALECT, TEST_DATABASE_URL or None) as url:
        yield url


# -- schema introspection ------------------------------------------------------------------


def _sqlite_schema(url: str) -> dict[str, Any]:
    con = sqlite3.connect(url[len("sqlite://") :])
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        schema: dict[str, Any] = {}
        for table in tables:
            # cid, name, type, notnull, default, pk: keyed by name (order differs after ALTER).
            columns = {
                name: {
                    "type": type_.upper(),
                    "not_null": bool(notnull),
                    "default": default,
                    "pk": pk,
                }
                for _cid, name, type_, notnull, default, pk in con.execute(
                    f'PRAGMA table_info("{table}")'
                )
            }
            # Indexes by content, not by name: (columns, unique, partial).
            indexes = sorted(
                (
                    tuple(r[2] for r in con.execute(f'PRAGMA index_info("{name}")')),
                    bool(unique),
                    bool(partial),
                )
                for _seq, name, unique, _origin, partial in con.execute(
                    f'PRAGMA index_list("{table}")'
                )
            )
            # table, from, to, on_update, on_delete
            foreign_keys = sorted(
                (row[2], row[3], row[4], row[5], row[6])
                for row in con.execute(f'PRAGMA foreign_key_list("{table}")')
            )
            schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": foreign_keys}
        return schema
    finally:
        con.close()


_PG_COLUMNS = """
SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,
       numeric_scale, is_nullable, column_default,
       col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position)
FROM information_schema.columns WHERE table_schema = 'public'
"""
_PG_TABLES = """
SELECT c.relname, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
"""
_PG_INDEXES = """
SELECT t.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL,
       array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             ORDER BY k.n)
FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
"""
_PG_CONSTRAINTS = """
SELECT cl.relname, c.contype, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
"""


async def _postgres_schema(url: str) -> dict[str, Any]:
    dsn = "postgresql://" + url.split("://", 1)[1]
    con = await asyncpg.connect(dsn)
    try:
        schema: dict[str, Any] = {
            table: {"comment": comment, "columns": {}, "indexes": [], "constraints": []}
            for table, comment in await con.fetch(_PG_TABLES)
        }
        for table, column, type_, length, precision, scale, nullable, default, comment in (
            await con.fetch(_PG_COLUMNS)
        ):
            schema[table]["columns"][column] = {
                "type": (type_, length, precision, scale),
                "nullable": nullable,
                "default": default,
                "comment": comment,
            }
        for table, unique, primary, partial, columns in await con.fetch(_PG_INDEXES):
            schema[table]["indexes"].append((tuple(columns), unique, primary, partial))
        for table, kind, definition in await con.fetch(_PG_CONSTRAINTS):
            schema[table]["constraints"].append((kind, definition))
        for table in schema.values():
            table["indexes"].sort()
            table["constraints"].sort()
        return schema
    finally:
        await con.close()


async def schema_of(url: str) -> dict[str, Any]:
    return await _postgres_schema(url) if DIALECT == "postgres" else _sqlite_schema(url)


def _forget_server_defaults_unknown_to_models(
    migrated: dict[str, Any], from_models: dict[str, Any]
) -> None:
    """aerich adds a NOT NULL column with ``DEFAULT <the field's default>`` so that existing
    rows get a value; Tortoise only writes a server default for ``db_default`` and sets
    ``default`` in Python. Such extra server defaults are expected, not drift."""
    for table, described in from_models.items():
        for column, info in described["columns"].items():
            applied = migrated.get(table, {}).get("columns", {}).get(column)
            if applied is not None and info["default"] is None:
                applied["default"] = None


# -- tests ----------------------------------------------------------------------------------------


def test_hook_oms_migrations() -> None:
    """Each built-in plugin's ``oms_migrations`` gives a history of its own, in its package."""
    assert [h.key for h in HISTORIES] == ["models", *BUILT_IN]
    for history in HISTORIES[1:]:
        assert history.folder("sqlite").is_relative_to(Path(importlib.import_module(history.key).__file__).parent)
        assert history.files("sqlite") and history.files("postgres"), history.label


async def test_migrations_apply_to_an_empty_database_once(fresh_db: str) -> None:
    settings = Settings(database_url=fresh_db)
    context_before, inited_before = get_current_context(), Tortoise.is_inited()
    expected = {h.key: [path.name for path in h.files(DIALECT)] for h in HISTORIES}
    assert expected["models"], f"no migrations for {DIALECT}; run `python -m oms.migrate make init`"

    applied = await apply_all_migrations(settings)
    assert [h.key for h, _ in applied] == [h.key for h in HISTORIES]  # the core's first
    assert {h.key: names for h, names in applied} == expected
    schema = await schema_of(fresh_db)
    assert all(names == [] for _, names in await apply_all_migrations(settings))  # a no-op now
    assert await schema_of(fresh_db) == schema
    assert await behind_histories(settings, HISTORIES) == []
    # Nothing left behind: the app can set up Tortoise afterwards.
    assert get_current_context() is context_before
    assert Tortoise.is_inited() == inited_before


async def test_migrated_schema_equals_the_schema_of_the_models(
    fresh_db: str, reference_db: str
) -> None:
    await apply_all_migrations(Settings(database_url=fresh_db))
    migrated = await schema_of(fresh_db)

    async with isolated_tortoise() as ctx:
        config = tortoise_config(Settings(database_url=reference_db), with_aerich=True)
        await ctx.init(config=config)
        await ctx.generate_schemas(safe=False)
    if DIALECT == "postgres":
        # Indexes no model can express (varchar_pattern_ops, INCLUDE), hand-written in migrations.
        con = await asyncpg.connect("postgresql://" + reference_db.split("://", 1)[1])
        try:
            for statement in hand_written_postgres_indexes():
                await con.execute(statement)
        finally:
            await con.close()
    from_models = await schema_of(reference_db)
    _forget_server_defaults_unknown_to_models(migrated, from_models)

    assert sorted(migrated) == sorted(from_models), (
        "tables differ: run `python -m oms.migrate make NAME [--plugin NAME]`"
    )
    for table in from_models:
        assert migrated[table] == from_models[table], (
            f"table {table!r} differs from the models: run `python -m oms.migrate make NAME [--plugin NAME]`"
        )


@pytest.mark.parametrize("key", ["models", *BUILT_IN])
async def test_models_have_no_changes_missing_from_the_migrations(fresh_db: str, key: str) -> None:
    history = next(h for h in HISTORIES if h.key == key)
    settings = Settings(database_url=fresh_db)
    await apply_all_migrations(settings)
    missing = await pending_model_changes(settings, history=history)
    assert missing == [], (
        f"The models of {history.label} changed without a migration; run "
        f"`python -m oms.migrate make NAME{'' if history.plugin is None else ' --plugin ' + history.plugin}`. "
        "aerich would generate:\n" + ";\n".join(missing)
    )


async def test_app_uses_the_migrated_database_and_survives_a_later_upgrade(fresh_db: str) -> None:
    settings = Settings(database_url=fresh_db)
    await apply_all_migrations(settings)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings))
        assert await Product.all().count() == 0
        # Migrating while the app's context is live leaves the app's binding intact.
        assert all(names == [] for _, names in await apply_all_migrations(settings))
        assert get_current_context() is ctx
        assert await Product.all().count() == 0


def _models_state(path: Path) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(f"_oms_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return decompress_dict(module.MODELS_STATE)


@pytest.mark.parametrize("key", ["models", *BUILT_IN])
def test_the_dialect_folders_are_in_step(key: str) -> None:
    """Every migration of a history exists for both dialects, made from the same models,
    and describes only that history's models."""
    history = next(h for h in HISTORIES if h.key == key)
    files = {dialect: history.files(dialect) for dialect in DIALECTS}
    names = {
        dialect: [(p.name.split("_", 2)[0], p.stem.split("_", 2)[2]) for p in paths]
        for dialect, paths in files.items()
    }
    assert names["sqlite"], f"no migrations; run `python -m oms.migrate make init` ({history.label})"
    assert names["sqlite"] == names["postgres"]
    state = _models_state(files["sqlite"][-1])
    assert state == _models_state(files["postgres"][-1])
    modules = {importlib.import_module(m) for m in history.modules}
    declared = {f"models.{name}" for module in modules for name, value in vars(module).items()
                if isinstance(value, type) and getattr(value, "__module__", None) == module.__name__
                and hasattr(value, "_meta") and not value._meta.abstract}
    assert set(state) == declared


# -- upgrading a database of the single history of before ------------------------------------------

# The core's history up to 2_auth_sessions held the built-in plugins' tables too.
OLD_SINGLE_HISTORY = 3


async def _sql(url: str, statements: list[str]) -> list[tuple]:
    """Run statements (foreign keys not enforced: a plugin row without its parents is
    enough here) and return the rows of the last."""
    if DIALECT == "postgres":
        conn = await asyncpg.connect("postgresql://" + url.split("://", 1)[1])
        try:
            await conn.execute("SET session_replication_role = replica")
            for statement in statements[:-1]:
                await conn.execute(statement)
            return [tuple(r) for r in await conn.fetch(statements[-1])]
        finally:
            await conn.close()
    con = sqlite3.connect(url[len("sqlite://"):])
    try:
        for statement in statements[:-1]:
            con.execute(statement)
        con.commit()
        return list(con.execute(statements[-1]))
    finally:
        con.close()


GRANT = (
    "INSERT INTO digital_download_grant (nonce, file, file_name, content_type, download_count,"
    " created_at, fulfillment_id, order_line_id) VALUES ('n', 'a/b.pdf', 'b.pdf', 'application/pdf',"
    " 3, '2026-01-01T00:00:00+00:00', 1, 1)"
)
READ_GRANTS = "SELECT file, download_count FROM digital_download_grant"


async def test_a_database_of_the_old_single_history_upgrades_keeping_plugin_rows(
    fresh_db: str, reference_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = migration_files(DIALECT)[:OLD_SINGLE_HISTORY]
    assert [p.name.split("_")[0] for p in old] == ["0", "1", "2"]
    root = tmp_path / "migrations"
    (root / DIALECT / "models").mkdir(parents=True)
    for path in old:
        shutil.copy(path, root / DIALECT / "models" / path.name)
    settings = Settings(database_url=fresh_db)
    monkeypatch.setattr(layout, "MIGRATIONS_ROOT", root)
    assert await apply_migrations(settings) == [p.name for p in old]  # as oms migrate did before
    assert await _sql(fresh_db, [GRANT, READ_GRANTS]) == [("a/b.pdf", 3)]
    monkeypatch.undo()
    assert await behind_histories(settings, HISTORIES) != []  # serve/worker would refuse

    applied = dict((h.key, names) for h, names in await apply_all_migrations(settings))
    assert applied["models"] == [p.name for p in migration_files(DIALECT)[OLD_SINGLE_HISTORY:]]
    for key in BUILT_IN:
        assert applied[key] and applied[key][0].startswith("0_"), applied
    assert await _sql(fresh_db, [READ_GRANTS]) == [("a/b.pdf", 3)]
    assert await behind_histories(settings, HISTORIES) == []
    # The same schema as a database made by the new histories from scratch.
    await apply_all_migrations(Settings(database_url=reference_db))
    assert await schema_of(fresh_db) == await schema_of(reference_db)
    # Each history's versions are its own: no plugin's under the core's key.
    rows = await _sql(fresh_db, ["SELECT app, version FROM aerich"])
    assert sorted({app for app, _ in rows}) == sorted(["models", *BUILT_IN])
    for key in BUILT_IN:
        assert [v for app, v in rows if app == key] == applied[key]


# -- plugins declaring models: migrations required, dependencies first -----------------------------


def _write_plugin_package(folder: Path, package: str, model: str, references: str) -> None:
    (folder / package).mkdir(parents=True)
    (folder / package / "__init__.py").write_text("")
    (folder / package / "models.py").write_text(
        "from tortoise import fields\nfrom tortoise.models import Model\n\n\n"
        f"class {model}(Model):\n"
        "    id = fields.IntField(primary_key=True)\n"
        f"    other = fields.ForeignKeyField({references!r}, related_name='{package}_rows')\n\n"
        f"    class Meta:\n        table = '{package}_row'\n"
    )


class _Declares:
    def __init__(self, name: str, package: str, migrations: bool = True):
        self.__name__ = name
        self.package = package
        if not migrations:
            self.oms_migrations = None  # type: ignore[assignment]

    @hookimpl
    def oms_models(self) -> list[str]:
        return [f"{self.package}.models"]

    @hookimpl
    def oms_migrations(self) -> str:
        return self.package


@pytest.fixture
def plugin_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # "aardvark" references "zebra"'s model: zebra must be migrated first.
    _write_plugin_package(tmp_path, "zebra_pkg", "ZebraRow", "models.Order")
    _write_plugin_package(tmp_path, "aardvark_pkg", "AardvarkRow", "models.ZebraRow")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ["zebra_pkg", "zebra_pkg.models", "aardvark_pkg", "aardvark_pkg.models"]:
        sys.modules.pop(name, None)


def test_a_plugin_referencing_another_plugin_s_models_is_migrated_after_it(plugin_packages: Path) -> None:
    host = PluginHost.load([_Declares("aardvark", "aardvark_pkg"), _Declares("zebra", "zebra_pkg")])
    histories = plugin_histories(host)
    keys = [h.key for h in histories]
    assert keys.index("zebra_pkg") < keys.index("aardvark_pkg")
    aardvark = next(h for h in histories if h.key == "aardvark_pkg")
    assert aardvark.after == ("zebra_pkg",)
    assert aardvark.folder("sqlite") == plugin_packages / "aardvark_pkg" / "migrations" / "sqlite" / "aardvark_pkg"


def test_a_plugin_with_models_but_no_migrations_is_refused(plugin_packages: Path) -> None:
    class ModelsOnly:
        __name__ = "zebra"

        @hookimpl
        def oms_models(self) -> list[str]:
            return ["zebra_pkg.models"]

    host = PluginHost.load([ModelsOnly()])
    with pytest.raises(MigrationError) as caught:
        plugin_histories(host)
    message = str(caught.value)
    assert message == (
        "plugin 'zebra' declares models (zebra_pkg.models) but no migrations: "
        "it must implement oms_migrations (see docs/writing_plugins.md)"
    )


async def test_a_plugin_shipping_no_migrations_stops_migrate_before_anything_applies(
    fresh_db: str, plugin_packages: Path
) -> None:
    host = PluginHost.load([_Declares("zebra", "zebra_pkg")])
    settings = Settings(database_url=fresh_db)
    with pytest.raises(MigrationError, match=r"^plugin 'zebra' ships no \w+ migrations .*`oms migrate` cannot"):
        await apply_all_migrations(settings, host)
    assert await behind_histories(settings, [core_history()]) == [
        f"core is not migrated (0 of {len(migration_files(DIALECT))} migrations applied): run `oms migrate`"
    ]
