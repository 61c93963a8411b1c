"""Benchmark POST /webhooks/stripe: p50/p99 under 50 concurrent deliveries, duplicates too.

Signed ``payment_intent.succeeded`` events, as Stripe sends them, against a real uvicorn:
latency, events/s and CPU per event, with a GET /healthz baseline from the same run.

    .venv/bin/python bench/webhooks.py                       # 1000 events, 50 clients, ~1 min
    .venv/bin/python bench/webhooks.py --events 2000 --db-params maxsize=30 --profile 300

Creates a fresh PostgreSQL database on the server of ``--database-url`` (default env
OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrates it,
starts a FakeStripe (oms.fake_stripe) in this process and serves the database with
``uvicorn --factory oms.app:create_app --workers W`` configured for Stripe
(OMS_STRIPE_API_KEY, OMS_STRIPE_WEBHOOK_SECRET, OMS_STRIPE_API_BASE = the fake) and
``OMS_RUN_WORKER=false``: the in-process job worker is off, so the delivery and
notification jobs each payment enqueues stay queued instead of competing for the CPU and
the database with the webhooks being measured. The database is dropped at the end.

Setup (not timed): guests place ``--warmup + 2 x --events`` orders through GraphQL
(a physical and a digital line: each order opens a PaymentIntent at the fake and will
enqueue two deliveries when paid); every intent is marked succeeded in the fake, and a
signed ``payment_intent.succeeded`` event is built for each, as Stripe would send it.

Timed phases, each with ``--concurrency`` requests in flight (every client task has its
own httpx.AsyncClient and keep-alive connection, connected before the clock starts):
- healthz (before): GET /healthz (one ``SELECT 1``), the machine's baseline;
- unique: ``--events`` events, each delivered once: every answer must be "processed";
- twice: ``--events`` other events, each delivered twice at the same moment (two
  requests of one event on two connections; concurrency/2 events at a time): one answer
  must be "processed", the other "duplicate" (it waits for the first's transaction);
- redelivery: the twice phase's events once more, later, re-signed with a fresh timestamp
  (as Stripe's retries are): all "duplicate";
- healthz (after), to see whether the machine's load moved during the run.
Printed per phase: requests/s, p50/p99/max latency, and CPU milliseconds per request of
the load generator (``client``), the server processes (``app``) and the PostgreSQL
backends of the benchmark database (``db``), from /proc schedstat (PostgreSQL must run on
this machine for ``db``). Then a correctness line from SQL: every order PROCESSING/PAID,
exactly one Payment (SUCCEEDED) and one ``order.paid`` event per order, one
``processed_webhook`` row per distinct event, two deliveries and two delivery jobs per
order, none flagged for review.

``--profile K``: after the live run, K more events in-process (create_app +
httpx.ASGITransport, one at a time) with every asyncpg round trip of one delivery listed,
and the K deliveries under cProfile, own time by package.
See docs/performance.md ("Webhooks").
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import dataclasses
import datetime as dt
import os
import pstats
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import httpx  # noqa: E402

from oms.fake_stripe import FakeStripe, sign_event  # noqa: E402
from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from bench.common import CREATE_PRODUCT, LOGIN, gql, percentile  # noqa: E402
from bench.sqltap import StatementTap  # noqa: E402
from tests.live_server import (  # noqa: E402
    STAFF_EMAIL,
    STAFF_PASSWORD,
    create_staff,
    live_server,
    migrate,
    server_env,
    sql_rows,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
API_KEY = "sk_test_bench_webhooks"
WEBHOOK_SECRET = "whsec_bench_webhooks"
ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
           "postalCode": "N1 9GU", "country": "GB"}
PHYSICAL_SKUS = [f"WH-MUG-{i}" for i in range(10)]  # spread placement's stock locks
DIGITAL_SKU = "WH-EBOOK"
DELIVERIES_PER_ORDER = 2  # physical + digital

SET_STOCK = """mutation($input: SetStockInput!) { setStock(input: $input) { userErrors { code message } } }"""
PLACE_ORDER = """mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } payment { gateway clientSecret }
  userErrors { field code message } } }"""


def stripe_env(fake: FakeStripe) -> dict[str, str]:
    return {"OMS_STRIPE_API_KEY": API_KEY, "OMS_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "OMS_STRIPE_API_BASE": fake.url, "OMS_RUN_WORKER": "false"}


# -- CPU accounting (/proc schedstat, as bench/place_orders.py) ---------------------------------


def _cpu_seconds(pid: str) -> float:
    total = 0
    for task in os.scandir(f"/proc/{pid}/task"):
        total += int(Path(task.path, "schedstat").read_text().split()[0])
    return total / 1e9


def _proc_cpu(select: Callable[[str, int], bool]) -> dict[str, float]:
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if select(cmdline, int(raw[raw.rindex(")") + 2:].split()[2])):
                found[entry.name] = _cpu_seconds(entry.name)
        except OSError:
            continue
    return found


def cpu_snapshot(server_pgid: int, database: str) -> dict[str, dict[str, float]]:
    """CPU seconds per pid: this process (load generator; the fake is idle while webhooks
    run), the server's process group, the PostgreSQL backends of ``database``."""
    return {
        "client": {"self": _cpu_seconds(str(os.getpid()))},
        "app": _proc_cpu(lambda cmdline, pgid: pgid == server_pgid),
        "db": _proc_cpu(lambda cmdline, pgid: cmdline.startswith("postgres: ") and f" {database} " in cmdline),
    }


def app_split(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> list[float]:
    """Share of the server's CPU taken by each busy process (the uvicorn workers; the
    supervisor uses next to none), largest first: uneven means one worker's event loop
    got more of the connections."""
    used = [s - before.get("app", {}).get(pid, 0.0) for pid, s in after["app"].items()]
    total = sum(used) or 1.0
    return sorted((u / total for u in used if u / total > 0.02), reverse=True)


def cpu_used(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict[str, float]:
    return {kind: sum(s - before.get(kind, {}).get(pid, 0.0) for pid, s in pids.items())
            for kind, pids in after.items()}


# -- phases ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Phase:
    name: str
    concurrency: int
    seconds: float
    latencies: list[float]  # every request, seconds
    by_outcome: dict[str, list[float]]  # "processed" / "duplicate" / "ok" -> latencies
    errors: list[str]
    cpu: dict[str, float]
    split: list[float]

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        cpu = " ".join(f"{k} {v / self.requests * 1000:.2f}" for k, v in self.cpu.items()) if self.requests else "n/a"
        busy = sum(self.cpu.values()) / self.seconds if self.seconds else 0.0
        outcomes = ", ".join(f"{k} {len(v)}" for k, v in sorted(self.by_outcome.items()))
        errors = f"\n    ERRORS {len(self.errors)}: {self.errors[0][:300]}" if self.errors else ""
        return (f"{self.name:18} C={self.concurrency:<3} {self.rate:7.1f} req/s  {fmt(self.latencies)}"
                f"  ({self.requests} in {self.seconds:.1f} s: {outcomes}; CPU ms/req: {cpu};"
                f" {busy:.2f} cores busy, app split {'/'.join(f'{x:.0%}' for x in self.split)}){errors}")


def fmt(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):7.1f} ms  p99 {percentile(values, 99):7.1f} ms"
            f"  max {max(values, default=float('nan')) * 1000:7.1f} ms")


async def run_phase(name: str, items: list, server_url: str, concurrency: int,
                    cpu: Callable[[], dict[str, dict[str, float]]],
                    one: Callable[[httpx.AsyncClient, object], Awaitable[list[tuple[float, str]]]],
                    per_client: int = 1) -> Phase:
    """``concurrency / per_client`` clients, each its own httpx.AsyncClient with
    ``per_client`` keep-alive connections, take ``items`` from a queue until it is empty;
    ``one(http, item)`` makes ``per_client`` requests at once and returns (latency,
    outcome) for each, or raises. (One AsyncClient shared by 50 tasks costs ~3x the client
    CPU per request and caps the rate: see docs/performance.md.)"""
    queue: asyncio.Queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies: list[float] = []
    by_outcome: dict[str, list[float]] = collections.defaultdict(list)
    errors: list[str] = []
    limits = httpx.Limits(max_connections=per_client, max_keepalive_connections=per_client)
    clients = [httpx.AsyncClient(base_url=server_url, limits=limits, timeout=120)
               for _ in range(concurrency // per_client)]

    async def worker(http: httpx.AsyncClient) -> None:
        while True:
            try:
                item = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                for latency, outcome in await one(http, item):
                    latencies.append(latency)
                    by_outcome[outcome].append(latency)
            except Exception as exc:  # counted and shown, never hidden
                errors.append(repr(exc))

    try:
        # Connect every client first (a GET /healthz each): the phase measures requests,
        # not TCP handshakes.
        await asyncio.gather(*(http.get("/healthz") for http in clients for _ in range(per_client)))
        before = cpu()
        began = time.monotonic()
        await asyncio.gather(*(worker(http) for http in clients))
        seconds = time.monotonic() - began
        after = cpu()
        used, split = cpu_used(before, after), app_split(before, after)
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))
    return Phase(name, concurrency, seconds, latencies, dict(by_outcome), errors, used, split)


async def timed(request: Awaitable[httpx.Response]) -> tuple[float, httpx.Response]:
    began = time.perf_counter()
    response = await request
    return time.perf_counter() - began, response


def post_event(http: httpx.AsyncClient, event: tuple[bytes, str]) -> Awaitable[httpx.Response]:
    body, header = event
    return http.post("/webhooks/stripe", content=body,
                     headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def outcome_of(response: httpx.Response) -> str:
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return response.json()["outcome"]


def deliver_once(expect: str):
    async def one(http: httpx.AsyncClient, event: tuple[bytes, str]) -> list[tuple[float, str]]:
        latency, response = await timed(post_event(http, event))
        outcome = outcome_of(response)
        if outcome != expect:
            raise RuntimeError(f"expected {expect!r}, got {outcome!r}")
        return [(latency, outcome)]
    return one


async def deliver_twice(http: httpx.AsyncClient, event: tuple[bytes, str]) -> list[tuple[float, str]]:
    """The same event on two connections at the same moment."""
    answers = await asyncio.gather(timed(post_event(http, event)), timed(post_event(http, event)))
    outcomes = [outcome_of(response) for _, response in answers]
    if sorted(outcomes) != ["duplicate", "processed"]:
        raise RuntimeError(f"one event twice at once answered {outcomes}")
    return [(latency, outcome) for (latency, _), outcome in zip(answers, outcomes)]


async def healthz(http: httpx.AsyncClient, _: object) -> list[tuple[float, str]]:
    latency, response = await timed(http.get("/healthz"))
    if response.status_code != 200:
        raise RuntimeError(f"/healthz: HTTP {response.status_code}")
    return [(latency, "ok")]


# -- setup ---------------------------------------------------------------------------------------


async def setup_catalog(http: httpx.AsyncClient) -> None:
    token = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
    products = [({"name": f"Bench {sku}", "productType": "physical",
                  "variants": [{"sku": sku, "price": "12.50", "attributes": {"weight_grams": 350}}]}, sku)
                for sku in PHYSICAL_SKUS]
    products.append(({"name": "Bench e-book", "productType": "digital", "variants": [
        {"sku": DIGITAL_SKU, "price": "9.99", "attributes": {"file": "books/bench.pdf",
                                                              "file_name": "bench.pdf"}}]}, None))
    for product, stock_sku in products:
        data = await gql(http, CREATE_PRODUCT, {"input": product}, token)
        if data["createProduct"]["userErrors"]:
            raise RuntimeError(data)
        if stock_sku:
            data = await gql(http, SET_STOCK, {"input": {"sku": stock_sku, "quantity": 100_000_000}}, token)
            if data["setStock"]["userErrors"]:
                raise RuntimeError(data)


async def place_orders(http: httpx.AsyncClient, count: int, concurrency: int, fake: FakeStripe) -> list[str]:
    """``count`` guest orders; the PaymentIntent id of each (from the client secret, as
    Stripe.js knows it)."""
    intents: list[str] = []
    queue = collections.deque(range(count))

    async def client() -> None:
        while queue:
            i = queue.popleft()
            data = await gql(http, PLACE_ORDER, {"input": {
                "lines": [{"sku": PHYSICAL_SKUS[i % len(PHYSICAL_SKUS)], "quantity": 1},
                          {"sku": DIGITAL_SKU, "quantity": 1}],
                "email": f"guest{i}@example.com", "shippingAddress": ADDRESS,
                "shippingMethod": "standard", "idempotencyKey": f"bench-webhooks-{uuid.uuid4().hex}",
            }})
            payload = data["placeOrder"]
            if payload["userErrors"] or not payload["payment"] or payload["payment"]["gateway"] != "stripe":
                raise RuntimeError(f"placeOrder: {payload}")
            intents.append(payload["payment"]["clientSecret"].split("_secret_")[0])

    await asyncio.gather(*(client() for _ in range(concurrency)))
    missing = [i for i in intents if i not in fake.payment_intents]
    if missing:
        raise RuntimeError(f"{len(missing)} intents unknown to the fake, e.g. {missing[0]}")
    return intents


def signed_events(fake: FakeStripe, intents: list[str]) -> list[tuple[bytes, str]]:
    """The customer paid each intent; the body and Stripe-Signature of its event. Signed
    now: Stripe's tolerance (300 s) must not run out before delivery."""
    events = []
    for intent in intents:
        fake.succeed(intent)
        events.append(fake.signed_event("payment_intent.succeeded", intent, WEBHOOK_SECRET))
    return events


# -- correctness, from SQL ---------------------------------------------------------------------


async def check(url: str, orders: int, distinct_events: int) -> list[str]:
    """What is wrong in the stored rows after every event was delivered (empty: all good)."""
    one = lambda query: sql_rows(url, query)  # noqa: E731
    problems = []
    (placed,), = await one('SELECT count(*) FROM "order"')
    if placed != orders:
        problems.append(f"{placed} orders stored, {orders} placed")
    (unpaid,), = await one("""SELECT count(*) FROM "order" WHERE status <> 'PROCESSING'
                              OR payment_status <> 'PAID' OR needs_review""")
    if unpaid:
        problems.append(f"{unpaid} orders not PROCESSING/PAID or flagged for review")
    bad = await one("""SELECT o.id, count(p.id), count(p.id) FILTER (WHERE p.state = 'SUCCEEDED')
                       FROM "order" o LEFT JOIN payment p ON p.order_id = o.id GROUP BY o.id
                       HAVING count(p.id) <> 1 OR count(p.id) FILTER (WHERE p.state = 'SUCCEEDED') <> 1""")
    if bad:
        problems.append(f"{len(bad)} orders without exactly one Payment (SUCCEEDED), e.g. "
                        f"order {bad[0][0]}: {bad[0][1]} payments, {bad[0][2]} succeeded")
    bad = await one("""SELECT o.id, count(e.id) FROM "order" o LEFT JOIN order_event e
                       ON e.order_id = o.id AND e.type = 'order.paid' GROUP BY o.id HAVING count(e.id) <> 1""")
    if bad:
        problems.append(f"{len(bad)} orders without exactly one order.paid event, e.g. order {bad[0][0]}: {bad[0][1]}")
    bad = await one(f"""SELECT o.id, count(d.id) FROM "order" o LEFT JOIN delivery d ON d.order_id = o.id
                        GROUP BY o.id HAVING count(d.id) <> {DELIVERIES_PER_ORDER}""")
    if bad:
        problems.append(f"{len(bad)} orders without {DELIVERIES_PER_ORDER} deliveries, e.g. order {bad[0][0]}: {bad[0][1]}")
    (jobs,), = await one("SELECT count(*) FROM job WHERE kind = 'order.deliver'")
    if jobs != DELIVERIES_PER_ORDER * orders:
        problems.append(f"{jobs} order.deliver jobs, expected {DELIVERIES_PER_ORDER * orders}")
    (processed, distinct), = await one("SELECT count(*), count(DISTINCT event_id) FROM processed_webhook")
    if (processed, distinct) != (distinct_events, distinct_events):
        problems.append(f"processed_webhook: {processed} rows, {distinct} distinct, expected {distinct_events}")
    return problems


# -- in-process: round trips and profile of one delivery -------------------------------------


def _package(file: str, function: str) -> str:
    if file == "~":
        return "(builtins: " + ("I/O wait in epoll" if "poll" in function else "C functions") + ")"
    parts = Path(file).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for marker in ("oms", "plugins"):
        if marker in parts:
            return marker
    return "stdlib " + Path(file).stem


async def profile_in_process(url: str, fake: FakeStripe, count: int) -> None:
    from oms.app import create_app
    from oms.config import Settings

    app = create_app(Settings.from_env(server_env(url, stripe_env(fake))))
    tap = StatementTap()
    with tap.installed():
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://oms.bench"
        ) as http:
            events = signed_events(fake, await place_orders(http, count + 3, 1, fake))
            for event in events[:2]:  # warm: prepared statements, type introspection
                outcome_of(await post_event(http, event))
            tap.statements, tap.enabled = [], True
            outcome = outcome_of(await post_event(http, events[2]))
            tap.enabled = False
            resets = sum("pg_advisory_unlock_all" in s for s in tap.statements)
            print(f"\nOne delivery ({outcome}): {len(tap.statements) - resets} statements (incl. BEGIN/COMMIT)"
                  f" + {resets} pool resets")
            for sql in tap.statements:
                flat = " ".join(sql.split())
                print("  " + ("(pool reset on release)" if "pg_advisory_unlock_all" in flat
                              else flat if len(flat) <= 140 else flat[:137] + "..."))
            tap.statements, tap.enabled = [], True
            outcome_of(await post_event(http, events[2]))
            tap.enabled = False
            resets = sum("pg_advisory_unlock_all" in s for s in tap.statements)
            print(f"The same event again (duplicate): {len(tap.statements) - resets} statements + {resets} pool resets")

            profiler = cProfile.Profile()
            began = time.perf_counter()
            profiler.enable()
            for event in events[3:]:
                outcome_of(await post_event(http, event))
            profiler.disable()
            elapsed = time.perf_counter() - began
    stats = pstats.Stats(profiler)
    by_package: collections.Counter[str] = collections.Counter()
    for (file, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(file, function)] += tottime
    print(f"\nProfile: {count} deliveries in-process, one at a time: {elapsed / count * 1000:.2f} ms each under"
          " cProfile (client and server in this process). Own time by package, ms/delivery:")
    for package, seconds in by_package.most_common(12):
        print(f"  {seconds / count * 1000:6.2f}  {package}")
    # Inclusive time of the steps of one delivery (own + callees).
    steps = {("webhooks.py", "stripe_webhook"): "stripe_webhook (the whole view)",
             ("gateway.py", "parse_webhook"): "  parse_webhook (signature, JSON, stripe objects)",
             ("services.py", "handle_gateway_event"): "  handle_gateway_event (the transaction)",
             ("services.py", "_apply_success"): "    _apply_success",
             ("events.py", "record_event"): "      record_event (event + job)",
             ("services.py", "enqueue_deliveries"): "      enqueue_deliveries (lines, 2 x delivery + job)"}
    found = {}
    for (file, _line, function), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = (Path(file).name, function)
        if key in steps and ("oms" in Path(file).parts):
            found[steps[key]] = found.get(steps[key], 0.0) + cumtime
    print("Inclusive time, ms/delivery (wall time under cProfile, awaits included):")
    for label in steps.values():
        if label in found:
            print(f"  {found[label] / count * 1000:6.2f}  {label}")
    import io
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(15)
    print("Top functions by own time:")
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


# -- main ------------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> int:
    base = args.database_url
    url = await create_postgres_database(base)
    database = url.rsplit("/", 1)[1]
    total_orders = args.warmup + 2 * args.events
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; database {database}; uvicorn --workers {args.workers}"
          f"{' (?' + args.db_params + ')' if args.db_params else ''}, OMS_RUN_WORKER=false (jobs stay queued); {os.cpu_count()} CPUs, load average"
          f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.events} events per phase,"
          f" concurrency {args.concurrency}")
    failed = False
    try:
        await migrate(url)
        await asyncio.to_thread(create_staff, url)
        with FakeStripe(api_key=API_KEY) as fake:
            server_url = url + (("&" if "?" in url else "?") + args.db_params if args.db_params else "")
            async with live_server(server_url, workers=args.workers, env=stripe_env(fake)) as server:
                began = time.monotonic()
                limits = httpx.Limits(max_connections=args.place_concurrency)
                async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as http:
                    await setup_catalog(http)
                    intents = await place_orders(http, total_orders, args.place_concurrency, fake)
                print(f"setup: {total_orders} orders placed through GraphQL ({args.place_concurrency} clients),"
                      f" {len(fake.payment_intents)} PaymentIntents at the fake,"
                      f" {time.monotonic() - began:.1f} s", flush=True)
                warm, unique, twice = (intents[:args.warmup], intents[args.warmup:args.warmup + args.events],
                                       intents[args.warmup + args.events:])

                def cpu() -> dict[str, dict[str, float]]:
                    return cpu_snapshot(server.process.pid, database)

                c, u = args.concurrency, server.url
                phases: list[Phase] = []
                warmup = await run_phase("warmup", signed_events(fake, warm), u, c, cpu, deliver_once("processed"))
                if warmup.errors:
                    print(warmup.line())
                    failed = True
                hz = [None] * args.healthz
                phases.append(await run_phase("healthz (before)", hz, u, c, cpu, healthz))
                phases.append(await run_phase("webhook unique", signed_events(fake, unique), u, c, cpu,
                                              deliver_once("processed")))
                twice_events = signed_events(fake, twice)
                phases.append(await run_phase("webhook twice", twice_events, u, c, cpu, deliver_twice,
                                              per_client=2))
                # Stripe signs each retry anew: same body and event id, a fresh timestamp.
                again = [(body, sign_event(body, WEBHOOK_SECRET)) for body, _ in twice_events]
                phases.append(await run_phase("webhook redelivery", again, u, c, cpu,
                                              deliver_once("duplicate")))
                phases.append(await run_phase("healthz (after)", hz, u, c, cpu, healthz))
                for phase in phases:
                    print(phase.line(), flush=True)
                    failed |= bool(phase.errors)
                pair = phases[2].by_outcome
                if pair:
                    print(f"  twice, by answer: processed {fmt(pair.get('processed', []))};"
                          f" duplicate {fmt(pair.get('duplicate', []))}")
                problems = await check(url, total_orders, total_orders)
                (queued,), = await sql_rows(url, "SELECT count(*) FROM job WHERE status = 'QUEUED'")
                if problems:
                    failed = True
                    print("correctness: FAILED: " + "; ".join(problems))
                else:
                    print(f"correctness: OK: {total_orders} orders, each PROCESSING/PAID with exactly 1 Payment"
                          f" (SUCCEEDED), 1 order.paid event, {DELIVERIES_PER_ORDER} deliveries;"
                          f" {total_orders} processed_webhook rows for {total_orders} distinct events"
                          f" ({total_orders + 2 * args.events} deliveries); {queued} jobs left queued")
                # uvicorn runs with --log-level warning: any line is worth seeing.
                logged = [line for line in server.log().splitlines() if line.strip()]
                if logged:
                    print(f"server log: {len(logged)} lines (warnings/errors), most frequent exceptions:\n"
                          + server.exceptions() + "\nfirst lines:\n  " + "\n  ".join(logged[:5]))
                    failed |= "Traceback" in server.log()
                summary(phases)
            if args.profile:
                await profile_in_process(url, fake, args.profile)
    finally:
        await drop_postgres_database(base, url)
    return 1 if failed else 0


def summary(phases: list[Phase]) -> None:
    print("\nSummary (latency ms)")
    print("  phase               req/s    p50    p99     max")
    for p in phases:
        print(f"  {p.name:18} {p.rate:6.1f} {percentile(p.latencies, 50):6.1f} {percentile(p.latencies, 99):6.1f}"
              f" {max(p.latencies, default=float('nan')) * 1000:7.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL") or DEFAULT_PG,
                        help="a PostgreSQL server URL; a fresh database is created next to it")
    parser.add_argument("--events", type=int, default=1000,
                        help="events per phase (the unique and the duplicate phase each get their own orders)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight (default 50)")
    parser.add_argument("--healthz", type=int, default=2000, help="GET /healthz requests per baseline phase")
    parser.add_argument("--warmup", type=int, default=100, help="events delivered before measuring")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--db-params", default="",
                        help="query string added to the server's database URL, e.g. maxsize=20")
    parser.add_argument("--place-concurrency", type=int, default=10, help="clients placing the orders (setup)")
    parser.add_argument("--profile", type=int, default=0, metavar="K",
                        help="profile K deliveries in-process with cProfile, and list one delivery's SQL")
    args = parser.parse_args(argv)
    if args.concurrency < 2 or args.events < 1:
        parser.error("--concurrency must be at least 2 and --events at least 1")
    if args.concurrency % 2:
        parser.error("--concurrency must be even (the twice phase sends events in pairs)")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
