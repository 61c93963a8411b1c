"""The `oms` command, run as users run it: a separate process on a fresh database."""

import os
import subprocess
import sys

import pytest


def oms(db_url: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMS_DATABASE_URL": db_url, "OMS_SECRET_KEY": "cli-test-secret-" + "k" * 32}
    return subprocess.run(
        [sys.executable, "-m", "oms.cli", *args],
        env=env, input=input, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def db(oms_database_url):
    result = oms(oms_database_url, "migrate")
    assert result.returncode == 0, result.stderr
    return oms_database_url


def test_migrate_twice_is_a_no_op(db):
    again = oms(db, "migrate")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout


def test_seed_creates_the_demo_catalog_once(db):
    first = oms(db, "seed")
    assert first.returncode == 0, first.stderr
    assert "admin@example.com" in first.stdout
    assert "password:" in first.stdout
    second = oms(db, "seed")
    assert second.returncode == 0
    assert "nothing seeded" in second.stdout


def test_create_staff_with_permissions(db):
    result = oms(db, "create-staff", "ops@example.com", "--password", "ops-pass-123",
                 "--permission", "MANAGE_ORDERS", "--permission", "VIEW_REPORTS")
    assert result.returncode == 0, result.stderr
    assert "MANAGE_ORDERS, VIEW_REPORTS" in result.stdout
    duplicate = oms(db, "create-staff", "ops@example.com", "--password", "ops-pass-123")
    assert duplicate.returncode == 2
    assert "already exists" in duplicate.stderr


def test_create_staff_refuses_unknown_permission(db):
    result = oms(db, "create-staff", "x@example.com", "--password", "long-enough-1", "--permission", "GOD_MODE")
    assert result.returncode == 2
    assert "GOD_MODE" in result.stderr


def test_plugins_lists_the_built_in_types():
    result = subprocess.run([sys.executable, "-m", "oms.cli", "plugins"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "physical: physical (ships: yes, stock: yes)" in result.stdout
    assert "digital: digital (ships: no, stock: no)" in result.stdout


def test_a_malformed_setting_is_a_clear_error():
    env = {**os.environ, "OMS_PAYMENT_TIMEOUT_SECONDS": "soon"}
    result = subprocess.run([sys.executable, "-m", "oms.cli", "plugins"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "OMS_PAYMENT_TIMEOUT_SECONDS" in result.stderr
    assert "Traceback" not in result.stderr
