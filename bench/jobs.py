"""Benchmark the job worker: jobs/s with 1, 2 and 4 ``oms worker`` processes on PostgreSQL,
for a no-op job and for a job that writes one row in its own transaction.

    .venv/bin/python bench/jobs.py                              # ~1-2 min
    .venv/bin/python bench/jobs.py --workers 1,2 --kinds noop --jobs 20000

For each kind and worker count: a fresh PostgreSQL database on the server of
``--database-url`` (default env OMS_TEST_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/postgres), migrated with the aerich migrations and
dropped at the end. The workers (``oms worker --plugin tests.job_plugin``, default
settings unless ``--concurrency`` / ``--batch-size``) start and go idle; then ``--jobs``
jobs are inserted in one transaction, and the clock runs from its commit to the last
``finished_at`` (the table is ANALYZEd right after the insert, as autovacuum would in a
running system, unless ``--no-analyze``). Every job must end DONE after one attempt;
for ``write`` every row must be there exactly once. Each case runs ``--repeat`` times (default 3); it prints the
median jobs/s with the range, the ratio to one worker, and CPU seconds per 1000 jobs of
the worker processes and of the PostgreSQL backends serving them (from /proc, so
PostgreSQL must run on this machine).
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.* when run as a script

import asyncpg  # noqa: E402

from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.job_plugin import CREATE_EFFECT_TABLE  # noqa: E402
from tests.live_server import migrate, server_env  # noqa: E402

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
KINDS = {"noop": "test.noop", "write": "test.write_row"}
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(select: Callable[[int, str, int], bool]) -> float:
    """utime + stime of the live processes ``select(pid, comm, process group)`` picks."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        if select(int(entry.name), comm, int(fields[2])):
            total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def _serves(pid: int, database: str) -> bool:
    """Whether a postgres process is a backend connected to ``database`` (its title says)."""
    try:
        return f" {database} " in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return False


def cpu(worker_groups: set[int], database: str) -> dict[str, float]:
    """CPU seconds so far of the worker processes and of the PostgreSQL backends serving
    the benchmark's database (other sessions on the server are not counted)."""
    return {
        "workers": _proc_cpu(lambda pid, comm, pgid: pgid in worker_groups),
        "db": _proc_cpu(lambda pid, comm, pgid: comm.startswith("postgres") and _serves(pid, database)),
    }


@dataclasses.dataclass
class Result:
    kind: str
    workers: int
    jobs: int
    seconds: float
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return self.jobs / self.seconds


def _dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@contextlib.contextmanager
def workers(url: str, count: int, folder: Path, args: list[str]) -> Iterator[list[subprocess.Popen]]:
    env = server_env(url, {"PYTHONPATH": str(ROOT), "OMS_JOB_POLL_INTERVAL_MS": "20", "OMS_LOG_LEVEL": "info"})
    processes = []
    try:
        for i in range(count):
            with open(folder / f"worker-{i}.log", "wb") as log:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "oms.cli", "worker", "--plugin", "tests.job_plugin", *args],
                    env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True,
                ))
        yield processes
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


async def _wait_started(folder: Path, count: int, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited:\n{_logs(folder)}")
        started = sum("Job worker" in p.read_text(errors="replace") for p in folder.glob("worker-*.log"))
        if started == count:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the workers did not start:\n{_logs(folder)}")


def _logs(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(folder.glob("*.log")))


async def run_one(
    admin_url: str, kind: str, count: int, jobs: int, args: list[str], *, analyze: bool = True
) -> Result:
    url = await create_postgres_database(admin_url)
    try:
        await migrate(url)
        conn = await asyncpg.connect(_dsn(url))
        try:
            await conn.execute(CREATE_EFFECT_TABLE)
            with tempfile.TemporaryDirectory(prefix="oms-bench-jobs-") as tmp:
                folder = Path(tmp)
                with workers(url, count, folder, args) as processes:
                    await _wait_started(folder, count, processes)
                    groups = {p.pid for p in processes}
                    await conn.execute(
                        """
                        INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at,
                                         created_at, updated_at)
                        SELECT $1, jsonb_build_object('marker', 'm' || g), 'QUEUED', 0, 8,
                               now(), now(), now()
                        FROM generate_series(1, $2) AS g
                        """,
                        KINDS[kind], jobs,
                    )
                    committed = dt.datetime.now(dt.UTC)
                    # After the insert: its cost is the benchmark's, not the workers'.
                    database = url.rsplit("/", 1)[1]
                    before = cpu(groups, database)
                    if analyze:
                        # What autovacuum does for a table in use. A never-analyzed job
                        # table (a fresh database) gets a plan that sorts every due job
                        # on each claim; see docs/performance.md.
                        await conn.execute("ANALYZE job")
                    deadline = time.monotonic() + 600
                    # Cheap (an index probe), so as not to load the server being measured;
                    # the time comes from finished_at, not from when this notices.
                    pending = (
                        "SELECT EXISTS (SELECT 1 FROM job"
                        " WHERE status IN ('QUEUED', 'RUNNING') AND kind = $1)"
                    )
                    while await conn.fetchval(pending, KINDS[kind]):
                        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                            raise RuntimeError(f"the jobs were not all done:\n{_logs(folder)}")
                        await asyncio.sleep(0.2)
                    after = cpu(groups, database)
            # (Other jobs, e.g. the core's periodic ones, run too but are not counted.)
            last = await conn.fetchval("SELECT max(finished_at) FROM job WHERE kind = $1", KINDS[kind])
            await _check(conn, kind, jobs)
        finally:
            await conn.close()
    finally:
        await drop_postgres_database(admin_url, url)
    used = {name: after[name] - before[name] for name in after}
    return Result(kind, count, jobs, (last - committed).total_seconds(), used)


async def _check(conn: asyncpg.Connection, kind: str, jobs: int) -> None:
    once = await conn.fetchval(
        "SELECT count(*) FROM job WHERE kind = $1 AND status = 'DONE' AND attempts = 1", KINDS[kind]
    )
    if once != jobs:
        raise RuntimeError(f"{jobs - once} job(s) ran more than once or did not finish")
    if kind == "write":
        rows, markers = await conn.fetchrow("SELECT count(*), count(DISTINCT marker) FROM job_effect")
        if rows != jobs or markers != jobs:
            raise RuntimeError(f"{rows} rows for {markers} markers, expected {jobs} of each")


def machine() -> str:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPU ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_ADMIN_URL
    )
    parser.add_argument("--workers", default="1,2,4", help="worker process counts, e.g. 1,2,4")
    parser.add_argument("--kinds", default="noop,write", help="noop and/or write")
    parser.add_argument("--jobs", type=int, help="jobs per run (default 20000 noop, 10000 write)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the median is reported")
    parser.add_argument("--concurrency", type=int, help="oms worker --concurrency")
    parser.add_argument("--batch-size", type=int, help="oms worker --batch-size")
    parser.add_argument("--no-analyze", action="store_true",
                        help="do not ANALYZE the job table after inserting the jobs")
    args = parser.parse_args()
    worker_args = []
    if args.concurrency:
        worker_args += ["--concurrency", str(args.concurrency)]
    if args.batch_size:
        worker_args += ["--batch-size", str(args.batch_size)]

    conn = await asyncpg.connect(_dsn(args.database_url))
    try:
        server = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    print(f"{machine()}; PostgreSQL {server}; worker options: {' '.join(worker_args) or 'defaults'}"
          f"{'; job table not analyzed' if args.no_analyze else ''}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'kind':6} {'workers':>7} {'jobs':>7} {'jobs/s':>8} {'(min-max)':>13} {'vs 1':>6} "
          f"{'worker CPU s/1k':>16} {'db CPU s/1k':>12}")
    for kind in args.kinds.split(","):
        jobs = args.jobs or (20000 if kind == "noop" else 10000)
        base = None
        for count in [int(n) for n in args.workers.split(",")]:
            results = sorted(
                [
                    await run_one(
                        args.database_url, kind, count, jobs, worker_args, analyze=not args.no_analyze
                    )
                    for _ in range(args.repeat)
                ],
                key=lambda r: r.rate,
            )
            median = results[len(results) // 2]
            base = base or median.rate
            print(f"{kind:6} {count:>7} {jobs:>7} {median.rate:>8.0f} "
                  f"{f'({results[0].rate:.0f}-{results[-1].rate:.0f})':>13} {median.rate / base:>6.2f} "
                  f"{1000 * median.cpu['workers'] / jobs:>16.3f} {1000 * median.cpu['db'] / jobs:>12.3f}",
                  flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    asyncio.run(main())
