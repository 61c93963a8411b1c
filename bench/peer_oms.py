"""oms's side of bench/peer.py: a real ``oms serve`` process and an ``oms worker`` process
(the layout of the Vendure peer: server and worker apart) on a scratch PostgreSQL
database, driven over HTTP. The closed-loop order runs use bench/peer_load.js (Node, plain
``http``, as the peer's bench.js) by default, or with ``python_load`` httpx in this process
(bench/common.py, bench/place_orders.py); both send the same documents. Setup and the staff
list use httpx."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from bench.common import LOGIN, MARK_PAID, gql, ok
from bench.peer_runs import (
    CpuWatch,
    Run,
    closed_loop,
    cpu_snapshot,
    load1,
    pending_jobs,
    start_server_and_worker,
    stop_processes,
    wait_drained,
)
from bench.place_orders import ADDRESS, PLACE_ORDER, setup_catalog
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, free_port, migrate, server_env

# The staff list, as close as oms's schema allows to the peer's admin query (bench.js:
# orders(take: 100) with state, total, customer email, lines with sku, name, prices).
STAFF_LIST = """query StaffOrders { orders(first: 100) { edges { node {
  id number status createdAt currency email total { amount currency }
  lines { id sku name quantity unitPrice { amount } total { amount } } } } } }"""
PENDING_JOBS = "SELECT count(*) FROM job WHERE status IN ('QUEUED', 'RUNNING') AND run_at <= now()"
LOAD_JS = Path(__file__).resolve().parent / "peer_load.js"
SHIPPING_METHOD = "standard"


class OmsSide:
    name = "oms"

    def __init__(self, database_url: str, work: str, skus: list[str], python_load: bool = False):
        self.url, self.work, self.skus, self.python_load = database_url, work, skus, python_load
        self.database = database_url.rsplit("/", 1)[1]
        self.dsn = database_url.replace("postgres://", "postgresql://", 1)
        self.processes: dict[str, subprocess.Popen] = {}
        self.base = ""
        self.staff = ""
        self.seq = itertools.count()
        self.run_id = uuid.uuid4().hex[:8]

    def _command(self, *args: str) -> list[str]:
        script = Path(sys.executable).parent / "oms"
        return [str(script), *args] if script.exists() else [sys.executable, "-m", "oms.cli", *args]

    async def start(self) -> None:
        await migrate(self.url)
        await asyncio.to_thread(create_staff, self.url)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = server_env(self.url, {
            "OMS_RUN_WORKER": "false", "OMS_PUBLIC_URL": self.base,
            "OMS_MAIL_DIR": os.path.join(self.work, "maildir"), "OMS_MEDIA_ROOT": os.path.join(self.work, "media"),
        })
        commands = {"server": self._command("serve", "--host", "127.0.0.1", "--port", str(port)),
                    "worker": self._command("worker")}
        logs = {kind: os.path.join(self.work, f"oms-{kind}.log") for kind in commands}
        self.processes = await start_server_and_worker(commands, env, self.work, logs, self.base + "/healthz", 90)
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as http:
            await setup_catalog(http, self.skus)
            self.staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
        await asyncio.sleep(1)
        worker = self.processes["worker"]
        if worker.poll() is not None:
            raise RuntimeError(f"oms worker exited: see {self.work}/oms-worker.log")

    def stop(self) -> None:
        stop_processes(self.processes)

    def _snap(self, client: bool = True) -> dict[str, dict[str, float]]:
        """CPU so far of the server, the worker, the database's backends, and of this process
        as the ``client`` if it is the load generator."""
        pids = {kind: [p.pid] for kind, p in self.processes.items()}
        if client:
            pids["client"] = [os.getpid()]
        return cpu_snapshot(pids, self.database)

    async def _pending(self) -> int:
        return await pending_jobs(self.dsn, PENDING_JOBS)

    def _place_variables(self) -> dict:
        n = next(self.seq)
        first, second = random.sample(self.skus, 2)
        return {"input": {
            "lines": [{"sku": first, "quantity": 1}, {"sku": second, "quantity": 2}],
            "email": f"c-{self.run_id}-{n}@bench.test", "shippingAddress": ADDRESS,
            "shippingMethod": SHIPPING_METHOD, "idempotencyKey": f"peer-{self.run_id}-{n}",
        }}

    async def orders(self, clients: int, seconds: float, pay: bool) -> Run:
        """Closed loop of placeOrder (guest, 2 lines), then markOrderPaid as staff if ``pay``,
        by bench/peer_load.js (or httpx here if ``python_load``). CPU runs until the worker
        has drained the jobs the run enqueued; ``client`` is the load generator's. Without
        ``pay`` (placement against the floor, which has no jobs) the worker is paused
        (SIGSTOP) during the run, as bench/place_orders.py runs without one, and resumed after."""
        worker = self.processes["worker"].pid
        async with CpuWatch(lambda: self._snap(client=self.python_load)) as watch:
            if not pay:
                os.kill(worker, signal.SIGSTOP)
            try:
                if self.python_load:
                    latencies, errors, elapsed = await self._python_loop(clients, seconds, pay)
                    client_cpu = None
                else:
                    latencies, errors, elapsed, client_cpu = await self._node_loop(clients, seconds, pay)
            finally:
                os.kill(worker, signal.SIGCONT)
            load = load1()
            backlog, waited = await wait_drained(self._pending, 120)
        cpu = watch.used
        if client_cpu is not None:
            cpu["client"] = client_cpu
        note = f"worker backlog {backlog} jobs, drained in {waited:.1f} s" if backlog else ""
        note += "" if pay else " (worker paused during the run)"
        return Run(self.name, "paid order" if pay else "placeOrder", clients, len(latencies), elapsed,
                   latencies, errors, cpu, load, note, generator="httpx" if self.python_load else "Node")

    async def _python_loop(self, clients: int, seconds: float, pay: bool) -> tuple[list[float], list[str], float]:
        async def one(http: httpx.AsyncClient) -> None:
            payload = ok((await gql(http, PLACE_ORDER, self._place_variables()))["placeOrder"], "placeOrder")
            if not payload["order"]:
                raise RuntimeError(f"placeOrder gave no order: {payload}")
            if pay:
                ok((await gql(http, MARK_PAID, {"id": payload["order"]["id"]}, self.staff))["markOrderPaid"],
                   "markOrderPaid")

        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=120) as http:
            return await closed_loop(clients, seconds, lambda: one(http))

    async def _node_loop(self, clients: int, seconds: float, pay: bool,
                         ) -> tuple[list[float], list[str], float, float]:
        """bench/peer_load.js: latencies (s), errors, elapsed seconds, its CPU seconds."""
        run_id = f"{self.run_id}n{next(self.seq)}"
        config = load_config(self.base, self.staff, self.skus, clients, seconds, pay, run_id)
        result = await node_load(config, os.path.join(self.work, f"peer-load-{run_id}.json"))
        return ([ms / 1000 for ms in result["latencies_ms"]], result["error_messages"], result["seconds"],
                result["cpu_ms"] / 1000)

    async def staff_list(self, requests: int) -> Run:
        """The staff list of 100 orders, one request at a time, after 5 unmeasured."""
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as http:
            for _ in range(5):
                await gql(http, STAFF_LIST, token=self.staff)
            latencies, count = [], 0
            async with CpuWatch(self._snap) as watch:
                for _ in range(requests):
                    began = time.perf_counter()
                    data = await gql(http, STAFF_LIST, token=self.staff)
                    latencies.append(time.perf_counter() - began)
                    count = len(data["orders"]["edges"])
            cpu = watch.used
        note = "" if count == 100 else f"only {count} orders listed"
        return Run(self.name, "staff list", 1, requests, sum(latencies), latencies, [], cpu, load1(), note)


def load_config(base: str, token: str, skus: list[str], clients: int, seconds: float, pay: bool,
                run_id: str) -> dict:
    """bench/peer_load.js's --config: the run, and the documents and fixtures the httpx loop
    sends (``OmsSide._place_variables``), so that both send the same requests."""
    return {"url": base, "token": token, "clients": clients, "seconds": seconds, "pay": pay,
            "placeOrder": PLACE_ORDER, "markOrderPaid": MARK_PAID, "skus": skus, "address": ADDRESS,
            "shippingMethod": SHIPPING_METHOD, "runId": run_id}


async def node_load(config: dict, path: str) -> dict:
    """Run bench/peer_load.js with ``config`` (written to ``path``); its JSON result."""
    with open(path, "w") as f:
        json.dump(config, f)
    process = await asyncio.create_subprocess_exec(
        "node", str(LOAD_JS), "--config", path, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), config["seconds"] + 180)
    except BaseException:
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    if process.returncode != 0:
        raise RuntimeError(f"peer_load.js failed ({process.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    return json.loads(out.decode().strip().splitlines()[-1])
