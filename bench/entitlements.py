"""Benchmark the access check ``GET /entitlements/{accessKey}``: requests/s against one
uvicorn process, and the ratio to ``GET /healthz`` in the same run (target: >= 0.5).

    .venv/bin/python bench/entitlements.py              # SQLite, 100 keys, 3 rounds; ~1 min
    .venv/bin/python bench/entitlements.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Setup (not timed): a fresh database (a temporary SQLite file, or with ``--database-url`` a
new PostgreSQL database on that server, dropped at the end), migrated, with a staff
account (``oms create-staff``). ONE server process, ``uvicorn --factory oms.app:create_app``
(tests/live_server.py: no reload, no worker children, the job worker in-process as in
``oms serve``), and through its GraphQL: a subscription product (``{"interval": "month"}``),
``--orders`` guest orders of it, each marked paid by staff (``markOrderPaid``); the job
worker delivers them (the queue is empty before timing), and each order's
``fulfillments { details { ... on SubscriptionActivation { subscription { accessKey } } } }``
gives one access key. One unknown key must answer 404.

Timed, ``--rounds`` rounds, each a ``/healthz`` phase and an ``/entitlements/{key}`` phase
(order alternating between rounds: H E, E H, ...), each phase ``--duration`` seconds
after ``--warmup`` seconds not counted, with ``--connections`` keep-alive HTTP/1.1
connections each sending one request at a time; the keys are cycled. ``/healthz`` runs
``SELECT 1`` on the database, so both sides make one query per request.

The load generator is a few lines of asyncio streams on uvloop (request bytes written by
hand, the response head split and its Content-Length body read), not httpx: httpx costs
about as much CPU per request as the server, and on two cores it would be the bottleneck.
Its CPU is printed for each phase (as a fraction of a core, with the server's and, on
PostgreSQL, the database backends'): while the server is near 100 % of a core and the
client well below it, the server is what is measured. Every response is checked: /healthz
200 ``{"status": "ok"}``, every entitlement 200 with ``active`` true and the key's
status ACTIVE.

Printed: per phase requests/s, p50/p99 latency (nearest rank), CPU, and the server's CPU
ms per request; then per endpoint the median requests/s of the rounds and latency over all
rounds; the ratio of the medians with PASS/FAIL against 0.5; and the server's CPU per
request of each (on a shared machine the server's share of a core varies between phases,
its CPU per request much less). See docs/performance.md ("Access checks").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import httpx  # noqa: E402

from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, live_server, migrate, sql_rows  # noqa: E402
from bench.common import CREATE_PRODUCT, LOGIN, MARK_PAID, gql, ok, percentile  # noqa: E402

TARGET = 0.5  # entitlements/s over healthz/s
SKU = "BENCH-PLAN"

PLACE_ORDER = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } orderToken userErrors { field code message } } }"""
ACCESS_KEY = """query($t: String) { order(token: $t) { fulfillments { details {
  ... on SubscriptionActivation { subscription { accessKey status } } } } } }"""


# -- setup ----------------------------------------------------------------------------------------


async def paid_orders(server_url: str, count: int, clients: int) -> list[str]:
    """The order tokens of ``count`` guest orders of the plan, each marked paid by staff."""
    async with httpx.AsyncClient(base_url=server_url, timeout=60) as http:
        staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
        ok((await gql(http, CREATE_PRODUCT, {"input": {
            "name": "Bench plan", "productType": "subscription",
            "variants": [{"sku": SKU, "price": "19.00", "attributes": {"interval": "month"}}]}},
            staff))["createProduct"], "createProduct")
        tokens: list[str] = []
        todo = list(range(count))

        async def client() -> None:
            while todo:
                i = todo.pop()
                placed = ok((await gql(http, PLACE_ORDER, {"input": {
                    "lines": [{"sku": SKU, "quantity": 1}], "email": f"subscriber{i}@example.com",
                    "idempotencyKey": f"bench-entitlements-{uuid.uuid4().hex}"}}))["placeOrder"], "placeOrder")
                ok((await gql(http, MARK_PAID, {"id": placed["order"]["id"]}, staff))["markOrderPaid"],
                   "markOrderPaid")
                tokens.append(placed["orderToken"])

        await asyncio.gather(*(client() for _ in range(clients)))
    return tokens


async def wait_for_jobs(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (left,), = await sql_rows(url, "SELECT count(*) FROM job WHERE status NOT IN ('DONE', 'FAILED')")
        if not left:
            return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"jobs still queued after {timeout:.0f} s")


async def access_keys(server_url: str, tokens: list[str]) -> list[str]:
    """One ACTIVE subscription's access key per order, read through GraphQL as the buyer."""
    keys = []
    async with httpx.AsyncClient(base_url=server_url, timeout=60) as http:
        for token in tokens:
            order = (await gql(http, ACCESS_KEY, {"t": token}))["order"]
            found = [f["details"]["subscription"] for f in order["fulfillments"]
                     if (f["details"] or {}).get("subscription")]
            if len(found) != 1 or found[0]["status"] != "ACTIVE" or not found[0]["accessKey"]:
                raise RuntimeError(f"order {token[:8]}...: expected one ACTIVE subscription, got {order}")
            keys.append(found[0]["accessKey"])
    if len(set(keys)) != len(keys):
        raise RuntimeError("access keys are not unique")
    return keys


# -- CPU (/proc; the database's only when PostgreSQL runs on this machine) -----------------------


def cpu_seconds(pid: int | str) -> float:
    """All threads of ``pid``, from the scheduler's exact ``schedstat``."""
    return sum(int(Path(task.path, "schedstat").read_text().split()[0])
               for task in os.scandir(f"/proc/{pid}/task")) / 1e9


def backends(database: str) -> list[str]:
    """PostgreSQL backend processes serving ``database`` ("postgres: user db host state")."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
                    found.append(entry.name)
    return found


def cpu_snapshot(server_pid: int, database: str | None) -> dict[str, dict[str, float]]:
    """CPU seconds so far per kind and pid (backends come and go with the pool)."""
    snapshot = {"client": {"self": cpu_seconds(os.getpid())}, "app": {"app": cpu_seconds(server_pid)}}
    if database:
        snapshot["db"] = {}
        for pid in backends(database):
            with contextlib.suppress(OSError):
                snapshot["db"][pid] = cpu_seconds(pid)
    return snapshot


def cpu_used(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict[str, float]:
    """Seconds per kind between two snapshots; a backend that ended in between is lost."""
    return {kind: sum(seconds - before[kind].get(pid, 0.0) for pid, seconds in pids.items())
            for kind, pids in after.items()}


# -- the load generator ---------------------------------------------------------------------------


class BadResponse(Exception):
    pass


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One keep-alive HTTP/1.1 GET: (status, body). uvicorn answers these with a
    Content-Length, never chunked."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise BadResponse(f"no Content-Length: {head[:300]!r}")
    return status, await reader.readexactly(length)


def check_healthz(status: int, body: bytes) -> bool:
    return status == 200 and json.loads(body) == {"status": "ok"}


def check_entitlement(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    answer = json.loads(body)
    return answer.get("active") is True and answer.get("status") == "ACTIVE"


@dataclasses.dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    bad: list[str]
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        cpu = "  ".join(f"{kind} {seconds / self.seconds:4.0%}" for kind, seconds in self.cpu.items())
        return (f"{self.name:13} {self.requests:7} req {self.rate:6.0f} req/s"
                f"  p50 {percentile(self.latencies, 50):5.1f}  p99 {percentile(self.latencies, 99):5.1f} ms"
                f"  CPU (of one core): {cpu};"
                f" app {self.cpu['app'] / self.requests * 1000:.2f} ms/req"
                + (f"  BAD {len(self.bad)}" if self.bad else ""))


async def load(name: str, server_url: str, paths: Callable[[], str], check: Callable[[int, bytes], bool], *,
               connections: int, warmup: float, duration: float,
               cpu: Callable[[], dict[str, dict[str, float]]]) -> Phase:
    """``connections`` clients, each one request at a time on its own connection, for
    ``warmup`` (not counted) then ``duration`` seconds. Requests still in flight at the
    end are completed and counted, and the clock stops when the last one is done."""
    host = urlsplit(server_url)
    latencies: list[float] = []
    bad: list[str] = []
    counting = asyncio.Event()
    stop = asyncio.Event()

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host.hostname, host.port)
        try:
            while not stop.is_set():
                request = f"GET {paths()} HTTP/1.1\r\nHost: {host.netloc}\r\n\r\n".encode()
                began = time.perf_counter()
                status, body = await get(reader, writer, request)
                took = time.perf_counter() - began
                if counting.is_set():
                    latencies.append(took)
                    if not check(status, body):
                        bad.append(f"{status} {body[:200]!r}")
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    tasks = [asyncio.create_task(client()) for _ in range(connections)]
    await asyncio.sleep(warmup)
    before, began = cpu(), time.perf_counter()
    counting.set()
    await asyncio.sleep(duration)
    stop.set()
    await asyncio.gather(*tasks)
    seconds, after = time.perf_counter() - began, cpu()
    return Phase(name, len(latencies), seconds, latencies, bad, cpu_used(before, after))


# -- the run --------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(base: str | None):
    if base is None:
        with tempfile.TemporaryDirectory(prefix="oms-bench-entitlements-") as folder:
            yield f"sqlite://{Path(folder) / 'oms-bench.sqlite3'}"
        return
    url = await create_postgres_database(base)
    try:
        yield url
    finally:
        await drop_postgres_database(base, url)


def summary(name: str, phases: list[Phase]) -> tuple[float, str]:
    rate = statistics.median(p.rate for p in phases)
    latencies = [x for p in phases for x in p.latencies]
    return rate, (f"  {name:22} {rate:8.0f} req/s (median of {len(phases)}; {min(p.rate for p in phases):.0f}-"
                  f"{max(p.rate for p in phases):.0f})  p50 {percentile(latencies, 50):5.1f}  p99"
                  f" {percentile(latencies, 99):5.1f} ms  ({len(latencies)} requests)")


async def bench(args: argparse.Namespace) -> int:
    failed = False
    async with database(args.database_url) as url:
        db_name = None if args.database_url is None else url.rsplit("/", 1)[1]
        kind = "SQLite" if db_name is None else f"PostgreSQL, database {db_name}"
        print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {kind}; {os.cpu_count()} CPUs, load average"
              f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.orders} keys, {args.connections}"
              f" connections, {args.rounds} rounds of {args.warmup:g} + {args.duration:g} s per phase", flush=True)
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        async with live_server(url) as server:
            began = time.monotonic()
            tokens = await paid_orders(server.url, args.orders, args.place_concurrency)
            await wait_for_jobs(url)
            keys = await access_keys(server.url, tokens)
            async with httpx.AsyncClient(base_url=server.url) as http:
                unknown = await http.get("/entitlements/no-such-key")
            if unknown.status_code != 404 or unknown.json().get("active") is not False:
                failed = True
                print(f"unknown key: FAILED: {unknown.status_code} {unknown.text[:200]}")
            print(f"setup: {args.orders} paid subscription orders through GraphQL, delivered, {len(keys)} access"
                  f" keys; unknown key -> {unknown.status_code}; {time.monotonic() - began:.1f} s", flush=True)

            pid = server.process.pid
            cycle = itertools.cycle([f"/entitlements/{key}" for key in keys])
            endpoints = {
                "healthz": (lambda: "/healthz", check_healthz),
                "entitlements": (cycle.__next__, check_entitlement),
            }
            results: dict[str, list[Phase]] = {"healthz": [], "entitlements": []}
            for number in range(args.rounds):
                order = ("healthz", "entitlements") if number % 2 == 0 else ("entitlements", "healthz")
                for name in order:
                    paths, check = endpoints[name]
                    phase = await load(name, server.url, paths, check, connections=args.connections,
                                       warmup=args.warmup, duration=args.duration,
                                       cpu=lambda: cpu_snapshot(pid, db_name))
                    results[name].append(phase)
                    print(f"round {number + 1} {phase.line()}", flush=True)
            logged = [line for line in server.log().splitlines() if line.strip()]

    for name, phases in results.items():
        for phase in phases:
            if phase.bad:
                failed = True
                print(f"{name}: FAILED: {len(phase.bad)} bad responses, e.g. {phase.bad[0]}")
    health, health_line = summary("GET /healthz", results["healthz"])
    access, access_line = summary("GET /entitlements/{k}", results["entitlements"])
    ratio = access / health
    rounds = [e.rate / h.rate for h, e in zip(results["healthz"], results["entitlements"], strict=True)]
    checked = sum(p.requests for p in results["entitlements"])
    # Server CPU per request does not depend on how much of a core the server got: on a
    # shared machine it is the steadier figure; the ratio the server would reach CPU-bound.
    per_request = {name: sum(p.cpu["app"] for p in phases) / sum(p.requests for p in phases) * 1000
                   for name, phases in results.items()}
    print(f"\nSummary ({kind.split(',')[0]}, one uvicorn process, {args.connections} connections)")
    print(health_line)
    print(access_line)
    print(f"  ratio entitlements / healthz: {ratio:.2f} (per round {', '.join(f'{r:.2f}' for r in rounds)});"
          f" target >= {TARGET}: {'PASS' if ratio >= TARGET else 'FAIL'}")
    print(f"  server CPU per request: healthz {per_request['healthz']:.2f} ms, entitlements"
          f" {per_request['entitlements']:.2f} ms (ratio if CPU-bound:"
          f" {per_request['healthz'] / per_request['entitlements']:.2f})")
    print(f"  checked: {checked} entitlement responses 200 with active true"
          if not any(p.bad for p in results["entitlements"]) else "  checked: FAILED (see above)")
    if logged:
        print(f"server log: {len(logged)} lines:\n  " + "\n  ".join(logged[:5]))
        failed |= any("Traceback" in line for line in logged)
    return 1 if failed else 0


def run(coroutine) -> int:
    """On uvloop when installed (it is with uvicorn[standard]): a cheaper load generator."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL (a fresh database is created next to it and dropped);"
                             " default: a temporary SQLite file")
    parser.add_argument("--orders", type=int, default=100, help="paid subscription orders = access keys (100)")
    parser.add_argument("--connections", type=int, default=20, help="concurrent keep-alive connections (20)")
    parser.add_argument("--rounds", type=int, default=3, help="healthz + entitlements phase pairs (3)")
    parser.add_argument("--duration", type=float, default=8.0, help="counted seconds per phase (8)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per phase before counting (1)")
    parser.add_argument("--place-concurrency", type=int, default=4, help="clients placing the orders (setup)")
    args = parser.parse_args(argv)
    if min(args.orders, args.connections, args.rounds) < 1 or args.duration <= 0:
        parser.error("--orders, --connections, --rounds and --duration must be positive")
    if args.database_url is not None and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL (SQLite is the default)")
    return run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
