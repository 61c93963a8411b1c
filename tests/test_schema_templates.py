"""oms.testing's per-session schema templates (oms.testing_templates): each test's database
is a copy of a template while it is still empty, with the schema ``generate_schemas`` makes."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
import subprocess
import sys
import textwrap
import types
import uuid
from pathlib import Path

import asyncpg
import pytest

from oms import hookimpl
from oms.db import model_modules
from oms.plugins import plugin_model_modules
from oms.testing import (
    create_postgres_database,
    drop_postgres_database,
    hand_written_postgres_indexes,
    test_database_url,
)
from oms.testing_templates import SchemaTemplates, _generate_schema, schema_key
from tests.test_migrations import schema_of

POSTGRES = test_database_url() is not None


def _dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def _tables(url: str) -> set[str]:
    if url.startswith("sqlite://"):
        con = sqlite3.connect(url.removeprefix("sqlite://"))
        try:
            return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    conn = await asyncpg.connect(_dsn(url))
    try:
        return {r[0] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    finally:
        await conn.close()


async def _databases_like(prefix: str) -> list[str]:
    server = test_database_url()
    assert server is not None
    conn = await asyncpg.connect(_dsn(server))
    try:
        return [r[0] for r in await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", prefix + "%")]
    finally:
        await conn.close()


async def test_oms_database_url_names_an_empty_database(oms_database_url):
    """As documented: a brand-new database (PostgreSQL: it exists, without a table; SQLite:
    a file not written yet), whatever ``oms_app`` later copies into its own."""
    if POSTGRES:
        assert await _tables(oms_database_url) == set()
        conn = await asyncpg.connect(_dsn(oms_database_url))
        try:
            assert await conn.fetchval(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public'"
            ) == 0
        finally:
            await conn.close()
    else:
        assert not Path(oms_database_url.removeprefix("sqlite://")).exists()


async def test_the_app_database_has_the_schema_generate_schemas_makes(oms_app, oms_schema_templates, tmp_path):
    assert oms_schema_templates.names(), "oms_app made no template"
    settings = oms_app.state.settings
    modules = model_modules(plugin_model_modules(oms_app.state.plugins))
    extra = hand_written_postgres_indexes() if POSTGRES else ()
    if POSTGRES:
        reference = await create_postgres_database(test_database_url() or "")
    else:
        reference = f"sqlite://{tmp_path / 'reference.sqlite3'}"
    try:
        await _generate_schema(dataclasses.replace(settings, database_url=reference), modules, extra)
        expected = await schema_of(reference)
        assert expected
        assert await schema_of(settings.database_url) == expected
    finally:
        if POSTGRES:
            await drop_postgres_database(test_database_url() or "", reference)


_WRITES = {
    "table": "CREATE TABLE kept_by_oms_app (id INTEGER PRIMARY KEY)",
    "function": "CREATE FUNCTION kept_by_oms_app() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    "schema": "CREATE SCHEMA kept_by_oms_app",
}
_FOUND = {
    "function": "SELECT count(*) FROM pg_proc WHERE proname = 'kept_by_oms_app'",
    "schema": "SELECT count(*) FROM pg_namespace WHERE nspname = 'kept_by_oms_app'",
}


@pytest.fixture(params=["table", "function", "schema"])
async def filled_before_the_app(request, oms_database_url):
    """A fixture that writes to the test's database before ``oms_app`` starts."""
    if POSTGRES:
        conn = await asyncpg.connect(_dsn(oms_database_url))
        try:
            await conn.execute(_WRITES[request.param])
        finally:
            await conn.close()
    elif request.param == "table":
        con = sqlite3.connect(oms_database_url.removeprefix("sqlite://"))
        try:
            con.execute(_WRITES["table"])
            con.commit()
        finally:
            con.close()
    else:
        pytest.skip("SQLite has no functions or schemas in the file")
    return request.param


async def test_a_database_written_before_the_app_is_kept(filled_before_the_app, oms_app):
    """No copy over a database that is no longer empty: ``generate_schemas`` adds the
    missing tables, as it always did."""
    url = oms_app.state.settings.database_url
    tables = await _tables(url)
    assert {"order", "order_line", "product"} <= tables
    if filled_before_the_app == "table":
        assert "kept_by_oms_app" in tables
        return
    conn = await asyncpg.connect(_dsn(url))
    try:
        assert await conn.fetchval(_FOUND[filled_before_the_app]) == 1
    finally:
        await conn.close()


_SCANS = '''
from tortoise import fields
from tortoise.models import Model


class TemplateScan(Model):
    code = fields.CharField(max_length=20)

    class Meta:
        table = "{table}"
'''


class ScanModels:
    __name__ = "template-scans"

    def __init__(self, module: str):
        self.module = module

    @hookimpl
    def oms_models(self):
        return [self.module]


class TestAPluginsModels:
    @pytest.fixture(params=["first", "second"])
    def scan_plugin(self, request, tmp_path, monkeypatch):
        """A plugin whose model module (another table for each parameter) is written for the test."""
        name = f"oms_template_scans_{request.param}"
        (tmp_path / f"{name}.py").write_text(_SCANS.format(table=f"template_scan_{request.param}"))
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.delitem(sys.modules, name, raising=False)
        return request.param, ScanModels(name)

    @pytest.fixture
    def oms_extra_plugins(self, scan_plugin):
        return [scan_plugin[1]]

    async def test_are_in_its_template(self, scan_plugin, oms_app):
        which, _ = scan_plugin
        other = {"first": "second", "second": "first"}[which]
        tables = await _tables(oms_app.state.settings.database_url)
        assert f"template_scan_{which}" in tables
        assert f"template_scan_{other}" not in tables


def test_the_key_is_what_makes_the_schema(oms_settings, monkeypatch):
    core = model_modules([])
    key = schema_key(oms_settings, core, ())
    assert key is not None and key == schema_key(oms_settings, list(core), ())
    assert schema_key(oms_settings, core + ["oms_digital.models"], ()) != key
    assert schema_key(oms_settings, core, ("CREATE INDEX i ON t (c)",)) != key
    # A model module made at run time has no source to hash: no template for it.
    monkeypatch.setitem(sys.modules, "oms_models_without_source", types.ModuleType("oms_models_without_source"))
    assert schema_key(oms_settings, core + ["oms_models_without_source"], ()) is None


async def test_templates_are_dropped_and_refuse_connections(oms_settings, tmp_path):
    templates = SchemaTemplates()
    modules = model_modules([])
    extra = hand_written_postgres_indexes() if POSTGRES else ()
    server = test_database_url()
    targets = [await create_postgres_database(server) for _ in range(2)] if server else [
        f"sqlite://{tmp_path / f'{i}.sqlite3'}" for i in range(2)
    ]
    try:
        for target in targets:
            assert await templates.fill(dataclasses.replace(oms_settings, database_url=target), modules, extra)
            assert "order" in await _tables(target)
        [template] = templates.names()  # made once, copied twice
        if server:
            assert template.startswith(os.environ.get("OMS_TEST_DATABASE_PREFIX") or "oms_test")
            with pytest.raises(asyncpg.PostgresError, match="not currently accepting connections"):
                await asyncpg.connect(_dsn(f"{server.rsplit('/', 1)[0]}/{template}"))
        spares = templates.spares()
        assert len(spares) == (2 if server else 0)  # the two empty databases swapped out
        await templates.drop_all()
        assert templates.names() == [] and templates.spares() == []
        if server:
            for name in [template, *spares]:
                assert await _databases_like(name) == []
        else:
            assert not Path(template).exists()
    finally:
        await templates.drop_all()
        for target in targets if server else ():
            await drop_postgres_database(server, target)


@pytest.mark.skipif(not POSTGRES, reason="spares: PostgreSQL databases swapped out for a copy")
async def test_a_swapped_out_database_is_handed_out_empty_once(oms_settings):
    templates = SchemaTemplates()
    server = test_database_url() or ""
    target = await templates.empty_database(server)  # no spare yet: a new one
    given = [target]
    try:
        assert await _tables(target) == set()
        settings = dataclasses.replace(oms_settings, database_url=target)
        assert await templates.fill(settings, model_modules([]), hand_written_postgres_indexes())
        [spare] = templates.spares()
        given.append(await templates.empty_database(server))
        assert given[1].rsplit("/", 1)[1] == spare and given[1] != target
        assert await _tables(given[1]) == set() and "order" in await _tables(target)
        assert templates.spares() == []
        given.append(await templates.empty_database(server))  # no spare left: a new one
        assert len(set(given)) == 3 and await _tables(given[2]) == set()
    finally:
        await templates.drop_all()
        for url in given:
            await drop_postgres_database(server, url)


@pytest.mark.skipif(not POSTGRES, reason="the templates of a session on PostgreSQL")
def test_a_session_drops_its_templates_at_its_end(tmp_path):
    """A whole pytest session (another process) leaves no template database behind."""
    prefix = f"oms_tpl_check_{uuid.uuid4().hex[:8]}"
    (tmp_path / "test_two.py").write_text(textwrap.dedent("""
        async def test_one(oms_app, oms_schema_templates):
            assert oms_schema_templates.names()

        async def test_two(oms_app, oms_schema_templates):
            assert len(oms_schema_templates.names()) == 1
    """))
    env = {**os.environ, "OMS_TEST_DATABASE_PREFIX": prefix}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto",
         "-o", "asyncio_default_fixture_loop_scope=function", str(tmp_path / "test_two.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert asyncio.run(_databases_like(prefix)) == []
