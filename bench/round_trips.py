"""Round trips to PostgreSQL per operation: placeOrder (1, 2, 3 lines), markOrderPaid, and
the worker jobs an order's placement and its payment enqueue (issue 15).

    .venv/bin/python bench/round_trips.py             # 20 of each, ~30 s
    .venv/bin/python bench/round_trips.py --repeat 50 --show

Creates a fresh PostgreSQL database next to ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it,
serves it in-process (create_app + httpx.ASGITransport, the manual gateway), and drops it.

Counted at the asyncpg connection (bench/sqltap.py): every statement, BEGIN/COMMIT and
savepoint, every pool reset on release, and every prepare that missed the connection's
statement cache (a round trip of its own before the statement runs). The worker's jobs are
run as ``oms serve``'s worker runs them (claim, run, mark DONE), without the periodic
scheduler, until the queue is empty; the last, empty claim is not counted. Then a busy
worker's figure: paid orders' jobs queued and claimed one order's at a time, every
statement counted, with DONE apart (as run_once) and with the next claim (as Worker.run on
its own connection; ``--pooled-claims`` skips it). Each operation
is timed (p50, wall) and its CPU time taken (p50, ``time.process_time``: client and server
share this process, so the client's share of a GraphQL call is included).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import statistics
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.common import LOGIN, MARK_PAID, gql, ok  # noqa: E402
from bench.place_orders import ADDRESS, PLACE_ORDER, catalog_skus, setup_catalog  # noqa: E402
from bench.sqltap import StatementTap  # noqa: E402
from oms.plugins import await_me_maybe  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, migrate, server_env  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
# Issue 15's targets, by operation and lines (every line here tracks stock).
TARGETS: dict[str, Callable[[int], int]] = {"placeOrder": lambda lines: 6 + lines, "worker, paid order": lambda _: 12}


OPERATIONS = ["placeOrder", "worker, placed order", "markOrderPaid", "worker, paid order"]


def counted_handler(tap: StatementTap, by_kind: collections.Counter[str], kind: str, handler):
    async def run(payload):
        before = len(tap.statements)
        try:
            return await await_me_maybe(handler(payload))
        except Exception:
            by_kind[f"FAILED {kind}"] += 1  # a retried job would blur every figure: reported
            raise
        finally:
            if tap.enabled:
                by_kind[kind] += len(tap.statements) - before
    return run


class Sample:
    """Round trips, statements and resets of one operation; its wall and CPU seconds."""

    def __init__(self, recorded: list[str], wall: float, cpu: float):
        self.resets = sum("pg_advisory_unlock_all" in sql for sql in recorded)
        self.prepares = sum(sql.startswith("[prepare]") for sql in recorded)
        self.statements = len(recorded) - self.resets - self.prepares
        self.round_trips = len(recorded)
        self.recorded, self.wall, self.cpu = recorded, wall, cpu


async def measured(tap: StatementTap, action: Callable[[], Awaitable[object]]) -> Sample:
    async with tap.recording() as recorded:
        began, cpu = time.perf_counter(), time.process_time()
        await action()
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    return Sample(list(recorded), wall, cpu)


def place_variables(cart: list[str]) -> dict:
    return {"input": {
        "lines": [{"sku": sku, "quantity": 1} for sku in cart], "email": "rt@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}


def report(name: str, samples: list[Sample], target: int | None, show: bool) -> None:
    last = samples[-1]
    line = (f"{name:<34} {statistics.median(s.round_trips for s in samples):>5.0f} "
            f"{statistics.median(s.statements for s in samples):>5.0f} "
            f"{statistics.median(s.resets for s in samples):>5.0f} "
            f"{statistics.median(s.prepares for s in samples):>5.0f} "
            f"{statistics.median(s.wall for s in samples) * 1000:>7.2f} "
            f"{statistics.median(s.cpu for s in samples) * 1000:>7.2f}")
    if target is not None:
        verdict = "met" if statistics.median(s.round_trips for s in samples) <= target else "MISSED"
        line += f"   <= {target}: {verdict}"
    print(line)
    if show:
        for sql in last.recorded:
            flat = " ".join(sql.split())
            print("      " + (flat if len(flat) <= 160 else flat[:157] + "..."))


async def run(database_url: str, repeat: int, show: bool, *, pooled_claims: bool = False) -> None:
    from oms.app import create_app
    from oms.config import Settings
    from oms.jobs.periodic import PeriodicScheduler
    from oms.jobs.registry import JobRegistry
    from oms.jobs.worker import Worker

    mail_root = tempfile.mkdtemp(prefix="oms-bench-mail-")  # the emails the jobs send, thrown away
    mail = os.path.join(mail_root, "maildir")
    env = server_env(database_url, {"OMS_RUN_WORKER": "false", "OMS_MAIL_DIR": mail})
    app = create_app(Settings.from_env(env))
    tap = StatementTap(prepares=True)
    skus = catalog_skus(3)
    claims = contextlib.AsyncExitStack()
    with tap.installed():
        async with claims, app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://oms.bench"
        ) as http:
            await setup_catalog(http, skus)
            staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
            registry = JobRegistry.build(app.state.plugins, app.state.settings, gateway=app.state.gateway)
            # One job at a time, so that each job's round trips can be told apart.
            worker = Worker(registry, concurrency=1)
            worker.scheduler = PeriodicScheduler([])  # periodic jobs are not an order's cost
            if not pooled_claims:  # claims on the worker's own connection, as Worker.run's
                await claims.enter_async_context(worker.claiming())
            by_kind: collections.Counter[str] = collections.Counter()
            for kind, handler in list(worker.handlers.items()):
                worker.handlers[kind] = counted_handler(tap, by_kind, kind, handler)

            async def run_jobs() -> None:
                while await worker.run_once():
                    pass

            async def empty_claim() -> None:
                await worker.run_once()

            await run_jobs()
            idle = await measured(tap, empty_claim)
            samples: dict[tuple[str, int], list[Sample]] = {}
            for round_ in range(repeat + 3):  # 3 unmeasured rounds: caches warm
                if round_ == 3:
                    by_kind.clear()
                for lines in (1, 2, 3):
                    order_id = ""

                    async def place(cart=skus[:lines]) -> None:
                        nonlocal order_id
                        payload = ok((await gql(http, PLACE_ORDER, place_variables(cart)))["placeOrder"], "place")
                        order_id = payload["order"]["id"]

                    async def pay() -> None:
                        ok((await gql(http, MARK_PAID, {"id": order_id}, staff))["markOrderPaid"], "pay")

                    steps = [("placeOrder", place), ("worker, placed order", run_jobs),
                             ("markOrderPaid", pay), ("worker, paid order", run_jobs)]
                    for name, action in steps:
                        sample = await measured(tap, action)
                        if name.startswith("worker"):  # the last claim found nothing: not this order's
                            sample = Sample(sample.recorded[: len(sample.recorded) - idle.round_trips],
                                            sample.wall, sample.cpu)
                        if round_ >= 3:
                            samples.setdefault((name, lines), []).append(sample)
            kinds = by_kind.copy()  # the per-order figures below: not the queued orders'
            if not pooled_claims:
                # Each way twice, alternating; the second run of each is the one kept (the
                # first warms the statements' plans and the connections).
                back_to_back: dict[bool, float] = {}
                for carry in (False, True, False, True):
                    back_to_back[carry] = await queued_paid_orders(http, staff, worker, tap, skus[:1], repeat, carry)
    shutil.rmtree(mail_root, ignore_errors=True)
    print(f"\n{repeat} of each, p50; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"an empty worker claim costs {idle.round_trips} round trips (not counted below)")
    print(f"{'operation':<34} {'trips':>5} {'stmts':>5} {'reset':>5} {'prep':>5} {'p50 ms':>7} {'cpu ms':>7}")
    for (name, lines), group in sorted(samples.items(), key=lambda item: (OPERATIONS.index(item[0][0]), item[0][1])):
        target = TARGETS[name](lines) if name in TARGETS else None
        report(f"{name}, {lines} line(s)", group, target, show)
    orders = 3 * repeat
    print("round trips per order inside the job handlers, by job kind (claim and DONE not included):")
    failed = sum(count for kind, count in by_kind.items() if kind.startswith("FAILED"))  # queued ones too
    if failed:
        print(f"  ** {failed} job run(s) failed during the measured rounds: figures not valid **")
    for kind, count in kinds.most_common():
        print(f"  {count / orders:6.1f}  {kind}")
    if not pooled_claims:
        print(f"{repeat} paid orders' jobs queued, run in batches of 2 (one order's) until the queue is empty, "
              "every statement counted (the last, empty claim included), per order:")
        for carry, trips in back_to_back.items():
            how = "DONE with the next claim (as Worker.run)" if carry else "DONE on its own"
            print(f"  {trips:6.2f}  {how}")


async def queued_paid_orders(http, staff: str, worker, tap, cart: list[str], count: int, carry: bool) -> float:
    """A busy worker: ``count`` paid orders' jobs queued, claimed two at a time (a paid
    order's two queued jobs; the rest run in the same batch); round trips per order, all
    counted, DONE with the next claim (``carry``, as Worker.run) or on its own."""
    ids = []
    for _ in range(count):
        ids.append(ok((await gql(http, PLACE_ORDER, place_variables(cart)))["placeOrder"], "place")["order"]["id"])
    while await worker.run_once():
        pass
    for order_id in ids:
        ok((await gql(http, MARK_PAID, {"id": order_id}, staff))["markOrderPaid"], "pay")
    worker.batch_size, batch_size = 2, worker.batch_size

    async def run_all() -> None:
        while await worker.run_once(done_with_next_claim=carry):
            pass

    try:
        sample = await measured(tap, run_all)
    finally:
        worker.batch_size = batch_size
    return sample.round_trips / count


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--repeat", type=int, default=20, help="measured operations of each kind")
    parser.add_argument("--show", action="store_true", help="print the round trips of the last of each")
    parser.add_argument("--pooled-claims", action="store_true",
                        help="the worker claims on the pool (as run_once alone), not on its own connection")
    args = parser.parse_args(argv)
    url = await create_postgres_database(args.database_url)
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        await run(url, args.repeat, args.show, pooled_claims=args.pooled_claims)
    finally:
        await drop_postgres_database(args.database_url, url)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
