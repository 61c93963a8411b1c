"""Schemathesis fuzzes the GraphQL API of a real server (fixed seed, bounded time):
every generated operation, as an anonymous client and as staff, must be answered
without a 5xx and without a masked "Unexpected error." (tests/fuzz_hooks.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live_server import create_staff, fresh_database, live_server, migrate, STAFF_EMAIL, STAFF_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
# Per run: the examples per operation and a hard time budget.
EXAMPLES = 8
MAX_TIME_SECONDS = 12


async def _staff_token(url: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        response = await client.post("/graphql", json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            "variables": {"e": STAFF_EMAIL, "p": STAFF_PASSWORD},
        })
    return response.json()["data"]["login"]["token"]


def _schemathesis(url: str, tmp_path: Path, *headers: str) -> subprocess.CompletedProcess:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    command = [
        st, "run", f"{url}/graphql", "-n", str(EXAMPLES), "--seed", "1", "--max-time", str(MAX_TIME_SECONDS),
        "--checks", "no_server_errors", "--request-timeout", "10", "--workers", "2",
        "--report-dir", str(tmp_path / "schemathesis-report"), "--no-shrink",
    ]
    for header in headers:
        command += ["-H", header]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz_hooks", "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, timeout=MAX_TIME_SECONDS + 60, cwd=tmp_path, env=env)


@pytest.mark.parametrize("who", ["anonymous", "staff"])
async def test_fuzzing_finds_no_server_error_and_no_masked_error(tmp_path, who):
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        create_staff(url)
        async with live_server(url, log_dir=tmp_path) as server:
            headers = [f"Authorization: Bearer {await _staff_token(server.url)}"] if who == "staff" else []
            done = _schemathesis(server.url, tmp_path, *headers)
            output = done.stdout + done.stderr
            assert done.returncode == 0, output[-6000:] + "\n" + server.exceptions()
            # It really ran operations (not an empty or failed schema load).
            assert "passed" in output.lower(), output[-3000:]
