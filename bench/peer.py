"""oms side by side with the Vendure 3.7.3 peer and a raw asyncpg floor, in one run (issue 15).

    .venv/bin/python bench/peer.py              # --quick: 2 interleaved rounds, N = 1,10,50, ~7 min
    .venv/bin/python bench/peer.py --long       # 4 rounds, longer runs, ~20 min
    .venv/bin/python bench/peer.py --help

Three sides, on this machine's PostgreSQL (``--database-url``), each on a scratch database
dropped at the end, driven by N closed-loop clients (each starts a new order as soon as its
last is done, for a fixed time; then the running ones finish, as bench.js ``--duration``):

- oms: a real ``oms serve`` process and an ``oms worker`` process (bench/peer_oms.py), over
  HTTP. A paid order = placeOrder (guest, 2 lines of qty 1 and 2 from 20 products, email,
  address, shipping method) + markOrderPaid (staff, the manual gateway's settlement). The
  load generator is bench/peer_load.js (Node, plain ``http``, as the peer's bench.js);
  ``--python-load`` uses the former httpx one in this process instead, for comparison.
- Vendure: its harness (``--peer``, default ../shared/peers/vendure) copied to a temp folder,
  npm-installed, seeded, server + worker started, and its own bench.js as load generator
  (bench/peer_vendure.py): a paid order = its 7 Shop API mutations ending PaymentSettled.
- floor: bench/floor.py, NOT oms: the least SQL a correct placement needs, in asyncpg.

Rounds interleave the sides (per N: oms paid, Vendure paid, oms placeOrder only, floor),
then the staff list of 100 orders (oms, Vendure) at concurrency 1. Every run prints its
figures with the 1-minute load average at its end; the table gives the medians over rounds.
CPU is read from /proc (schedstat) for the server, the worker and the PostgreSQL backends
of the side's database, until the job queue has drained after the run; the load generator's
CPU ("client") apart. Then the round trip
counts of bench/round_trips.py (run as a subprocess) and of the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.* and tests.live_server when run as a script

from bench import floor  # noqa: E402
from bench.peer_oms import OmsSide  # noqa: E402
from bench.peer_runs import CpuWatch, Run, closed_loop, cpu_snapshot, load1, median  # noqa: E402
from bench.peer_vendure import VendureSide  # noqa: E402
from bench.place_orders import PRICES, catalog_skus  # noqa: E402
from bench.sqltap import StatementTap  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
PRODUCTS = 20


class FloorSide:
    name = "floor"

    def __init__(self, url: str, pool_size: int):
        self.url, self.pool_size = url, pool_size
        self.dsn = url.replace("postgres://", "postgresql://", 1)
        self.database = url.rsplit("/", 1)[1]
        self.skus = catalog_skus(PRODUCTS)
        self.run_id, self.seq = uuid.uuid4().hex[:8], itertools.count()

    async def start(self) -> None:
        await floor.create_schema(self.dsn, self.skus, list(PRICES))

    async def orders(self, clients: int, seconds: float) -> Run:
        async with floor.create_pool(self.dsn, self.pool_size) as pool:
            async def one() -> None:
                n = next(self.seq)
                await floor.place(pool, f"floor-{self.run_id}-{n}", f"c-{n}@bench.test", floor.cart(self.skus))

            def snap() -> dict[str, dict[str, float]]:
                return cpu_snapshot({"floor program": [os.getpid()]}, self.database)

            async with CpuWatch(snap) as watch:
                latencies, errors, elapsed = await closed_loop(clients, seconds, one)
        return Run(self.name, "placeOrder", clients, len(latencies), elapsed, latencies, errors, watch.used, load1())

    async def round_trips(self) -> int:
        async with floor.create_pool(self.dsn, 1) as pool:
            tap = StatementTap(prepares=True)
            with tap.installed():
                for i in range(3):  # the last one warm (statement cache)
                    async with tap.recording() as recorded:
                        await floor.place(pool, f"floor-rt-{self.run_id}-{i}", "rt@bench.test",
                                          [(self.skus[0], 1), (self.skus[1], 2)])
            return len(recorded)


# -- the table ---------------------------------------------------------------------------------


def fmt(values: Sequence[float], digits: int = 1) -> str:
    return " / ".join("n/a" if v != v else f"{v:.{digits}f}" for v in values)


class Table:
    def __init__(self, clients: list[int]):
        self.clients = clients
        self.runs: dict[tuple[str, str, int], list[Run]] = {}
        self.rows: list[list[str]] = []

    def add(self, run: Run) -> None:
        self.runs.setdefault((run.side, run.what, run.clients), []).append(run)
        print(run.line(), flush=True)

    def med(self, side: str, what: str, n: int, value) -> float:
        return median([value(r) for r in self.runs.get((side, what, n), [])])

    def load(self, *keys: tuple[str, str]) -> str:
        loads = [r.load for (side, what, _n), runs in self.runs.items() for r in runs if (side, what) in keys]
        return f"{min(loads):.1f}-{max(loads):.1f}" if loads else ""

    def row(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def ratio_row(self, measure: str, a: tuple[str, str], b: tuple[str, str], value, target: float | None,
                  wanted_at: tuple[int, ...], higher: bool, digits: int = 1) -> None:
        ours = [self.med(*a, n, value) for n in self.clients]
        theirs = [self.med(*b, n, value) for n in self.clients]
        ratios = [x / y if y else float("nan") for x, y in zip(ours, theirs, strict=True)]
        verdict, goal = "", ""
        if target is not None:
            checked = [r for n, r in zip(self.clients, ratios, strict=True) if n in wanted_at]
            ok = [r == r and (r >= target if higher else r <= target) for r in checked]
            verdict = ("met" if all(ok) else "MISSED") if checked else "n/a"
            goal = f"{'≥' if higher else '≤'} {target:g}x at N = {', '.join(map(str, wanted_at))}"
        ratio_text = " / ".join("n/a" if r != r else f"{r:.2f}" if r < 1 else f"{r:.1f}" for r in ratios)
        self.row(measure, fmt(ours, digits), f"{b[0]} {fmt(theirs, digits)}", ratio_text + "x", goal, verdict,
                 self.load(a, b))

    def print(self) -> None:
        head = ["measure (median of rounds; N = " + " / ".join(map(str, self.clients)) + " where several)",
                "oms", "peer / floor", "ratio oms/peer", "target", "met?", "load avg (1 min)"]
        print("\n| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for cells in self.rows:
            print("| " + " | ".join(cells) + " |")


def summarise(table: Table, trips: dict[str, list[int]], floor_trips: int | None) -> None:
    n = table.clients
    table.ratio_row("paid orders/s (oms: placeOrder + markOrderPaid; Vendure: 7 mutations)",
                    ("oms", "paid order"), ("Vendure", "paid order"), lambda r: r.rate, 50, (10, 50), True)
    table.ratio_row("placeOrder/s vs the raw floor", ("oms", "placeOrder"), ("floor", "placeOrder"),
                    lambda r: r.rate, 0.3, (10, 50), True)
    oms_list = table.runs.get(("oms", "staff list", 1), [])
    peer_list = table.runs.get(("Vendure", "staff list", 1), [])
    ours = median([r.p(50) for r in oms_list])
    theirs = median([r.p(50) for r in peer_list])
    ratio = ours / theirs if theirs == theirs and theirs else float("nan")
    met = "n/a" if ratio != ratio else "met" if ratio <= 0.2 and ours <= 20 else "MISSED"
    load = table.load(("oms", "staff list"), ("Vendure", "staff list"))
    table.row("staff list of 100 orders (lines, sku, email): p50 ms at concurrency 1", fmt([ours]),
              f"Vendure {fmt([theirs])}", f"{ratio:.2f}x", "≤ 0.2x and ≤ 20 ms", met, load)
    for kind, label, target in (("server", "server", "oms ≤ 10 ms"), ("postgres", "PostgreSQL", "")):
        o = median([r.cpu_ms(kind) for r in oms_list])
        p = median([r.cpu_ms(kind) for r in peer_list])
        verdict = ("met" if o <= 10 else "MISSED") if target and o == o else ""
        table.row(f"{label} CPU ms per list request", fmt([o]), f"Vendure {fmt([p])}",
                  f"{o / p:.2f}x" if p == p and p else "n/a", target, verdict, load)
    table.ratio_row("CPU ms per paid order (server + worker + PostgreSQL, until the queue drained)",
                    ("oms", "paid order"), ("Vendure", "paid order"), lambda r: r.cpu_ms(), None, (), False)
    for kind in ("server", "worker", "postgres"):
        table.ratio_row(f"  of which {kind}", ("oms", "paid order"), ("Vendure", "paid order"),
                        lambda r, kind=kind: r.cpu_ms(kind), None, (), False)
    table.ratio_row("load generator CPU ms per paid order (oms: peer_load.js or httpx; Vendure: bench.js)",
                    ("oms", "paid order"), ("Vendure", "paid order"), lambda r: r.cpu_ms("client"), None, (), False)
    place = [table.med("oms", "placeOrder", c, lambda r: r.cpu_ms("server")) for c in n]
    floor_cpu = [table.med("floor", "placeOrder", c, lambda r: r.cpu_ms()) for c in n]
    verdict = "met" if all(v <= 3 for v in place if v == v) else "MISSED"
    table.row("server CPU ms per placeOrder (placeOrder-only runs; floor: program + PostgreSQL)", fmt(place),
              f"floor {fmt(floor_cpu)}", "", "≤ 3 ms", verdict, table.load(("oms", "placeOrder")))
    if trips:
        place_trips = trips.get("placeOrder", [])
        targets = [6 + lines for lines in (1, 2, 3)]
        verdict = "met" if place_trips and all(t <= g for t, g in zip(place_trips, targets, strict=False)) else "MISSED"
        table.row("placeOrder round trips, 1 / 2 / 3 lines (all: BEGIN/COMMIT, resets, prepares)",
                  fmt(place_trips, 0), f"floor, 2 lines: {floor_trips}" if floor_trips else "", "",
                  "≤ " + " / ".join(map(str, targets)), verdict, "(counts: load-independent)")
        paid = trips.get("markOrderPaid", [])[1:2]
        table.row("markOrderPaid round trips (2 lines)", fmt(paid, 0), "", "", "", "", "")
        worker = trips.get("worker, paid order", [])[1:2]
        table.row("worker round trips per paid order (2 lines)", fmt(worker, 0), "", "", "≤ 12",
                  ("met" if worker and worker[0] <= 12 else "MISSED") if worker else "n/a", "")
    else:
        table.row("round trips", "not measured", "", "", "", "", "")


def round_trips(database_url: str, repeat: int) -> dict[str, list[int]]:
    """bench/round_trips.py, as a subprocess; its output printed, its counts parsed."""
    command = [sys.executable, str(ROOT / "bench" / "round_trips.py"), "--repeat", str(repeat),
               "--database-url", database_url]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT, stdin=subprocess.DEVNULL)
    print(done.stdout.rstrip())
    if done.returncode != 0:
        print(f"round_trips.py failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return {}
    found: dict[str, list[int]] = {}
    row = r"^(placeOrder|markOrderPaid|worker, placed order|worker, paid order), (\d) line\(s\)\s+(\d+)"
    for match in re.finditer(row, done.stdout, re.M):
        found.setdefault(match[1], []).append(int(match[3]))
    return found


# -- main --------------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> None:
    started = time.monotonic()
    print(f"bench/peer.py at {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; rounds {args.rounds}, N = {args.clients}; "
          f"runs of {args.oms_seconds:g} s (oms), {args.vendure_seconds:g} s (Vendure),"
          f" {args.floor_seconds:g} s (floor); oms load generator"
          f" {'httpx (--python-load)' if args.python_load else 'bench/peer_load.js (Node)'}", flush=True)
    work = tempfile.mkdtemp(prefix="oms-peer-")
    base = args.database_url
    databases: list[str] = []
    vendure: VendureSide | None = None
    oms: OmsSide | None = None
    table = Table(args.clients)
    try:
        oms_url = await create_postgres_database(base)
        databases.append(oms_url)
        floor_url = await create_postgres_database(base)
        databases.append(floor_url)
        oms = OmsSide(oms_url, work, catalog_skus(PRODUCTS), python_load=args.python_load)
        print("starting oms (oms serve + oms worker)...", flush=True)
        await oms.start()
        floor_side = FloorSide(floor_url, args.floor_pool)
        await floor_side.start()
        if not args.skip_vendure:
            vendure = VendureSide(args.peer, work, base)
            print(f"starting Vendure from {args.peer} ...", flush=True)
            try:
                await vendure.start(args.peer_installed)
                await vendure.warm_up()
            except Exception as exc:  # the oms and floor figures are still worth having
                print(f"\n** Vendure could not be installed or run; continuing without it:\n{exc}\n", flush=True)
                await vendure.stop()
                vendure = None
        print("warming up oms and the floor...", flush=True)
        await oms.orders(10, 3, pay=True)
        await floor_side.orders(10, 1)
        print(f"ready after {time.monotonic() - started:.0f} s; load average {load1():.2f}", flush=True)

        async def peer(measure) -> None:
            """A Vendure measurement; a failure is shown and ends Vendure's part, not the run."""
            nonlocal vendure
            if vendure is None:
                return
            try:
                run = await measure(vendure)
            except Exception as exc:
                print(f"\n** Vendure failed; continuing without it:\n{exc}\n", flush=True)
                with contextlib.suppress(Exception):
                    await vendure.stop()
                vendure = None
                return
            if run is not None:
                table.add(run)

        for round_ in range(1, args.rounds + 1):
            print(f"\nround {round_} of {args.rounds}", flush=True)
            await peer(lambda v: v.measure_overhead())
            for n in args.clients:
                table.add(await oms.orders(n, args.oms_seconds, pay=True))
                await peer(lambda v, n=n: v.orders(n, args.vendure_seconds))
                table.add(await oms.orders(n, args.oms_seconds, pay=False))
                table.add(await floor_side.orders(n, args.floor_seconds))
            table.add(await oms.staff_list(args.list_requests))
            await peer(lambda v: v.staff_list(args.list_requests))
        print("\n" + await floor.check(floor_side.dsn), flush=True)
        floor_trips = await floor_side.round_trips()
        oms.stop()
        if vendure:
            await vendure.stop()
            vendure = None
        trips = round_trips(base, args.round_trip_repeat) if args.round_trip_repeat else {}
        summarise(table, trips, floor_trips)
        table.print()
        print(f"\nfinished at {datetime.datetime.now(datetime.UTC):%H:%M:%S} UTC after"
              f" {time.monotonic() - started:.0f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if oms:
            oms.stop()
        if vendure:
            with contextlib.suppress(Exception):
                await vendure.stop()
        for url in databases:
            with contextlib.suppress(Exception):
                await drop_postgres_database(base, url)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; scratch databases are created next to it")
    parser.add_argument("--peer", default=str(ROOT.parent / "shared" / "peers" / "vendure"),
                        help="the Vendure harness, copied to a temp folder (default ../shared/peers/vendure)")
    parser.add_argument("--peer-installed", metavar="DIR",
                        help="use DIR, an npm-installed copy of the harness, as is (skips copy and npm install)")
    parser.add_argument("--skip-vendure", action="store_true")
    parser.add_argument("--python-load", action="store_true",
                        help="drive oms's order runs with httpx in this process (the former generator), not Node")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10, 50])
    parser.add_argument("--long", action="store_true",
                        help="4 rounds, runs twice as long, 100 list requests, 20 of each round trip")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--oms-seconds", type=float, help="per oms run (default 5; --long 10)")
    parser.add_argument("--vendure-seconds", type=float, help="per Vendure run (default 10; --long 20)")
    parser.add_argument("--floor-seconds", type=float, help="per floor run (default 3; --long 6)")
    parser.add_argument("--list-requests", type=int, help="staff list requests per side and round (30; 100)")
    parser.add_argument("--floor-pool", type=int, default=10, help="the floor's asyncpg pool size")
    parser.add_argument("--round-trip-repeat", type=int, help="bench/round_trips.py --repeat (5; 20); 0 skips it")
    args = parser.parse_args(argv)
    quick = {"rounds": 2, "oms_seconds": 5.0, "vendure_seconds": 10.0, "floor_seconds": 3.0,
             "list_requests": 30, "round_trip_repeat": 5}
    long = {"rounds": 4, "oms_seconds": 10.0, "vendure_seconds": 20.0, "floor_seconds": 6.0,
            "list_requests": 100, "round_trip_repeat": 20}
    for key, value in (long if args.long else quick).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")

    def stop(signum, frame):  # SIGTERM cleans up like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (nohup, &)
    try:
        asyncio.run(bench(args))
    except KeyboardInterrupt:
        print("\ninterrupted; processes stopped and scratch databases dropped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
