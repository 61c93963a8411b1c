"""The aerich migrations build exactly the schema the models describe.

Runs on one dialect per pytest process (see docs: never SQLite and PostgreSQL together):
PostgreSQL when ``OMS_TEST_DATABASE_URL`` is a postgres URL (a fresh, uniquely named
database is created on that server for each test and dropped afterwards), otherwise a
temporary SQLite file.

If a test here fails after you changed models: ``python -m oms.migrate make NAME``.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aerich.utils import decompress_dict
from tortoise import Tortoise
from tortoise.context import TortoiseContext, get_current_context

from oms.catalog.models import Product
from oms.config import Settings
from oms.db import tortoise_config
from oms.migrate import (
    DIALECTS,
    apply_migrations,
    isolated_tortoise,
    migration_files,
    pending_model_changes,
    temporary_database,
)

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


# -- tests --------------------------------------------------------------------------------------


async def test_migrations_apply_to_an_empty_database_once(fresh_db: str) -> None:
    settings = Settings(database_url=fresh_db)
    context_before, inited_before = get_current_context(), Tortoise.is_inited()
    expected = [path.name for path in migration_files(DIALECT)]
    assert expected, f"no migrations for {DIALECT}; run `python -m oms.migrate make init`"

    assert await apply_migrations(settings) == expected
    schema = await schema_of(fresh_db)
    assert await apply_migrations(settings) == []  # a no-op the second time
    assert await schema_of(fresh_db) == schema
    # Nothing left behind: the app can set up Tortoise afterwards.
    assert get_current_context() is context_before
    assert Tortoise.is_inited() == inited_before


async def test_migrated_schema_equals_the_schema_of_the_models(
    fresh_db: str, reference_db: str
) -> None:
    await apply_migrations(Settings(database_url=fresh_db))
    migrated = await schema_of(fresh_db)

    async with isolated_tortoise() as ctx:
        config = tortoise_config(Settings(database_url=reference_db), with_aerich=True)
        await ctx.init(config=config)
        await ctx.generate_schemas(safe=False)
    from_models = await schema_of(reference_db)
    _forget_server_defaults_unknown_to_models(migrated, from_models)

    assert sorted(migrated) == sorted(from_models), (
        "tables differ: run `python -m oms.migrate make NAME`"
    )
    for table in from_models:
        assert migrated[table] == from_models[table], (
            f"table {table!r} differs from the models: run `python -m oms.migrate make NAME`"
        )


async def test_models_have_no_changes_missing_from_the_migrations(fresh_db: str) -> None:
    settings = Settings(database_url=fresh_db)
    await apply_migrations(settings)
    missing = await pending_model_changes(settings)
    assert missing == [], (
        "The models changed without a migration; run `python -m oms.migrate make NAME`. "
        "aerich would generate:\n" + ";\n".join(missing)
    )


async def test_app_uses_the_migrated_database_and_survives_a_later_upgrade(fresh_db: str) -> None:
    settings = Settings(database_url=fresh_db)
    await apply_migrations(settings)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings))
        assert await Product.all().count() == 0
        # Migrating while the app's context is live leaves the app's binding intact.
        assert await apply_migrations(settings) == []
        assert get_current_context() is ctx
        assert await Product.all().count() == 0


def _models_state(path: Path) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(f"_oms_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return decompress_dict(module.MODELS_STATE)


def test_the_dialect_folders_are_in_step() -> None:
    """Every migration exists for both dialects, made from the same models."""
    files = {dialect: migration_files(dialect) for dialect in DIALECTS}
    names = {
        dialect: [(p.name.split("_", 2)[0], p.stem.split("_", 2)[2]) for p in paths]
        for dialect, paths in files.items()
    }
    assert names["sqlite"], "no migrations; run `python -m oms.migrate make init`"
    assert names["sqlite"] == names["postgres"]
    assert _models_state(files["sqlite"][-1]) == _models_state(files["postgres"][-1])
