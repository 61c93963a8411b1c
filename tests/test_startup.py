"""Start-up mistakes end in one `error: ...` line that says what to do, quickly, with exit
code 2 and no traceback; commands that need a migrated database create nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oms.testing import test_database_url
from tests.live_server import SECRET_KEY

PG = test_database_url()
pg_only = pytest.mark.skipif(PG is None, reason="needs OMS_TEST_DATABASE_URL (PostgreSQL)")
# Generous: the process must not hang (the bug: forever), imports take ~1-2 s on a busy CI.
BOUND = 20


def run_oms(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    full.update(env or {})
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "oms.cli", *args], env=full, cwd=cwd, capture_output=True, text=True, timeout=BOUND,
    )
    return done, time.monotonic() - started


def assert_one_line_error(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "1"], ["seed"], ["worker"]])
def test_a_sqlite_file_in_a_missing_folder_is_an_error_not_a_hang(tmp_path, command):
    done, _ = run_oms(tmp_path, *command, env={"OMS_DATABASE_URL": f"sqlite://{tmp_path}/missing/oms.sqlite3"})
    assert_one_line_error(done, f"{tmp_path}/missing does not exist", "mkdir -p")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [
    ["create-staff", "a@example.com", "--password", "long-enough-1"], ["seed"], ["worker"],
    ["add-file", "EBOOK-GUIDE", "/etc/hostname"],
])
def test_commands_before_migrate_say_so_and_create_nothing(tmp_path, command):
    done, _ = run_oms(tmp_path, *command, env={"OMS_DATABASE_URL": "sqlite://oms.sqlite3"})
    assert_one_line_error(done, "run `oms migrate`")
    assert list(tmp_path.iterdir()) == []  # no empty database, no key file


def test_migrate_then_commands_work_and_keep_the_key_beside_the_database(tmp_path):
    env = {"OMS_DATABASE_URL": f"sqlite://{tmp_path}/data/oms.sqlite3"}
    (tmp_path / "data").mkdir()
    (tmp_path / "work").mkdir()
    done, _ = run_oms(tmp_path / "work", "migrate", env=env)
    assert done.returncode == 0, done.stderr
    done, _ = run_oms(tmp_path / "work", "create-staff", "a@example.com", "--password", "long-enough-1", env=env)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "work").iterdir()) == []
    assert (tmp_path / "data" / ".oms-secret-key").exists()


@pytest.mark.parametrize("url,needle", [
    ("oms.sqlite3", "is not a database URL"),
    ("postgres://u@h:notaport/db", "OMS_DATABASE_URL"),
])
def test_a_malformed_database_url_is_one_line(tmp_path, url, needle):
    done, _ = run_oms(tmp_path, "migrate", env={"OMS_DATABASE_URL": url})
    assert_one_line_error(done, needle)


def test_a_weak_key_in_production_is_refused_before_anything_is_written(tmp_path):
    env = {"OMS_ENV": "production", "OMS_SECRET_KEY": "a" * 40, "OMS_DATABASE_URL": "sqlite://oms.sqlite3"}
    done, _ = run_oms(tmp_path, "serve", "--port", "1", env=env)
    assert_one_line_error(done, "OMS_SECRET_KEY")
    done, _ = run_oms(tmp_path, "serve", "--port", "1", env={**env, "OMS_SECRET_KEY": ""})
    assert_one_line_error(done, "OMS_SECRET_KEY: production mode")
    assert list(tmp_path.iterdir()) == []


def test_address_in_use_comes_before_any_serving_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"OMS_DATABASE_URL": f"sqlite://{tmp_path}/oms.sqlite3", "OMS_SECRET_KEY": SECRET_KEY}
        done, _ = run_oms(tmp_path, "serve", "--port", str(port), env=env)
    assert_one_line_error(done, f"127.0.0.1:{port} is already in use")
    assert "GraphQL at" not in done.stdout + done.stderr
    assert "Uvicorn running" not in done.stdout + done.stderr


@pytest.mark.parametrize("options,needle", [
    (["--port", "99999"], "--port 99999 is not a port number"),
    (["--port", "-1"], "--port -1 is not a port number"),
    (["--host", "no-such-host.invalid", "--port", "0"], "cannot listen on no-such-host.invalid:0"),
])
def test_a_wrong_port_or_host_is_one_line(tmp_path, options, needle):
    env = {"OMS_DATABASE_URL": f"sqlite://{tmp_path}/oms.sqlite3", "OMS_SECRET_KEY": SECRET_KEY}
    done, _ = run_oms(tmp_path, "serve", *options, env=env)
    assert_one_line_error(done, needle)
    assert "GraphQL at" not in done.stdout + done.stderr


@pg_only
@pytest.mark.parametrize("url,needles", [
    ("postgres://postgres@127.0.0.1:1/postgres", ["cannot reach PostgreSQL at 127.0.0.1:1"]),
    ("postgres://postgres@127.0.0.1:5432/oms_no_such_database", ["'oms_no_such_database' does not exist", "createdb"]),
    ("postgres://oms_no_such_role@127.0.0.1:5432/postgres", ["refused the login", "oms_no_such_role"]),
    ("postgres://postgres:hunter2@127.0.0.1:5432/postgres", ["not migrated", "run `oms migrate`"]),
])
def test_postgres_mistakes_are_one_line(tmp_path, url, needles):
    done, elapsed = run_oms(tmp_path, "create-staff", "a@example.com", "--password", "long-enough-1",
                            env={"OMS_DATABASE_URL": url})
    assert_one_line_error(done, *needles)
    assert "hunter2" not in done.stderr
    assert list(tmp_path.iterdir()) == []


async def test_a_stripe_key_without_webhook_secret_is_said_at_start_and_in_the_answer(caplog, oms_settings):
    import dataclasses

    import httpx

    from oms.app import create_app

    settings = dataclasses.replace(oms_settings, stripe_api_key="sk_test_x", stripe_webhook_secret=None)
    app = create_app(settings)
    with caplog.at_level("WARNING", logger="oms"):
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            response = await client.post("/webhooks/stripe", content=b"{}", headers={"stripe-signature": "t=1,v1=x"})
    assert response.status_code == 400
    assert "OMS_STRIPE_WEBHOOK_SECRET is not set" in response.json()["error"]
    warnings = [r.getMessage() for r in caplog.records if "OMS_STRIPE_WEBHOOK_SECRET" in r.getMessage()]
    assert len(warnings) == 1 and "sk_test_x" not in warnings[0]
