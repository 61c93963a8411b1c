"""Real worker processes on a fresh database migrated as in production (SQLite file, or
PostgreSQL with OMS_TEST_DATABASE_URL): ``oms worker`` killed with SIGKILL mid-job,
stopped with SIGTERM, several draining one queue, and the worker inside the API server.

The workers load ``tests.job_plugin`` (``--plugin``), whose handlers write rows to a
``job_effect`` table, so the test counts how many times an effect committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from oms import testing
from oms.config import Settings
from oms.db import tortoise_config
from oms.jobs.models import Job, JobStatus
from oms.jobs.services import enqueue
from tests.job_plugin import CREATE_EFFECT_TABLE, EFFECTS_OF
from tests.live_server import _stop, fresh_database, live_server, migrate, server_env, sql_rows

ROOT = Path(__file__).resolve().parents[1]
LEASE_SECONDS = 2
on_postgres_only = pytest.mark.skipif(
    testing.test_database_url() is None, reason="several worker processes need PostgreSQL"
)


def worker_env(database_url: str, **extra: str) -> dict[str, str]:
    return server_env(database_url, {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "OMS_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "OMS_JOB_POLL_INTERVAL_MS": "50",
        **extra,
    })


@contextlib.contextmanager
def oms_worker(database_url: str, log_path: Path, *args: str) -> Iterator[subprocess.Popen]:
    """``oms worker --plugin tests.job_plugin`` in its own process group; stopped at the end."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oms.cli", "worker", "--plugin", "tests.job_plugin", *args],
            env=worker_env(database_url), stdout=log, stderr=subprocess.STDOUT,
            cwd=log_path.parent, start_new_session=True,
        )
    try:
        yield process
    finally:
        _stop(process)


async def execute(database_url: str, statement: str) -> None:
    """Run one statement and commit it (sql_rows only reads)."""
    if database_url.startswith(("postgres://", "postgresql://")):
        import asyncpg

        conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute(statement)
        finally:
            await conn.close()
        return
    with contextlib.closing(sqlite3.connect(database_url[len("sqlite://"):])) as conn:
        conn.execute(statement)
        conn.commit()


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[str]:
    """A migrated database with the job_effect table, and Tortoise on it in this process
    (to enqueue and read jobs as the application does)."""
    async with fresh_database(tmp_path) as url:
        await migrate(url)
        await execute(url, CREATE_EFFECT_TABLE)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(Settings(database_url=url)))
            yield url


async def effects(database_url: str, marker: str) -> list[int]:
    """The pids of the workers whose write for ``marker`` committed."""
    return [row[0] for row in await sql_rows(database_url, EFFECTS_OF, marker)]


async def until(predicate, timeout: float, what: str, logs: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            log = "".join(p.read_text(errors="replace") for p in sorted(logs.glob("*.log"))) if logs else ""
            raise AssertionError(f"timed out waiting until {what}\n{log}")
        await asyncio.sleep(0.05)


async def _job_status(job_id: int, status: JobStatus) -> bool:
    return (await Job.get(id=job_id)).status == status


async def test_a_worker_killed_mid_job_is_replaced_after_its_lease(database, tmp_path):
    started, hold = tmp_path / "started", tmp_path / "hold"
    hold.touch()
    job = await enqueue("test.slow_write_row", {
        "marker": "killed", "started_file": str(started), "hold_file": str(hold),
    })

    with oms_worker(database, tmp_path / "first.log") as first:
        await until(lambda: _exists(started), 60, "the first worker started the job", tmp_path)
        running = await Job.get(id=job.id)
        assert running.status == JobStatus.RUNNING and f":{first.pid}:" in running.locked_by
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    killed_at = time.monotonic()
    hold.unlink()
    # The killed worker's write never committed.
    assert await effects(database, "killed") == []

    with oms_worker(database, tmp_path / "second.log") as second:
        await until(
            lambda: _job_status(job.id, JobStatus.DONE), 60, "the second worker finished it", tmp_path
        )
        done = await Job.get(id=job.id)

    assert await effects(database, "killed") == [second.pid]
    assert done.attempts == 2
    assert f":{second.pid}:" in done.locked_by
    # Not before the first worker's lease (renewed while it ran) had expired.
    assert done.finished_at >= running.locked_until
    assert time.monotonic() - killed_at < LEASE_SECONDS + 30


async def _exists(path: Path) -> bool:
    return path.exists()


async def test_sigterm_lets_the_running_job_finish(database, tmp_path):
    started, hold = tmp_path / "started", tmp_path / "hold"
    hold.touch()
    job = await enqueue("test.slow_write_row", {
        "marker": "graceful", "started_file": str(started), "hold_file": str(hold),
    })
    waiting = await enqueue("test.write_row", {"marker": "waiting"})

    with oms_worker(database, tmp_path / "worker.log", "--concurrency", "1") as worker:
        await until(lambda: _exists(started), 60, "the worker started the job", tmp_path)
        worker.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        assert worker.poll() is None, "the worker must wait for its running job"
        hold.unlink()
        assert await asyncio.to_thread(worker.wait, 30) == 0

    assert (await Job.get(id=job.id)).status == JobStatus.DONE
    assert await effects(database, "graceful") == [worker.pid]
    # Claimed with the first one but never started: given back untouched.
    later = await Job.get(id=waiting.id)
    assert (later.status, later.attempts, later.locked_by) == (JobStatus.QUEUED, 0, None)
    assert await effects(database, "waiting") == []


@on_postgres_only
async def test_several_workers_drain_a_queue_running_each_job_exactly_once(database, tmp_path):
    jobs = 300
    for n in range(jobs):
        await enqueue("test.write_row", {"marker": f"m{n}"})

    with contextlib.ExitStack() as stack:
        workers = [
            stack.enter_context(oms_worker(database, tmp_path / f"worker-{i}.log", "--batch-size", "10"))
            for i in range(3)
        ]

        async def drained() -> bool:
            return await Job.filter(kind="test.write_row", status=JobStatus.DONE).count() == jobs

        await until(drained, 120, "all jobs are done", tmp_path)

    rows = await sql_rows(database, "SELECT marker, COUNT(*) FROM job_effect GROUP BY marker")
    assert len(rows) == jobs and all(count == 1 for _, count in rows)
    assert await Job.filter(kind="test.write_row", attempts=1).count() == jobs
    by_worker = await sql_rows(database, "SELECT pid, COUNT(*) FROM job_effect GROUP BY pid")
    assert {pid for pid, _ in by_worker} <= {w.pid for w in workers}
    assert len(by_worker) >= 2, f"one worker did everything: {by_worker}"


@pytest.mark.parametrize("run_worker", [True, False], ids=["serve-runs-jobs", "OMS_RUN_WORKER=false"])
async def test_the_api_server_runs_jobs_unless_told_not_to(database, tmp_path, run_worker):
    env = {**worker_env(database), "OMS_RUN_WORKER": str(run_worker).lower()}
    async with live_server(database, env=env, log_dir=tmp_path):
        job = await enqueue("nobody.handles", {})
        if run_worker:
            await until(lambda: _job_status(job.id, JobStatus.DEAD), 30, "the server's worker ran the job")
            assert "No handler for job kind 'nobody.handles'" in (await Job.get(id=job.id)).last_error
        else:
            await asyncio.sleep(1.0)
            assert (await Job.get(id=job.id)).status == JobStatus.QUEUED
