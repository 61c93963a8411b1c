"""oms and an outside plugin, installed from built wheels (not editable), migrate and serve.

The oms wheel is built from a copy of the repository, the plugin's from the guide's
oms-tickets package (docs/writing_plugins.md) with migrations written by
``python -m oms.migrate make init --plugin tickets``. Both go into a fresh venv whose only
link to this environment is a ``.pth`` line for the dependencies' site-packages (where the
editable oms's finder is never run), so ``import oms`` is the wheel's copy. On SQLite, or
on PostgreSQL when ``OMS_TEST_DATABASE_URL`` is set.

Slow-ish (builds two wheels): select it with ``-m wheels``, leave it out with ``-m "not wheels"``.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import httpx
import pytest

from oms import testing
from tests.live_server import fresh_database, server_env, sql_rows
from tests.test_plugin_host import guide_files, install_entry_points

pytestmark = pytest.mark.wheels

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "*.sqlite3*"
)
STAFF = ("staff@example.com", "staff-pass-123")


@dataclasses.dataclass
class Installed:
    venv: Path
    site: Path  # the venv's site-packages
    work: Path  # a working directory outside the repository

    def oms(self, *args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.venv / "bin" / "oms"), *args], env=env, cwd=self.work,
            capture_output=True, text=True, timeout=timeout,
        )


def _run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "OMS_")) and k != "PYTHONPATH"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheels")
    wheels = tmp / "wheels"
    # oms, from a copy of the sources (a build writes build/ and *.egg-info where it runs).
    source = tmp / "oms-src"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         source, "-w", wheels)

    # The guide's plugin, with the migrations its author writes before building it.
    project = tmp / "oms-tickets"
    for name, text in guide_files().items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    entry_points = tmp / "entry-points"
    install_entry_points(project, entry_points)
    pg_admin = testing.test_database_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    made = _run(
        sys.executable, "-m", "oms.migrate", "make", "init", "--plugin", "tickets", cwd=tmp,
        env=_clean_env(PYTHONPATH=os.pathsep.join([str(project), str(entry_points)]),
                       OMS_MIGRATIONS_PG_URL=pg_admin),
    )
    assert made.stdout.count("created ") == 2, made.stdout
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         project, "-w", wheels)

    # A fresh venv: the wheels, plus a path to the dependencies already installed here.
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    site = Path(_run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp).stdout.strip())
    (site / "oms-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index",
         *sorted(wheels.glob("*.whl")))
    work = tmp / "work"
    work.mkdir()
    return Installed(venv, site, work)


def test_the_venv_imports_the_installed_wheels(installed):
    done = _run(
        installed.venv / "bin" / "python", "-c",
        "import oms, oms_digital, oms_tickets; print(oms.__file__); print(oms_digital.__file__); "
        "print(oms_tickets.__file__)",
        cwd=installed.work, env=_clean_env(),
    )
    for path in done.stdout.split():
        assert Path(path).is_relative_to(installed.site), done.stdout
    shipped = sorted(p.relative_to(installed.site).parts[0] for p in installed.site.rglob("migrations/*/*/0_*_init.py"))
    assert shipped == sorted(
        name for name in ["oms", "oms_consultation", "oms_digital", "oms_physical", "oms_subscription", "oms_tickets"]
        for _dialect in ("sqlite", "postgres")
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_for_health(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, "oms serve exited"
            try:
                if (await client.get(base + "/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await _sleep(0.2)
    raise AssertionError("oms serve did not answer /healthz within 60 s")


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _graphql(client: httpx.AsyncClient, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }"
CREATE = """mutation($input: CreateProductInput!) {
  createProduct(input: $input) { product { slug } userErrors { field code message } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { field code message } } }"""
PAY = "mutation($id: ID!) { markOrderPaid(id: $id) { order { status } userErrors { code message } } }"


async def test_migrate_and_serve_a_paid_ticket_order(installed):
    async with fresh_database(installed.work) as url:
        env = server_env(url)
        migrated = installed.oms("migrate", env=env)
        assert migrated.returncode == 0, migrated.stderr
        assert "  models/0_" in migrated.stdout and "  oms_tickets/0_" in migrated.stdout, migrated.stdout
        assert await sql_rows(url, "SELECT COUNT(*) FROM tickets_ticket") == [(0,)]
        assert installed.oms("create-staff", *STAFF[:1], "--password", STAFF[1], "--superuser", env=env).returncode == 0

        port = _free_port()
        log = open(installed.work / f"serve-{port}.log", "w")
        process = subprocess.Popen(
            [str(installed.venv / "bin" / "oms"), "serve", "--port", str(port)], env=env,
            cwd=installed.work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            await _wait_for_health(base, process)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                token = (await _graphql(client, LOGIN, {"e": STAFF[0], "p": STAFF[1]}))["login"]["token"]
                event = {"event": "Concert", "starts_at": "2099-06-01T20:00:00+02:00"}
                product = {"name": "Concert", "productType": "ticket",
                           "variants": [{"sku": "GIG-1", "price": "30.00", "attributes": event}]}
                created = (await _graphql(client, CREATE, {"input": product}, token))["createProduct"]
                assert created["userErrors"] == [], created
                order = {"lines": [{"sku": "GIG-1", "quantity": 2, "options": {"attendees": ["Ada", "Grace"]}}],
                         "email": "fan@example.com", "idempotencyKey": uuid.uuid4().hex}
                placed = (await _graphql(client, PLACE, {"input": order}))["placeOrder"]
                assert placed["userErrors"] == [] and placed["order"]["status"] == "PENDING_PAYMENT", placed
                paid = (await _graphql(client, PAY, {"id": placed["order"]["id"]}, token))["markOrderPaid"]
                assert paid == {"order": {"status": "PROCESSING"}, "userErrors": []}
            # The plugin's own table, created by its own migration, holds its rows.
            rows = await sql_rows(url, "SELECT attendee FROM tickets_ticket ORDER BY attendee")
            assert rows == [("Ada",), ("Grace",)]
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def _one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


async def test_start_up_fails_while_the_plugin_is_behind(installed):
    async with fresh_database(installed.work) as url:
        env = server_env(url)
        assert installed.oms("migrate", env=env).returncode == 0
        # As if the database were migrated before the plugin was installed.
        await _execute(url, "DELETE FROM aerich WHERE app = 'oms_tickets'")
        # (oms serve migrates before it serves: the next test covers what stops it.)
        line = _one_line_error(installed.oms("worker", env=env, timeout=60))
        assert line == "error: plugin 'tickets' is not migrated (0 of 1 migrations applied): run `oms migrate`"
        again = installed.oms("migrate", env=env)
        assert again.returncode == 0 and "oms_tickets/0_" in again.stdout, again.stdout + again.stderr


async def test_start_up_fails_when_the_plugin_ships_no_migrations(installed):
    shipped = installed.site / "oms_tickets" / "migrations"
    withheld = shipped.with_name("withheld-migrations")
    shipped.rename(withheld)
    try:
        async with fresh_database(installed.work) as url:
            env = server_env(url)
            for command in (["serve", "--port", str(_free_port())], ["migrate"]):
                line = _one_line_error(installed.oms(*command, env=env, timeout=60))
                assert line.startswith("error: plugin 'tickets' ships no "), line
                assert "`oms migrate` cannot create its tables" in line, line
            # Nothing was applied: not even the core's history.
            assert installed.oms("worker", env=env, timeout=60).returncode == 2
    finally:
        withheld.rename(shipped)


async def _execute(url: str, statement: str) -> None:
    if url.startswith(("postgres://", "postgresql://")):
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute(statement)
        finally:
            await conn.close()
    else:
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite://"):])
        try:
            conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
