"""What bench/peer.py's three sides share: a closed-loop run, CPU per process kind, and a
measured run's figures."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable

import asyncpg
import httpx

from bench.common import percentile
from bench.cpu import _cpu_seconds, _proc_cpu

Snapshot = dict[str, dict[str, float]]


def cpu_snapshot(pids: dict[str, list[int]], database: str) -> Snapshot:
    """CPU seconds so far of each process of each kind (``server``, ``worker``, ...) and of
    the PostgreSQL backends serving ``database`` (from /proc schedstat, all threads)."""
    snap: Snapshot = {}
    for kind, group in pids.items():
        snap[kind] = {}
        for pid in group:
            try:
                snap[kind][str(pid)] = _cpu_seconds(str(pid))
            except OSError:  # ended
                pass
    snap["postgres"] = _proc_cpu(lambda cmdline, pgid: cmdline.startswith("postgres: ") and f" {database} " in cmdline)
    return snap


def cpu_between(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """Seconds per kind (a backend that started in between counts from 0; one that ended is lost)."""
    return {kind: sum(s - before.get(kind, {}).get(pid, 0.0) for pid, s in pids.items())
            for kind, pids in after.items()}


def load1() -> float:
    return os.getloadavg()[0]


@dataclasses.dataclass
class Run:
    """One measured run: ``done`` operations in ``seconds``; CPU seconds per process kind."""

    side: str
    what: str
    clients: int
    done: int
    seconds: float
    latencies: list[float]  # seconds
    errors: list[str]
    cpu: dict[str, float]
    load: float  # 1-minute load average at the end of the run
    note: str = ""
    fixed: dict[float, float] = dataclasses.field(default_factory=dict)  # percentile -> ms, if given
    generator: str = ""  # the load generator ("client" CPU): "Node", "httpx", "bench.js", ...

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        """Latency percentile, ms."""
        return self.fixed[q] if q in self.fixed else percentile(self.latencies, q)

    def cpu_ms(self, *kinds: str) -> float:
        """CPU ms per operation of the given kinds (all but the load generator if none)."""
        kinds = kinds or tuple(k for k in self.cpu if k != "client")
        return sum(self.cpu.get(k, 0.0) for k in kinds) / self.done * 1000 if self.done else float("nan")

    def line(self) -> str:
        cpu = " + ".join(f"{k} {self.cpu_ms(k):.1f}" for k in self.cpu if k != "client")
        named = f" ({self.generator})" if self.generator else ""
        client = f"; load generator{named} {self.cpu_ms('client'):.1f}" if "client" in self.cpu else ""
        errors = f"  ERRORS {len(self.errors)}: {self.errors[0][:160]}" if self.errors else ""
        note = f"; {self.note}" if self.note else ""
        return (f"  {self.side:7} {self.what:11} N={self.clients:<3} {self.rate:8.1f}/s  p50 {self.p(50):7.1f} ms"
                f"  p99 {self.p(99):7.1f} ms  ({self.done} in {self.seconds:.1f} s)  CPU ms each: {cpu}"
                f" = {self.cpu_ms():.1f}{client}{note}  [load {self.load:.2f}]{errors}")


async def closed_loop(clients: int, seconds: float, one: Callable[[], Awaitable[object]],
                      ) -> tuple[list[float], list[str], float]:
    """``clients`` tasks, each starting a new operation as soon as its last one is done,
    until ``seconds`` have passed (what bench.js's ``--duration`` does); the ones running
    then finish. Latencies of the successful ones, errors, elapsed seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()
    stop_at = start + seconds

    async def client() -> None:
        while time.monotonic() < stop_at and len(errors) < 50:
            began = time.perf_counter()
            try:
                await one()
            except Exception as exc:  # counted and shown, never hidden
                errors.append(repr(exc))
                await asyncio.sleep(0.05)
                continue
            latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.monotonic() - start


async def wait_drained(count: Callable[[], Awaitable[int]], timeout: float) -> tuple[int, float]:
    """Wait until ``count()`` (jobs still to run) is 0; (jobs at the start, seconds waited)."""
    began = time.monotonic()
    first = pending = await count()
    while pending and time.monotonic() - began < timeout:
        await asyncio.sleep(0.2)
        pending = await count()
    if pending:
        raise RuntimeError(f"the job queue did not drain in {timeout:.0f} s ({pending} jobs left)")
    return first, time.monotonic() - began


def median(values: list[float]) -> float:
    values = [v for v in values if v == v]  # no NaN
    return statistics.median(values) if values else float("nan")


def start_process(command: list[str], env: dict[str, str], cwd: str, log_path: str) -> subprocess.Popen:
    """A server process in a session (process group) of its own: a Ctrl-C in the terminal
    does not reach it, and ``stop_process`` ends it and any child it has."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM to its process group, SIGKILL after 15 s."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def stop_processes(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        stop_process(process)
    processes.clear()


async def start_server_and_worker(commands: dict[str, list[str]], env: dict[str, str], cwd: str,
                                  logs: dict[str, str], health_url: str, timeout: float,
                                  ) -> dict[str, subprocess.Popen]:
    """A side's processes (``server`` and ``worker``: kind -> command, each logging to
    ``logs[kind]``), started until ``health_url`` answers 200 and the others still run;
    all stopped again if that fails."""
    processes: dict[str, subprocess.Popen] = {}
    try:
        for kind, command in commands.items():
            processes[kind] = start_process(command, env, cwd, logs[kind])
        await wait_http(health_url, processes["server"], logs["server"], timeout)
        for kind, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"the {kind} {process.args!r} exited with {process.returncode}:\n{tail(logs[kind])}")
    except BaseException:
        stop_processes(processes)
        raise
    return processes


async def pending_jobs(dsn: str, query: str) -> int:
    """``query`` (a count of the jobs still to run) on a connection of its own."""
    conn = await asyncpg.connect(dsn, timeout=30)
    try:
        return await conn.fetchval(query, timeout=30)
    finally:
        await conn.close(timeout=10)


async def wait_http(url: str, process: subprocess.Popen, log_path: str, timeout: float) -> None:
    """Until ``url`` answers 200; fails with the log's tail if the process exits first."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{tail(log_path)}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{tail(log_path)}")


def tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


class CpuWatch:
    """CPU per kind between entering and leaving, sampled every ``every`` seconds so that a
    PostgreSQL backend that a pool closes meanwhile (node-postgres closes connections idle
    for 10 s) keeps the CPU it had when last seen; ``used`` once left."""

    def __init__(self, snap: Callable[[], Snapshot], every: float = 2.0):
        self.snap, self.every = snap, every
        self.used: dict[str, float] = {}

    def _merge(self, snap: Snapshot) -> None:
        for kind, pids in snap.items():
            self.latest.setdefault(kind, {}).update(pids)

    async def _sample(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self._merge(self.snap())

    async def __aenter__(self) -> CpuWatch:
        self.before = self.snap()
        self.latest: Snapshot = {kind: dict(pids) for kind, pids in self.before.items()}
        self.task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self._merge(self.snap())
        self.used = cpu_between(self.before, self.latest)
