"""Memory over time of ``oms serve`` and ``oms worker``, with the collector ``tune_gc`` sets
(gc.freeze, thresholds 10,000 / 50 / 100) and with Python's default one (issue 15).

Two pairs of processes (a server and a worker each), started as bench/peer_oms.py starts
oms, each on a scratch PostgreSQL database of its own: ``tuned`` runs the commands as they
are; ``default`` runs the same commands with ``oms.serving.tune_gc`` replaced by a function
that does nothing, so the processes keep Python's thresholds (700 / 10 / 10) and freeze
nothing. Both are started by bench/gc_child.py (``oms.cli.main`` with the arguments of
``oms serve`` / ``oms worker``), which also answers SIGUSR1 by writing the process's
collector state (thresholds, frozen objects, collections, objects by type) to a JSON file:
the two differ only in that one replacement.

A sustained mixed workload (each cycle: placeOrder as a guest, markOrderPaid as staff, the
staff orders page of 100 orders with lines, a product page) is sent in blocks of
``--block`` requests, alternating between the two pairs; after each block each process's
VmRSS and VmHWM (/proc/<pid>/status) are read, then its collector state. It prints the
curve, the growth per 1,000 requests after ``--warmup`` requests (least squares, and for
each half of what follows, to see whether it levels off), the page's p50/p99, the types
whose object counts grew most in each process, and at the end what a full collection frees
in each and how much RSS it gives back.

    .venv/bin/python bench/serve_memory.py                     # 8,000 requests each, ~15 min
    .venv/bin/python bench/serve_memory.py --requests 2000 --block 200 --warmup 400
    .venv/bin/python bench/serve_memory.py --against /tmp/base   # another tree's oms, both tuned
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.* and tests.live_server when run as a script

import httpx  # noqa: E402

from bench.common import MARK_PAID, gql, ok, percentile  # noqa: E402
from bench.peer_oms import PENDING_JOBS, STAFF_LIST, OmsSide  # noqa: E402
from bench.peer_runs import load1, pending_jobs  # noqa: E402
from bench.place_orders import PLACE_ORDER, catalog_skus  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
MODES = ("tuned", "default")
PRODUCT_PAGE = """query Product($slug: String!) { product(slug: $slug) {
  id name slug description productType published archived images { url alt width height }
  priceRange { min { amount currency } max { amount currency } }
  variants { id sku name archived price { amount currency } quantityAvailable } } }"""
PRODUCTS_LIST = "query { products(first: 100) { edges { node { slug } } } }"
CHILD = Path(__file__).resolve().parent / "gc_child.py"
KINDS = ("placeOrder", "markOrderPaid", "orders page", "product page")


# -- the driver ----------------------------------------------------------------------------


def proc_memory(pid: int) -> tuple[float, float]:
    """VmRSS and VmHWM in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class MemorySide(OmsSide):
    """oms (server + worker) run through :func:`child` in ``mode``."""

    def __init__(self, database_url: str, work: str, skus: list[str], mode: str,
                 child: Path = CHILD, name: str | None = None):
        os.makedirs(work, exist_ok=True)
        super().__init__(database_url, work, skus)
        self.mode = mode
        self.name = name or mode
        self.child = child
        self.slugs: list[str] = []
        self.done = 0
        self.latencies: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.samples: list[dict] = []

    def report_path(self, kind: str) -> str:
        return os.path.join(self.work, f"gc-{kind}.json")

    def _command(self, *args: str) -> list[str]:
        kind = "server" if args[0] == "serve" else "worker"
        return [sys.executable, str(self.child), self.mode, self.report_path(kind), *args]

    async def start(self) -> None:
        await super().start()
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as http:
            data = await gql(http, PRODUCTS_LIST)
        self.slugs = [edge["node"]["slug"] for edge in data["products"]["edges"]]

    async def cycle(self, http: httpx.AsyncClient, measured: bool) -> None:
        timed: list[tuple[str, float]] = []

        async def call(kind: str, query: str, variables: dict, token: str | None = None) -> dict:
            began = time.perf_counter()
            data = await gql(http, query, variables, token)
            timed.append((kind, time.perf_counter() - began))
            return data

        placed = ok((await call("placeOrder", PLACE_ORDER, self._place_variables()))["placeOrder"], "placeOrder")
        ok((await call("markOrderPaid", MARK_PAID, {"id": placed["order"]["id"]}, self.staff))["markOrderPaid"],
           "markOrderPaid")
        page = await call("orders page", STAFF_LIST, {}, self.staff)
        if not page["orders"]["edges"]:
            raise RuntimeError("the orders page is empty")
        product = await call("product page", PRODUCT_PAGE, {"slug": random.choice(self.slugs)})
        if not product["product"]:
            raise RuntimeError("the product page found no product")
        if measured:
            for kind, seconds in timed:
                self.latencies[kind].append(seconds)

    async def block(self, requests: int, clients: int, measured: bool) -> None:
        """``requests`` requests (cycles of 4) by ``clients`` closed-loop clients."""
        cycles = requests // len(KINDS)
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=120) as http:
            async def client() -> None:
                nonlocal cycles
                while cycles > 0:
                    cycles -= 1
                    await self.cycle(http, measured)

            await asyncio.gather(*(client() for _ in range(clients)))
        self.done += requests - requests % len(KINDS)

    async def sample(self, objects: bool) -> dict:
        row: dict = {"requests": self.done, "load": load1(), "backlog": await pending_jobs(self.dsn, PENDING_JOBS)}
        for kind, process in self.processes.items():
            row[kind] = proc_memory(process.pid)
        if objects:
            for kind, process in self.processes.items():
                row[kind + " gc"] = await self._gc_state(kind, process.pid)
        self.samples.append(row)
        return row

    async def full_collection(self) -> None:
        """Each process runs a full collection (SIGUSR2): what it freed, RSS before and after."""
        for kind, process in self.processes.items():
            before = proc_memory(process.pid)[0]
            state = await self._gc_state(kind, process.pid, signal.SIGUSR2)
            await asyncio.sleep(0.5)
            after = proc_memory(process.pid)[0]
            old = ", ".join(f"{name} {count}" for name, count in list(state["old types"].items())[:10])
            took = state["collect seconds"] * 1000
            print(f"  {self.name:7} {kind}: generations {state['generations']} before; a full collection "
                  f"({took:.0f} ms) freed {state['freed']} objects, {state['objects']} left; "
                  f"RSS {before:.1f} -> {after:.1f} MiB\n    oldest generation before it: {old}")

    async def _gc_state(self, kind: str, pid: int, signum: int = signal.SIGUSR1) -> dict:
        path = self.report_path(kind)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.kill(pid, signum)
        for _ in range(300):
            await asyncio.sleep(0.05)
            if os.path.exists(path):
                with open(path) as f:
                    return json.load(f)
        raise RuntimeError(f"the {self.name} {kind} wrote no collector report")


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares growth of y per 1,000 x; NaN for fewer than 2 points."""
    if len(points) < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var * 1000 if var else float("nan")


def print_row(side: MemorySide, row: dict) -> None:
    parts = [f"{side.name:7} {row['requests']:6}"]
    for kind in ("server", "worker"):
        rss, hwm = row[kind]
        gc_state = row.get(kind + " gc")
        objects = ""
        if gc_state:
            full = gc_state["collections"][2]
            objects = f" objs {gc_state['objects']:7} old {gc_state['generations'][2]:6} full {full:3}"
        parts.append(f"{kind} RSS {rss:6.1f} HWM {hwm:6.1f}{objects}")
    parts.append(f"backlog {row['backlog']:4}  load {row['load']:.2f}")
    print(" | ".join(parts), flush=True)


def summary(sides: list[MemorySide], warmup: int) -> None:
    print(f"\nGrowth in MiB per 1,000 requests after {warmup} requests (least squares; first half / second half)")
    for side in sides:
        after = [row for row in side.samples if row["requests"] >= warmup]
        half = len(after) // 2
        for kind in ("server", "worker"):
            points = [(row["requests"], row[kind][0]) for row in after]
            first, last = after[0][kind][0], after[-1][kind][0]
            print(f"  {side.name:7} {kind}: RSS {first:.1f} -> {last:.1f} MiB (HWM {after[-1][kind][1]:.1f}), "
                  f"{slope(points):+.3f} MiB/1k ({slope(points[:half + 1]):+.3f} / {slope(points[half:]):+.3f})")
    print("\nLatency after warm-up, ms (p50 / p99, count)")
    for side in sides:
        figures = "; ".join(f"{kind} {percentile(values, 50):.1f} / {percentile(values, 99):.1f} ({len(values)})"
                            for kind, values in side.latencies.items())
        print(f"  {side.name:7} {figures}")
    for side in sides:
        rows = [row for row in side.samples if row["requests"] >= warmup and "server gc" in row]
        if len(rows) < 2:
            continue
        for kind in ("server", "worker"):
            first, last = rows[0][kind + " gc"], rows[-1][kind + " gc"]
            grown = collections.Counter(last["types"])
            grown.subtract(first["types"])
            top = ", ".join(f"{name} {count:+}" for name, count in grown.most_common(8))
            print(f"\n  {side.name} {kind}: threshold {tuple(last['threshold'])}, frozen {last['frozen']}, "
                  f"collections {last['collections']}, tracked objects {first['objects']} -> {last['objects']}"
                  f"\n    grew most ({rows[0]['requests']} -> {rows[-1]['requests']} requests): {top}")


async def bench(args: argparse.Namespace) -> None:
    work = tempfile.mkdtemp(prefix="oms-serve-memory-")
    sides: list[MemorySide] = []
    databases: list[str] = []
    try:
        skus = catalog_skus(args.products)
        # (name, mode, gc_child.py): tuned against default, or with --against, this tree's
        # code against another tree's (e.g. a `git archive` of the base), both tuned.
        runs = [(mode, mode, CHILD) for mode in MODES]
        if args.against:
            runs = [("before", "tuned", Path(args.against).resolve() / "bench" / "gc_child.py"),
                    ("after", "tuned", CHILD)]
        for name, mode, child in runs:
            databases.append(await create_postgres_database(args.database_url))
            sides.append(MemorySide(databases[-1], os.path.join(work, name), skus, mode, child, name))
        for side in sides:
            print(f"starting {side.name} (server + worker) ...", flush=True)
            await side.start()
        print(f"{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {os.getloadavg()}", flush=True)
        for side in sides:
            print_row(side, await side.sample(not args.no_objects))
        stop_at = time.monotonic() + args.minutes * 60
        while sides[-1].done < args.requests and time.monotonic() < stop_at:
            for side in sides:
                await side.block(args.block, args.clients, measured=side.done >= args.warmup)
                print_row(side, await side.sample(not args.no_objects))
        print(f"{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {os.getloadavg()}", flush=True)
        summary(sides, args.warmup)
        print("\nAt the end, a full collection in each process (gc.collect() on SIGUSR2)")
        for side in sides:
            await side.full_collection()
    finally:
        for side in sides:
            side.stop()
        for url in databases:
            with contextlib.suppress(Exception):
                await drop_postgres_database(args.database_url, url)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--requests", type=int, default=8000, help="per side (default 8000)")
    parser.add_argument("--block", type=int, default=400, help="requests per block, a sample after each")
    parser.add_argument("--warmup", type=int, default=1600, help="requests before growth and latency count")
    parser.add_argument("--minutes", type=float, default=60.0, help="no block starts after this (default 60)")
    parser.add_argument("--clients", type=int, default=4, help="closed-loop clients per block")
    parser.add_argument("--products", type=int, default=20)
    parser.add_argument("--against", metavar="DIR",
                        help="compare oms in DIR (\"before\") with this tree's (\"after\"), both tuned, "
                             "instead of tuned against default")
    parser.add_argument("--no-objects", action="store_true", help="RSS only: no collector report per sample")
    args = parser.parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGINT):  # SIGTERM cleans up like Ctrl-C
        signal.signal(signum, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(bench(args))
        return 0
    print("\ninterrupted; processes stopped and scratch databases dropped", file=sys.stderr)
    return 130


if __name__ == "__main__":
    sys.exit(main())
