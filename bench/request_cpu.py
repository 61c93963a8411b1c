"""CPU per GraphQL request, by operation, and what every request pays whatever it asks
(issue 15 items 2 and 3).

    .venv/bin/python bench/request_cpu.py                      # ~1 min
    .venv/bin/python bench/request_cpu.py --rounds 5 --per-round 100
    .venv/bin/python bench/request_cpu.py --profile placeOrder --profile-dump /tmp/p.prof

Creates a scratch PostgreSQL database next to ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it,
seeds ``--orders`` orders (``oms.bulkseed``) and a 3-product catalog, and serves the app
in-process (create_app + httpx.ASGITransport: the whole middleware stack, no network).
Then, in interleaved rounds, ``--per-round`` requests of each operation:

- ``typename``: ``{ __typename }`` signed out: the HTTP stack and the GraphQL pipeline
  (body, parse, validation, context, extensions, answer), i.e. what every request pays;
- ``typename, staff``: the same with a staff bearer token (+ the sign-in check);
- ``placeOrder``: 3 stock-tracked lines, a guest (bench/place_orders.py's mutation);
- ``orders page``: a staff page of 100 orders with lines (bench/orders_list.py's query).

CPU is ``time.process_time()`` of this process around each request (server and the small
in-process client share; PostgreSQL's CPU is not in it). ``--log-level info`` adds the
request log line each request writes in production (to stderr: redirect it).
``--profile OP`` runs ``--profile-count`` more requests of OP under cProfile and prints the
Python function calls per request (load-independent) and the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

# httpx's ASGITransport imports sniffio on every request to ask whether trio runs; without
# sniffio installed each is a failed import, a search of sys.path (~0.1 ms of this process's
# CPU, not the server's). None in sys.modules fails it at once, as it would fail anyway.
sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

from bench.common import gql  # noqa: E402
from bench.orders_list import ORDERS_PAGE  # noqa: E402
from bench.place_orders import ADDRESS, PLACE_ORDER, catalog_skus, setup_catalog  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, create_staff, migrate, server_env  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
OPERATIONS = ("typename", "typename, staff", "placeOrder", "orders page")


def operations(http: httpx.AsyncClient, staff: str, skus: list[str]) -> dict[str, Callable[[], Awaitable[object]]]:
    async def typename() -> None:
        await gql(http, "{ __typename }")

    async def typename_staff() -> None:
        await gql(http, "{ __typename }", None, staff)

    async def place() -> None:
        variables = {
            "input": {
                "lines": [{"sku": sku, "quantity": 1} for sku in skus],
                "email": "cpu@example.com",
                "shippingAddress": ADDRESS,
                "shippingMethod": "standard",
                "idempotencyKey": uuid.uuid4().hex,
            }
        }
        payload = (await gql(http, PLACE_ORDER, variables))["placeOrder"]
        if payload["userErrors"]:
            raise RuntimeError(payload["userErrors"])

    async def page() -> None:
        data = await gql(http, ORDERS_PAGE, {"first": 100}, staff)
        if len(data["orders"]["edges"]) != 100:
            raise RuntimeError("expected a page of 100 orders")

    return {"typename": typename, "typename, staff": typename_staff, "placeOrder": place, "orders page": page}


async def profiled(name: str, action: Callable[[], Awaitable[object]], count: int, dump: str | None) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        await action()
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    stats = pstats.Stats(profiler)
    print(
        f"\n{name}: Python function calls per request (cProfile; a coroutine's every resumption counts): "
        f"{stats.total_calls / count:,.0f}"
    )  # type: ignore[attr-defined]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    text = out.getvalue()
    print(text[text.find("ncalls") - 1 :].rstrip())


async def run(args: argparse.Namespace, database_url: str) -> None:
    from oms.accounts.permissions import Viewer
    from oms.app import create_app
    from oms.bulkseed import seed_orders
    from oms.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(
            database_url,
            {
                "OMS_RUN_WORKER": "false",
                "OMS_MAIL_DIR": str(Path(tmp) / "mail"),
                "OMS_RATE_LIMITS": "false",
                "OMS_MEDIA_ROOT": str(Path(tmp) / "media"),
                "OMS_LOG_LEVEL": args.log_level,
            },
        )
        settings = Settings.from_env(env)
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://oms.bench", timeout=60) as http,
        ):
            from oms.accounts.models import Staff

            skus = catalog_skus(3)
            await setup_catalog(http, skus)
            await seed_orders(args.orders, plugins=app.state.plugins, settings=app.state.settings, seed=1)
            from oms.accounts.services import issue_token

            staff_member = await Staff.get(email=STAFF_EMAIL)
            staff = await issue_token(
                Viewer(staff=staff_member), secret=app.state.settings.secret_key, ttl_seconds=3600
            )
            ops = operations(http, staff, skus)
            for action in ops.values():  # warm: caches, prepared statements
                for _ in range(10):
                    await action()
            cpu: dict[str, list[float]] = {name: [] for name in ops}
            loads = []
            for _ in range(args.rounds):
                for name, action in ops.items():
                    for _ in range(args.per_round):
                        began = time.process_time()
                        await action()
                        cpu[name].append(time.process_time() - began)
                loads.append(os.getloadavg()[0])
            print(
                f"{args.rounds} rounds x {args.per_round} requests of each, interleaved; "
                f"load average (1 min) during the rounds {min(loads):.2f}-{max(loads):.2f}"
            )
            print(f"{'operation':<18} {'CPU p50 ms':>10} {'mean ms':>8} {'best round p50':>15}")
            for name, values in cpu.items():
                # Each round's p50, and the least of them: the round least disturbed by
                # other work on a shared machine.
                rounds = [values[i : i + args.per_round] for i in range(0, len(values), args.per_round)]
                best = min(statistics.median(r) for r in rounds)
                print(
                    f"{name:<18} {statistics.median(values) * 1000:>10.2f} {statistics.fmean(values) * 1000:>8.2f} "
                    f"{best * 1000:>15.2f}"
                )
            if args.profile:
                await profiled(args.profile, ops[args.profile], args.profile_count, args.profile_dump)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--orders", type=int, default=500, help="orders seeded before the page requests")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-round", type=int, default=60)
    parser.add_argument("--log-level", default="warning", help="info: with the per-request log line")
    parser.add_argument("--profile", choices=OPERATIONS)
    parser.add_argument("--profile-count", type=int, default=50)
    parser.add_argument("--profile-dump", help="write the cProfile stats to this file (pstats format)")
    args = parser.parse_args(argv)
    url = await create_postgres_database(args.database_url)
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        await run(args, url)
    finally:
        await drop_postgres_database(args.database_url, url)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
