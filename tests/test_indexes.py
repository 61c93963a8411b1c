"""The order history is indexed: what placement, payment, delivery and the order reads
look up never scans the history.

On PostgreSQL, a migrated database gets 20,000 past orders (tests/history.py: lines,
events, payments, deliveries, fulfillments, jobs), is ANALYZEd, and then one customer
order goes through the app: placed, marked paid, delivered by the worker's jobs, and read
back (``order(id)``, ``order(token)``, staff ``orders`` with filters, ``me.orders``).
Every statement the app sends is captured with its parameters and EXPLAINed on the same
database: none may read a history table with a sequential scan. A last step drops the
``order_line (order_id, position)`` index and shows that the same statements then do
scan ``order_line``: the history is large enough for the planner to care.

On both dialects: a database created by the initial migration, with data in it, keeps
its data through the upgrade that adds the indexes.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from oms import testing
from oms.config import Settings
from oms.migrate import apply_all_migrations, apply_migrations, layout, migration_files, temporary_database
from oms.testing import TEST_ADDRESS, make_product, run_jobs
from tests.history import HISTORY_TABLES, PastVariant, load_history

PAST_ORDERS = 20_000
PAST_CUSTOMERS = 500

# -- capturing what the app sends ----------------------------------------------------------


class Captured:
    """Statements asyncpg sent, with their arguments, labelled by the step that sent them."""

    def __init__(self) -> None:
        self.label = ""
        self.statements: list[tuple[str, str, tuple[Any, ...]]] = []

    @contextlib.contextmanager
    def installed(self) -> Iterator[Captured]:
        conn_class = asyncpg.connection.Connection
        originals = {name: getattr(conn_class, name) for name in ("execute", "_execute", "executemany")}
        captured = self

        async def execute(self, query, *args, **kwargs):
            if not args:  # with arguments it goes through _execute
                captured.statements.append((captured.label, query, ()))
            return await originals["execute"](self, query, *args, **kwargs)

        async def _execute(self, query, args, *rest, **kwargs):
            captured.statements.append((captured.label, query, tuple(args)))
            return await originals["_execute"](self, query, args, *rest, **kwargs)

        async def executemany(self, command, args, **kwargs):
            args = list(args)
            if args:
                captured.statements.append((captured.label, command, tuple(args[0])))
            return await originals["executemany"](self, command, args, **kwargs)

        conn_class.execute, conn_class._execute, conn_class.executemany = execute, _execute, executemany
        try:
            yield self
        finally:
            for name, original in originals.items():
                setattr(conn_class, name, original)


def _explainable(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    # One data statement (not BEGIN/SET/SAVEPOINT, not the pool's multi-statement reset).
    return head in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} and ";" not in sql.strip().rstrip(";")


def _seq_scans(plan: dict[str, Any]) -> list[str]:
    """Relations read with a Seq Scan anywhere in the plan tree (init plans and sub plans
    included)."""
    found = [plan["Relation Name"]] if plan.get("Node Type") == "Seq Scan" else []
    for child in plan.get("Plans", ()):
        found += _seq_scans(child)
    return found


async def _history_scans(conn: asyncpg.Connection, statements) -> list[str]:
    """For each statement that reads a history table with a sequential scan: a line naming
    the step, the tables and the statement."""
    problems = []
    for label, sql, args in statements:
        if not _explainable(sql):
            continue
        plan = json.loads(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args))[0]["Plan"]
        scanned = sorted(set(_seq_scans(plan)) & set(HISTORY_TABLES))
        # A count of a whole table (the unfiltered staff list's totalCount) reads it all
        # by definition, whatever the indexes.
        if scanned and " WHERE " in f" {' '.join(sql.split())} ".upper():
            problems.append(f"[{label}] Seq Scan on {', '.join(scanned)}: {' '.join(sql.split())[:300]}")
    return problems


# -- the app on a migrated database with a long history --------------------------------------


@pytest_asyncio.fixture
async def oms_app(oms_settings, oms_extra_plugins):
    """The app on a database built by the migrations (the indexes under test are theirs),
    not by ``generate_schemas``: the core's and each installed plugin's, as ``oms migrate``."""
    from oms.app import create_app

    await apply_all_migrations(oms_settings)
    app = create_app(oms_settings, extra_plugins=oms_extra_plugins)
    async with app.router.lifespan_context(app):
        yield app


PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number } orderToken userErrors { code message } } }"""
PAY = """mutation($id: ID!) { markOrderPaid(id: $id) { order { status } userErrors { code message } } }"""
ORDER_FIELDS = """id number status customer { email } lines { sku quantity } events { type }
  payments { amount { amount } } fulfillments { productType lines { quantity } }"""
BY_ID = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
BY_TOKEN = f"query($token: String!) {{ order(token: $token) {{ {ORDER_FIELDS} }} }}"
LIST = f"""query($filter: OrderFilter) {{ orders(first: 20, filter: $filter) {{ totalCount
  edges {{ node {{ {ORDER_FIELDS} }} }} }} }}"""
MINE = f"query {{ me {{ orders(first: 20) {{ totalCount edges {{ node {{ {ORDER_FIELDS} }} }} }} }} }}"


async def _load(settings: Settings) -> list[int]:
    """20,000 past orders on the app's database; the extra customers' ids."""
    conn = await asyncpg.connect(settings.database_url.replace("postgres://", "postgresql://", 1))
    try:
        customers = [r["id"] for r in await conn.fetch(
            "INSERT INTO customer (email, password_hash, created_at)"
            " SELECT 'past' || g || '@example.com', 'x', now() FROM generate_series(1, $1) g RETURNING id",
            PAST_CUSTOMERS,
        )]
        rows = await conn.fetch(
            "SELECT v.id, v.sku, p.product_type, v.price, s.warehouse_id FROM variant v"
            " JOIN product p ON p.id = v.product_id LEFT JOIN stock s ON s.variant_id = v.id ORDER BY v.id"
        )
        variants = [PastVariant(r["id"], r["sku"], r["product_type"], r["price"], r["warehouse_id"]) for r in rows]
        known = await conn.fetch("SELECT id FROM customer WHERE email = 'alice@example.com'")
        await load_history(conn, PAST_ORDERS, variants=variants,
                           customer_ids=customers + [r["id"] for r in known])
        return customers
    finally:
        await conn.close()


@pytest.mark.postgres_only
@pytest.mark.skipif(testing.test_database_url() is None, reason="EXPLAIN plans of PostgreSQL")
async def test_the_order_flow_and_reads_use_indexes_on_a_long_history(
    oms_app, oms_graphql, oms_accounts, oms_settings
) -> None:
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=1_000)
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
    await _load(oms_settings)
    customer, staff = oms_graphql.as_(oms_accounts.customer), oms_graphql.as_(oms_accounts.staff)
    captured = Captured()

    with captured.installed():
        captured.label = "placeOrder"
        placed = (await customer.query(PLACE, {"input": {
            "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "EBOOK", "quantity": 1}],
            "shippingAddress": TEST_ADDRESS, "shippingMethod": "standard", "idempotencyKey": "explain-1",
        }}))["placeOrder"]
        assert placed["userErrors"] == [], placed
        order_id = placed["order"]["id"]
        captured.label = "markOrderPaid"
        paid = (await staff.query(PAY, {"id": order_id}))["markOrderPaid"]
        assert paid["userErrors"] == [], paid
        captured.label = "delivery (worker jobs)"
        assert await run_jobs(oms_app) >= 2  # at least the delivery of each product type
        captured.label = "order(id)"
        order = (await customer.query(BY_ID, {"id": order_id}))["order"]
        assert [f["productType"] for f in order["fulfillments"]] and order["lines"], order
        captured.label = "order(token)"
        assert (await oms_graphql.as_(None).query(BY_TOKEN, {"token": placed["orderToken"]}))["order"]
        for label, filter_ in (
            ("orders, no filter", None),
            ("orders by status", {"status": ["PROCESSING", "PARTIALLY_FULFILLED"]}),
            ("orders by email", {"email": "history42@example.com"}),
            ("orders created in the last hour", {"createdAfter": _an_hour_ago()}),
        ):
            captured.label = label
            found = (await staff.query(LIST, {"filter": filter_}))["orders"]
            assert found["totalCount"] >= 1 and found["edges"], (label, found["totalCount"])
        captured.label = "me.orders"
        mine = (await customer.query(MINE))["me"]["orders"]
        assert mine["totalCount"] > 1  # the new order and alice's share of the history

    labels = {label for label, sql, _ in captured.statements if _explainable(sql)}
    assert {"placeOrder", "markOrderPaid", "delivery (worker jobs)", "order(id)", "order(token)",
            "me.orders"} <= labels, labels

    conn = await asyncpg.connect(oms_settings.database_url.replace("postgres://", "postgresql://", 1))
    try:
        problems = await _history_scans(conn, captured.statements)
        assert problems == [], "statements that scan the order history:\n" + "\n".join(problems)

        # The check can fail: without the order lines' indexes holding order_id (the model's
        # (order_id, position), the sales report's covering one, and the search's (sku,
        # order_id), which the planner would otherwise read whole), the same statements scan
        # order_line (payment and delivery each read an order's lines).
        rows = await conn.fetch("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'order_line'")
        with_order = [row["indexname"] for row in rows if "order_id" in row["indexdef"]]
        assert any('(order_id, "position")' in row["indexdef"] for row in rows), rows
        for name in with_order:
            await conn.execute(f'DROP INDEX "{name}"')
        without = await _history_scans(conn, captured.statements)
        scanned_steps = {line.split("]")[0][1:] for line in without if "order_line" in line.split(":")[0]}
        # (placeOrder no longer reads the lines it inserted back: it has nothing to scan.)
        assert {"markOrderPaid", "delivery (worker jobs)"} <= scanned_steps, without
    finally:
        await conn.close()


def _an_hour_ago() -> str:
    import datetime as dt

    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()


# -- upgrading a database made by the initial migration ---------------------------------------

_DIALECT = "postgres" if testing.test_database_url() else "sqlite"
_SEED = [
    "INSERT INTO product (name, slug, product_type, created_at, updated_at)"
    " VALUES ('Mug', 'mug', 'physical', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
    "INSERT INTO variant (product_id, sku, name, price, currency, attributes, created_at)"
    " VALUES (1, 'MUG', 'Mug', '12.50', 'USD', '{}', '2026-01-01T00:00:00+00:00')",
    'INSERT INTO "order" (token, email, status, payment_status, currency, subtotal, shipping_total,'
    " total, refunded_total, needs_review, idempotency_key, cart_fingerprint, created_at, updated_at)"
    " VALUES ('tok', 'a@example.com', 'PROCESSING', 'PAID', 'USD', '25.00', '0', '25.00', '0', false,"
    " 'key', 'fp', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
    "INSERT INTO order_line (order_id, position, variant_id, sku, name, product_type, quantity,"
    " quantity_allocated, quantity_fulfilled, quantity_canceled, quantity_returned, unit_price,"
    " currency, status) VALUES (1, 0, 1, 'MUG', 'Mug', 'physical', 2, 0, 0, 0, 0, '12.50', 'USD', 'PENDING')",
]
_READ = "SELECT o.email, l.sku, l.quantity, v.sku FROM order_line l JOIN \"order\" o ON o.id = l.order_id" \
        " JOIN variant v ON v.id = l.variant_id"


async def _run(url: str, statements: list[str]) -> list[tuple]:
    if _DIALECT == "postgres":
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            rows: list[tuple] = []
            for sql in statements:
                rows = [tuple(r) for r in await conn.fetch(sql)]
            return rows
        finally:
            await conn.close()
    con = sqlite3.connect(url[len("sqlite://"):])
    try:
        rows = []
        for sql in statements:
            rows = list(con.execute(sql))
        con.commit()
        return rows
    finally:
        con.close()


async def _indexed_columns(url: str, table: str) -> set[tuple[str, ...]]:
    if _DIALECT == "postgres":
        rows = await _run(url, [
            "SELECT array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, i)"
            " JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.i)"
            f" FROM pg_index ix WHERE ix.indrelid = '\"{table}\"'::regclass"
        ])
        return {tuple(r[0]) for r in rows}
    names = await _run(url, [f"SELECT name FROM pragma_index_list('{table}')"])
    found = set()
    for (name,) in names:
        found.add(tuple(r[0] for r in await _run(url, [f"SELECT name FROM pragma_index_info('{name}')"])))
    return found


async def test_upgrading_a_database_of_the_initial_migration_keeps_its_data(tmp_path, monkeypatch) -> None:
    initial = migration_files(_DIALECT)[0]
    assert initial.name.startswith("0_"), initial
    root = tmp_path / "migrations"
    folder = root / _DIALECT / "models"
    folder.mkdir(parents=True)
    shutil.copy(initial, folder / initial.name)

    async with temporary_database(_DIALECT, testing.test_database_url()) as url:
        settings = Settings(database_url=url)
        monkeypatch.setattr(layout, "MIGRATIONS_ROOT", root)
        assert await apply_migrations(settings) == [initial.name]
        before = await _run(url, [*_SEED, _READ])
        assert before == [("a@example.com", "MUG", 2, "MUG")]
        assert ("order_id", "position") not in await _indexed_columns(url, "order_line")

        monkeypatch.undo()  # the real folder: the index migration is pending
        applied = await apply_migrations(settings)
        assert applied == [p.name for p in migration_files(_DIALECT)[1:]] and applied, applied
        assert await _run(url, [_READ]) == before
        assert ("order_id", "position") in await _indexed_columns(url, "order_line")
