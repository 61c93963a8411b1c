"""The Vendure 3.7.3 peer's side of bench/peer.py: its harness (../shared/peers/vendure,
see its README) copied to a temp folder, ``npm install``-ed, seeded with populate.js, its
server (index.js) and worker (index-worker.js) started, and its own load generator bench.js
run for each measurement. Nothing of the harness is kept in this repository.

bench.js reports throughput and latency over its own window (it starts no order after
``--duration`` seconds and waits for the running ones). CPU is read here from /proc around
each bench.js invocation, until the job queue is drained, for the server, the worker and
the PostgreSQL backends of the peer's database; a bench.js invocation also logs in (bcrypt),
reads the catalog and sends 10 warm-up list requests, so an invocation doing only that is
measured twice per round and its least CPU subtracted from the others'.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import stat
import subprocess
import time

import asyncpg

from bench.peer_runs import (
    CpuWatch,
    Run,
    cpu_snapshot,
    load1,
    pending_jobs,
    start_server_and_worker,
    stop_processes,
    wait_drained,
)
from tests.live_server import free_port

PENDING_JOBS = "SELECT count(*) FROM job_record WHERE state IN ('PENDING', 'RUNNING', 'RETRYING')"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class VendureSide:
    name = "Vendure"

    def __init__(self, harness: str, work: str, base_dsn: str):
        self.harness, self.work = harness, os.path.join(work, "vendure")
        self.database = f"vendure_peer_{os.getpid()}"
        head = base_dsn.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0]
        self.base_dsn, self.dsn = base_dsn.replace("postgres://", "postgresql://", 1), f"{head}/{self.database}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "NODE_ENV": "production", "VENDURE_LOG_LEVEL": "warn",
                    "VENDURE_PORT": str(self.port), "DB_NAME": self.database,
                    "VENDURE_DISABLE_TELEMETRY": "true"}
        self.processes: dict[str, subprocess.Popen] = {}
        self.overhead: dict[str, float] = {}
        self.calls = 0

    def _run(self, command: list[str], what: str, timeout: float, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(command, cwd=self.work, env=env or self.env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    async def start(self, installed: str | None) -> None:
        """Copy (or reuse ``installed``, a folder where it is already npm-installed), seed, start."""
        if installed and os.path.isdir(os.path.join(installed, "node_modules")):
            self.work = installed
        else:
            shutil.copytree(self.harness, self.work, ignore=shutil.ignore_patterns("node_modules", "logs", "results"))
            for folder, _dirs, files in os.walk(self.work):  # the shared copy may be read-only
                for path in [folder, *(os.path.join(folder, f) for f in files)]:
                    os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR)
            began = time.monotonic()
            await asyncio.to_thread(self._run, ["npm", "install", "--no-audit", "--no-fund"], "npm install", 600)
            print(f"  Vendure harness installed in {self.work} ({time.monotonic() - began:.0f} s)", flush=True)
        os.makedirs(os.path.join(self.work, "logs"), exist_ok=True)
        await asyncio.to_thread(self._run, ["node", "populate.js"], "populate.js", 300, {**self.env, "RESET": "true"})
        commands = {"server": ["node", "index.js"], "worker": ["node", "index-worker.js"]}
        logs = {kind: os.path.join(self.work, "logs", f"{kind}.log") for kind in commands}
        self.processes = await start_server_and_worker(commands, self.env, self.work, logs, self.url + "/health", 120)
        await wait_drained(self._pending, 60)  # the search-index jobs populate queued

    async def stop(self) -> None:
        stop_processes(self.processes)
        conn = await asyncpg.connect(self.base_dsn, timeout=30)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)', timeout=60)
        finally:
            await conn.close(timeout=10)

    def _snap(self) -> dict[str, dict[str, float]]:
        snap = cpu_snapshot({kind: [p.pid] for kind, p in self.processes.items()}, self.database)
        snap["client"] = {"bench.js": _children_cpu()}
        return snap

    async def _pending(self) -> int:
        return await pending_jobs(self.dsn, PENDING_JOBS)

    async def _bench(self, *args: str) -> tuple[dict, dict[str, float], int]:
        """Run bench.js once; its JSON, the CPU seconds per kind until the queue drained,
        and the jobs that were pending when it ended."""
        self.calls += 1
        out = os.path.join(self.work, "logs", f"bench-{self.calls}.json")
        command = ["node", "bench.js", "--url", self.url, "--out", out, *args]
        async with CpuWatch(self._snap) as watch:
            await asyncio.to_thread(self._run, command, "bench.js " + " ".join(args), 900)
            backlog, _ = await wait_drained(self._pending, 120)
        cpu = watch.used
        with open(out) as f:
            return json.load(f), cpu, backlog

    async def measure_overhead(self) -> None:
        """A bench.js invocation without measured work (login, catalog, 10 list warm-ups);
        the least of two, per process kind (the machine's load only ever adds)."""
        costs = [(await self._bench("--skip-orders", "--admin-iters", "0", "--admin-concurrency", ""))[1]
                 for _ in range(2)]
        self.overhead = {kind: min(cost.get(kind, 0.0) for cost in costs) for kind in costs[0]}
        print("  Vendure: a bench.js invocation's own cost (login, catalog, 10 list warm-ups), subtracted from each"
              " run's CPU: " + ", ".join(f"{kind} {s * 1000:.0f} ms" for kind, s in self.overhead.items()), flush=True)

    def _less_overhead(self, cpu: dict[str, float]) -> dict[str, float]:
        return {kind: max(0.0, seconds - self.overhead.get(kind, 0.0)) for kind, seconds in cpu.items()}

    async def warm_up(self) -> None:
        await self._bench("--concurrency", "10", "--orders", "20", "--warmup", "0", "--admin-iters", "0",
                          "--admin-concurrency", "")

    async def orders(self, clients: int, seconds: float) -> Run:
        """Its 7-mutation flow (bench.js, --mode multi), a paid (PaymentSettled) order each."""
        result, cpu, backlog = await self._bench(
            "--concurrency", str(clients), "--duration", str(seconds), "--warmup", "0",
            "--admin-iters", "0", "--admin-concurrency", "")
        row = result["order_runs"][0]
        flow = row["flow_ms"]
        # bench.js keeps percentiles, not every latency.
        return Run(self.name, "paid order", clients, row["orders_completed"], row["elapsed_s"], [],
                   [f"{row['error_samples'][:1]}"] * row["errors"], self._less_overhead(cpu), load1(),
                   f"worker backlog {backlog} jobs at the end" if backlog else "",
                   fixed={50: flow["p50"], 99: flow["p99"]}, generator="bench.js")

    async def staff_list(self, requests: int) -> Run:
        """Admin ``orders(take: 100)`` with lines, variant sku and customer, one at a time."""
        result, cpu, _ = await self._bench("--skip-orders", "--admin-iters", str(requests), "--admin-concurrency", "1")
        row = result["admin_runs"][0]
        latency = row["latency_ms"]
        note = "" if row["orders_returned"] == 100 else f"only {row['orders_returned']} orders listed"
        return Run(self.name, "staff list", 1, requests, requests / row["req_per_s"], [], [],
                   self._less_overhead(cpu), load1(), note, fixed={50: latency["p50"], 99: latency["p99"]})
