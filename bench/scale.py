"""Benchmark oms at scale on PostgreSQL: 10k, 100k and 1M orders (issue 13 item 9).

A scratch database (``--db-name``, dropped and created unless ``--reuse``) is migrated and
seeded incrementally with ``oms.bulkseed`` (10k, then 90k more, then 900k more). At each
size, against the app in process (httpx ASGITransport, the real GraphQL stack, a staff
token), it measures p50/p99 of:

- ``orders(first: 100)`` unfiltered, with filters (status, payment status, product type,
  a month of dates), on deep pages (a cursor 50% and 99% down the list), and search by
  email, by sku and by number;
- ``salesReport`` for a year by DAY and by PRODUCT, if the schema has it;
- ``oms export orders`` for a year (rows/s and the process's peak memory), if the CLI has it;
- ``placeOrder`` (orders/s with 4 clients, p50/p99) as the tables grow;

and prints a Markdown table, then the EXPLAIN ANALYZE summary of each orders query (page
and count statements: scans used, whether ``order`` is read by a sequential scan, time).
Features not built yet print "n/a", so the same script measures them once merged.

    .venv/bin/python bench/scale.py --sizes 10000,100000          # ~5 min here
    .venv/bin/python bench/scale.py --sizes 1000000 --reuse       # grows the same database
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile  # noqa: E402

# A page as a back office lists it: no totalCount (oms counts only when it is selected, and
# counting a million rows is what made a page slow); ORDERS_COUNT is that count alone.
ORDERS_PAGE = """query($first: Int, $after: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { number email status paymentStatus total { amount } createdAt } } } }"""
ORDERS_COUNT = """query($filter: OrderFilter) { orders(first: 1, filter: $filter) { totalCount } }"""
SALES = """query($from: DateTime!, $to: DateTime!, $g: ReportGroupBy!) {
  salesReport(from: $from, to: $to, groupBy: $g) { currency totals { orders gross { amount } } rows { key } } }"""
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { number } userErrors { code message } } }"""
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical St",
    "city": "London",
    "postalCode": "N1 9GU",
    "country": "GB",
}


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def scratch_database(base: str, name: str, *, reuse: bool) -> str:
    conn = await asyncpg.connect(base)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and not reuse:
            await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not reuse:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_db(base, name)


async def create_report_indexes(url: str) -> None:
    """The reports' covering indexes (oms.reports.sql.REPORT_INDEXES), until a migration
    makes them: building them on a million orders takes a few seconds."""
    from oms.reports.sql import REPORT_INDEXES

    conn = await asyncpg.connect(url)
    try:
        for statement in REPORT_INDEXES:
            await conn.execute(statement)
    finally:
        await conn.close()


class Bench:
    def __init__(self, http: httpx.AsyncClient, token: str, runs: int):
        self.http, self.token, self.runs = http, token, runs

    async def call(self, query: str, variables: dict[str, Any], *, guest: bool = False) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={} if guest else {"Authorization": f"Bearer {self.token}"},
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"GraphQL failed ({response.status_code}): {str(body)[:500]}")
        return body["data"]

    async def timed(self, query: str, variables: dict[str, Any], runs: int | None = None) -> tuple[str, Any]:
        await self.call(query, variables)  # warm-up (plans, caches)
        samples, data = [], None
        for _ in range(runs or self.runs):
            started = time.perf_counter()
            data = await self.call(query, variables)
            samples.append(time.perf_counter() - started)
        return f"{percentile(samples, 50):.1f} / {percentile(samples, 99):.1f}", data

    async def has_query_field(self, name: str) -> bool:
        data = await self.call("{ __schema { queryType { fields { name } } } }", {})
        return name in {f["name"] for f in data["__schema"]["queryType"]["fields"]}


def order_filter(**kwargs: Any) -> Any:
    from oms.orders.inputs import OrderFilter

    return OrderFilter(**kwargs)


def scans_of(node: dict[str, Any]) -> list[str]:
    """The scan nodes of a JSON plan, e.g. ``Index Scan(order_pkey)``, in plan order, with
    the rows each read and threw away (an index walked in order while filtering is a scan too)."""
    found = []
    if "Relation Name" in node or "Index Name" in node:
        removed = int(node.get("Rows Removed by Filter", 0)) * int(node.get("Actual Loops", 1))
        found.append(
            f"{node['Node Type']}({node.get('Index Name') or node.get('Relation Name')})"
            + (f" [{removed:,} rows filtered out]" if removed else "")
        )
    for child in node.get("Plans", []):
        found.extend(scans_of(child))
    return found


async def explain(name: str, domain_filter: Any, after_id: int | None) -> str:
    """EXPLAIN ANALYZE of the page and count statements oms runs for this filter."""
    from tortoise import connections

    from oms.orders.search import filter_orders

    def statement(queryset: Any) -> tuple[str, list[Any]]:
        # Tortoise leaves a subquery's parameters out of sql(params_inline=True).
        queryset._choose_db_if_not_chosen()
        queryset._make_query()
        sql, params = queryset.query.get_parameterized_sql()
        return sql, list(params)

    qs = filter_orders(domain_filter)
    page = qs.filter(id__lt=after_id) if after_id else qs
    page_sql, page_params = statement(page.order_by("-id").limit(101))
    count_sql, count_params = statement(qs.only("id"))
    statements = {
        "page": (page_sql, page_params),
        "count": (f"SELECT COUNT(*) FROM ({count_sql}) AS q", count_params),
    }
    conn = connections.get("default")
    parts = []
    for kind, (sql, params) in statements.items():
        rows = await conn.execute_query_dict(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = rows[0]["QUERY PLAN"]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        scans = scans_of(plan[0]["Plan"])
        seq = any(s.startswith("Seq Scan(order)") for s in scans)
        parts.append(
            f"{kind}: {plan[0]['Execution Time']:.1f} ms, {', '.join(dict.fromkeys(scans))}"
            + (" **SEQ SCAN of order**" if seq else "")
        )
    return f"- {name}: " + "; ".join(parts)


async def measure_orders(bench: Bench, size: int, results: dict[str, dict[int, str]], plans: list[str]) -> None:
    from tortoise import connections

    from oms.orders.models import Order, OrderLine

    conn = connections.get("default")
    year_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    month = (year_ago, year_ago + dt.timedelta(days=30))
    middle = (await Order.all().order_by("id").first().values_list("id", flat=True) or 0) + size // 2
    some = await Order.filter(customer_id__isnull=False, id__gte=middle).order_by("id").first()
    guest = await Order.filter(customer_id__isnull=True, id__gte=middle).order_by("id").first()
    sku = await OrderLine.filter(product_type="physical", order_id__gte=middle).order_by("id").first()
    assert some and guest and sku
    ids = await conn.execute_query_dict(
        'SELECT (SELECT id FROM "order" ORDER BY id DESC OFFSET $1 LIMIT 1) AS mid, '
        '(SELECT id FROM "order" ORDER BY id DESC OFFSET $2 LIMIT 1) AS deep',
        [size // 2, int(size * 0.99)],
    )
    cases: list[tuple[str, dict[str, Any], dict[str, Any], int | None]] = [
        ("orders page 1, no filter", {}, {}, None),
        ("orders status=COMPLETED", {"status": ["COMPLETED"]}, {"status": ["COMPLETED"]}, None),
        (
            "orders paymentStatus=PARTIALLY_REFUNDED",
            {"paymentStatus": ["PARTIALLY_REFUNDED"]},
            {"payment_status": ["PARTIALLY_REFUNDED"]},
            None,
        ),
        ("orders productType=consultation", {"productType": "consultation"}, {"product_type": "consultation"}, None),
        (
            "orders created in one month",
            {"createdAfter": month[0].isoformat(), "createdBefore": month[1].isoformat()},
            {"created_after": month[0], "created_before": month[1]},
            None,
        ),
        ("orders deep page (50%)", {}, {}, ids[0]["mid"]),
        ("orders deep page (99%)", {}, {}, ids[0]["deep"]),
        ("orders status=COMPLETED, 99% deep", {"status": ["COMPLETED"]}, {"status": ["COMPLETED"]}, ids[0]["deep"]),
        ("filter email= (customer)", {"email": some.email}, {"email": some.email}, None),
        ("search email (guest)", {"search": guest.email}, {"search": guest.email}, None),
        ("search sku", {"search": sku.sku}, {"search": sku.sku}, None),
        ("search number", {"search": some.number}, {"search": some.number}, None),
    ]
    from types import SimpleNamespace

    from oms.orders.search import NEWEST_FIRST, encode_cursor

    for name, gql_filter, domain_filter, after_id in cases:
        variables: dict[str, Any] = {"first": 100, "filter": gql_filter or None}
        if after_id:
            variables["after"] = encode_cursor(SimpleNamespace(id=after_id), NEWEST_FIRST)  # type: ignore[arg-type]
        figure, _ = await bench.timed(ORDERS_PAGE, variables)
        results.setdefault(f"{name} (ms p50/p99)", {})[size] = figure
        plans.append(await explain(name, order_filter(**domain_filter) if domain_filter else None, after_id))
    for name, gql_filter in (("totalCount alone, no filter", {}), ("totalCount alone, status=COMPLETED",
                                                                   {"status": ["COMPLETED"]})):  # fmt: skip
        figure, _ = await bench.timed(ORDERS_COUNT, {"filter": gql_filter or None}, runs=max(3, bench.runs // 4))
        results.setdefault(f"{name} (ms p50/p99)", {})[size] = figure


async def measure_reports(bench: Bench, size: int, results: dict[str, dict[int, str]]) -> None:
    to = dt.datetime.now(dt.UTC)
    since = to - dt.timedelta(days=365)
    present = await bench.has_query_field("salesReport")
    for group in ("DAY", "PRODUCT"):
        key = f"salesReport 1 year by {group} (ms p50/p99)"
        if not present:
            results.setdefault(key, {})[size] = "n/a"
            continue
        variables = {"from": since.isoformat(), "to": to.isoformat(), "g": group}
        figure, _ = await bench.timed(SALES, variables, runs=max(3, bench.runs // 4))
        results.setdefault(key, {})[size] = figure


def measure_export(database_url: str, size: int, results: dict[str, dict[int, str]]) -> None:
    """``oms export orders --from --to`` for a year: rows/s and the child's peak RSS."""
    from oms.cli import build_parser

    key_rate, key_mem = "export orders 1 year (rows/s)", "export orders peak RSS (MB)"
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["export", "orders", "--from", "2020-01-01", "--to", "2020-01-02"])
    except SystemExit:
        results.setdefault(key_rate, {})[size] = results.setdefault(key_mem, {})[size] = "n/a"
        return
    to = dt.date.today() + dt.timedelta(days=1)
    since = to - dt.timedelta(days=366)
    oms = Path(sys.executable).parent / "oms"
    env = {**os.environ, "OMS_DATABASE_URL": database_url, "OMS_SEED_DEMO": "0"}
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(oms), "export", "orders", "--from", since.isoformat(), "--to", to.isoformat()],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        rows = sum(1 for _ in out) - 1
    if status != 0:
        results.setdefault(key_rate, {})[size] = results.setdefault(key_mem, {})[size] = f"failed ({status})"
        return
    results.setdefault(key_rate, {})[size] = f"{rows / seconds:,.0f} ({rows:,} rows)"
    results.setdefault(key_mem, {})[size] = f"{usage.ru_maxrss / 1024:.0f}"


async def measure_place(bench: Bench, size: int, results: dict[str, dict[int, str]], count: int) -> None:
    from oms.catalog.models import Variant

    skus = {
        t: v.sku
        for t in ("physical", "digital")
        if (v := await Variant.filter(product__product_type=t, product__slug__startswith="bulk-").first())
    }
    lines = [{"sku": skus["digital"], "quantity": 1}]
    extra: dict[str, Any] = {}
    if "physical" in skus:
        lines.append({"sku": skus["physical"], "quantity": 1})
        extra = {"shippingAddress": ADDRESS, "shippingMethod": "standard"}
    samples: list[float] = []

    async def client(n: int) -> None:
        for _ in range(n):
            data = {"lines": lines, "email": "bench@example.com", "idempotencyKey": uuid.uuid4().hex, **extra}
            started = time.perf_counter()
            payload = (await bench.call(PLACE, {"input": data}, guest=True))["placeOrder"]
            samples.append(time.perf_counter() - started)
            if payload["userErrors"]:
                raise RuntimeError(payload["userErrors"])

    clients = 4
    started = time.perf_counter()
    await asyncio.gather(*(client(count // clients) for _ in range(clients)))
    seconds = time.perf_counter() - started
    results.setdefault("placeOrder, 4 clients (orders/s)", {})[size] = f"{len(samples) / seconds:.0f}"
    results.setdefault("placeOrder (ms p50/p99)", {})[size] = (
        f"{percentile(samples, 50):.0f} / {percentile(samples, 99):.0f}"
    )


def table(results: dict[str, dict[int, str]], sizes: list[int]) -> str:
    head = "| measure | " + " | ".join(f"{s:,} orders" for s in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]
    for name, by_size in results.items():
        lines.append(f"| {name} | " + " | ".join(by_size.get(s, "") for s in sizes) + " |")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    from tortoise import connections

    from oms.accounts import services as accounts
    from oms.accounts.permissions import Viewer
    from oms.app import create_app
    from oms.bulkseed import seed_orders, stderr_progress
    from oms.config import Settings
    from oms.migrate import apply_all_migrations
    from oms.orders.models import Order

    sizes = sorted(int(s) for s in args.sizes.split(","))
    url = await scratch_database(args.database_url, args.db_name, reuse=args.reuse)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=url,
            secret_key=secrets.token_urlsafe(48),
            media_root=str(Path(tmp) / "media"),
            mail_dir=str(Path(tmp) / "maildir"),
            seed_demo=False,
            run_worker=False,
            rate_limits=False,
            public_url="http://bench.test",
            log_level="warning",
            # VACUUM ANALYZE of a million orders and unindexed searches outlast the 15 s default.
            db_command_timeout_seconds=900,
        )
        await apply_all_migrations(settings)
        await create_report_indexes(url)
        app = create_app(settings)
        results: dict[str, dict[int, str]] = {}
        plans: list[str] = []
        async with app.router.lifespan_context(app):
            email = f"bench-{secrets.token_hex(4)}@example.com"
            staff = await accounts.create_staff(email=email, password=secrets.token_urlsafe(16), superuser=True)
            token = await accounts.issue_token(Viewer(staff=staff), secret=settings.secret_key, ttl_seconds=36000)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=600) as http:
                bench = Bench(http, token, args.runs)
                for size in sizes:
                    have = await Order.all().count()
                    if have < size:
                        print(f"Seeding {size - have:,} orders to reach {size:,}", file=sys.stderr)
                        await seed_orders(size - have, plugins=app.state.plugins, settings=settings, seed=args.seed,
                                          progress=stderr_progress)  # fmt: skip
                    await connections.get("default").execute_script("VACUUM ANALYZE")
                    size = await Order.all().count()
                    if size not in sizes:
                        sizes = sorted({*sizes, size})
                    print(f"Measuring at {size:,} orders", file=sys.stderr)
                    plans.append(f"\n#### {size:,} orders\n")
                    await measure_orders(bench, size, results, plans)
                    await measure_reports(bench, size, results)
                    measure_export(url, size, results)
                    await measure_place(bench, size, results, args.place)
                    print(table(results, sizes), file=sys.stderr)
        report = table(results, [s for s in sizes if any(s in v for v in results.values())])
        report += "\n\nEXPLAIN ANALYZE (page and count statements of each orders query):\n" + "\n".join(plans)
        print(report)
        if args.output:
            Path(args.output).write_text(report + "\n")
    if not args.keep:
        conn = await asyncpg.connect(args.database_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
        finally:
            await conn.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("OMS_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the scratch database may be created",
    )
    parser.add_argument("--db-name", default="oms_bench_scale", help="the scratch database")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="order counts, comma-separated")
    parser.add_argument("--reuse", action="store_true", help="keep and grow the scratch database's orders")
    parser.add_argument("--keep", action="store_true", help="do not drop the scratch database at the end")
    parser.add_argument("--runs", type=int, default=20, help="samples per query")
    parser.add_argument("--place", type=int, default=200, help="placeOrder calls per size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", help="also write the Markdown report here")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
