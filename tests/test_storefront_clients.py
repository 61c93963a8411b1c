"""The storefront flows through real JavaScript clients (issue 14): Apollo Client 4 with its
persisted-queries link and urql with @urql/exchange-persisted, graphql-ws for live updates,
against a live oms server. The flows are tests/storefront_js/flows.mjs; this test starts the
server (SQLite, or PostgreSQL under OMS_TEST_DATABASE_URL), installs the pinned packages
(``npm ci``, once: node_modules is kept, keyed by the lockfile) and fails with the script's
output when any step does."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, fresh_database, live_server, migrate

JS = Path(__file__).resolve().parent / "storefront_js"
STAMP = JS / "node_modules" / ".oms-lock-sha256"
DOWNLOAD_TEXT = "The oms storefront guide, chapter 1.\n"


def npm_ci() -> None:
    """``npm ci`` unless node_modules was installed from this very lockfile."""
    lock = hashlib.sha256((JS / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == lock:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=JS, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, f"npm ci failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    STAMP.write_text(lock)


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm")
async def test_apollo_and_urql_run_the_storefront_flows_with_apq(tmp_path):
    await asyncio.to_thread(npm_ci)
    media = tmp_path / "media"
    (media / "books").mkdir(parents=True)
    (media / "books" / "guide.txt").write_text(DOWNLOAD_TEXT)
    async with fresh_database(tmp_path) as db:
        await migrate(db)
        await asyncio.to_thread(create_staff, db)
        env = {"OMS_MEDIA_ROOT": str(media), "OMS_CURRENCY": "USD", "OMS_PRICES_INCLUDE_TAX": "false"}
        async with live_server(db, env=env, log_dir=tmp_path) as server:
            node_env = {
                **os.environ,
                "OMS_URL": server.url,
                "STAFF_EMAIL": STAFF_EMAIL,
                "STAFF_PASSWORD": STAFF_PASSWORD,
                "DOWNLOAD_TEXT": DOWNLOAD_TEXT,
            }
            done = await asyncio.to_thread(
                subprocess.run, ["node", "flows.mjs"], cwd=JS, env=node_env,
                capture_output=True, text=True, timeout=120,
            )
            output = f"{done.stdout}\n{done.stderr}"
            assert done.returncode == 0, f"the storefront flows failed:\n{output}\nserver:\n{server.exceptions()}"
            assert "STOREFRONT OK " in done.stdout, output
            print(done.stdout)  # the summary: orders, totals, live pushes, APQ counts per client
