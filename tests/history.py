"""Bulk-load a long order history into a migrated PostgreSQL database, fast, in SQL.

Shared by ``tests/test_indexes.py`` (the planner must see enough history to prefer a
scan when an index is missing) and ``bench/history.py`` (paid orders/s with 100,000 past
orders). Each past order gets what a paid, delivered order leaves behind: its lines, three
timeline events, a payment, a delivery row, a fulfillment with its lines and two finished
outbox jobs; one in ten belongs to one of the given customers, one in twenty is canceled
and one in twenty expired. Everything is written with ``INSERT ... SELECT
generate_series(...)`` (100,000 orders take a few seconds), then ANALYZEd::

    conn = await asyncpg.connect(dsn)
    await load_history(conn, 20_000, variants=[PastVariant(id, sku, "physical", "12.50", wid)],
                       customer_ids=[alice_id])

A column that a newer model makes NOT NULL without a database default is filled with a
zero value of its type, so the loader keeps working while the models grow.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal

import asyncpg

ORDER_NUMBER_OFFSET = 1000  # oms.orders.services.ORDER_NUMBER_OFFSET
EVENTS = ("order.placed", "order.paid", "order.completed")
# Zero values of a NOT NULL column a statement below does not name (a newer model's).
_ZERO = {
    "boolean": "false", "smallint": "0", "integer": "0", "bigint": "0", "numeric": "0",
    "character varying": "''", "text": "''", "jsonb": "'{}'::jsonb", "json": "'{}'::json",
    "timestamp with time zone": "now()", "timestamp without time zone": "now()",
}
HISTORY_TABLES = (
    "order", "order_line", "order_event", "payment", "delivery", "fulfillment",
    "fulfillment_line", "job",
)


@dataclasses.dataclass(frozen=True)
class PastVariant:
    """A variant the past orders bought (it must exist: the lines reference it)."""

    id: int
    sku: str
    product_type: str
    price: Decimal | str
    warehouse_id: int | None = None


async def _next_id(conn: asyncpg.Connection, table: str) -> int:
    return await conn.fetchval(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')


async def _insert(conn: asyncpg.Connection, table: str, values: dict[str, str], source: str) -> None:
    """``INSERT INTO table (columns) SELECT expressions FROM source``, completed with zero
    values for required columns ``values`` does not name."""
    rows = await conn.fetch(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = $1 AND is_nullable = 'NO' AND column_default IS NULL",
        table,
    )
    missing = {r["column_name"]: r["data_type"] for r in rows if r["column_name"] not in values}
    unknown = {c: t for c, t in missing.items() if t not in _ZERO}
    if unknown:
        raise RuntimeError(f"history: no zero value for the required columns of {table}: {unknown}")
    columns = {**values, **{c: _ZERO[t] for c, t in missing.items()}}
    names = ", ".join(f'"{c}"' for c in columns)
    await conn.execute(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(columns.values())} FROM {source}')


async def _catch_up_sequence(conn: asyncpg.Connection, table: str) -> None:
    await conn.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
        f' (SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
    )


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an int, got {value!r}")
    return value


async def load_history(
    conn: asyncpg.Connection,
    orders: int,
    *,
    variants: Sequence[PastVariant],
    customer_ids: Sequence[int] = (),
    lines_per_order: int = 2,
    currency: str = "USD",
    analyze: bool = True,
) -> None:
    """Add ``orders`` past orders (older than any order placed afterwards) to the database
    of ``conn``; see the module docstring. In one transaction; then ANALYZE."""
    n, per = _int(orders), _int(lines_per_order)
    if n <= 0 or per <= 0 or not variants:
        raise ValueError("orders, lines_per_order and variants must be positive / non-empty")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValueError(f"currency {currency!r}")
    kinds = len(variants)
    variant_rows = ", ".join(
        f"({k}, {_int(v.id)}, {_sql_text(v.sku)}, {_sql_text(v.product_type)}, {Decimal(v.price)},"
        f" {_int(v.warehouse_id) if v.warehouse_id is not None else 'NULL::int'})"
        for k, v in enumerate(variants)
    )
    customers = (
        f"(ARRAY[{', '.join(str(_int(c)) for c in customer_ids)}])[1 + (g / 10) % {len(customer_ids)}]"
        if customer_ids else "NULL::int"
    )
    async with conn.transaction():
        base = {t: await _next_id(conn, t) for t in ("order", "order_line", "fulfillment")}
        o, ln, f = base["order"], base["order_line"], base["fulfillment"]
        # g: 1..n, oldest first; kind: 0 canceled, 1 expired, else completed and delivered.
        orders_src = (
            f"generate_series(1, {n}) g CROSS JOIN LATERAL (SELECT now() - interval '1 day'"
            f" - ({n} - g) * interval '1 minute' AS t, g % 20 AS kind) x"
        )
        total = f"(SELECT SUM(price) FROM (VALUES {variant_rows}) v(k, id, sku, pt, price, wh)"
        total += f" WHERE k IN (SELECT (g + p) % {kinds} FROM generate_series(0, {per - 1}) p))"
        await _insert(conn, "order", {
            "id": f"{o} + g",
            "number": f"({ORDER_NUMBER_OFFSET} + {o} + g)::text",
            "token": f"md5('token' || ({o} + g)) || md5('t2' || ({o} + g))",
            "email": "'history' || (g % 5000) || '@example.com'",
            "customer_id": f"CASE WHEN g % 10 = 0 THEN {customers} END",
            "status": "CASE kind WHEN 0 THEN 'CANCELED' WHEN 1 THEN 'EXPIRED' ELSE 'COMPLETED' END",
            "payment_status": "CASE kind WHEN 0 THEN 'VOIDED' WHEN 1 THEN 'PENDING' ELSE 'PAID' END",
            "currency": f"'{currency}'",
            "subtotal": f"COALESCE({total}, 0)",
            "shipping_total": "0",
            "total": f"COALESCE({total}, 0)",
            "refunded_total": "0",
            "shipping_address": """'{"name": "Ada Lovelace", "line1": "12 Analytical St", "city": "London",
                "postal_code": "N1 9GU", "country": "GB"}'::jsonb""",
            "needs_review": "false",
            "idempotency_key": f"md5('history-key-' || ({o} + g))",
            "cart_fingerprint": "md5(g::text)",
            "created_at": "t",
            "updated_at": "t + interval '2 minutes'",
            "paid_at": "CASE WHEN kind > 1 THEN t + interval '1 minute' END",
            "completed_at": "CASE WHEN kind > 1 THEN t + interval '2 minutes' END",
            "canceled_at": "CASE WHEN kind = 0 THEN t + interval '1 minute' END",
        }, orders_src)
        await _insert(conn, "order_line", {
            "id": f"{ln} + (g - 1) * {per} + p + 1",
            "order_id": f"{o} + g",
            "position": "p",
            "variant_id": "v.id",
            "sku": "v.sku",
            "name": "'Past ' || v.sku",
            "product_type": "v.pt",
            "quantity": "1",
            "quantity_allocated": "CASE WHEN kind > 1 THEN 1 ELSE 0 END",
            "quantity_fulfilled": "CASE WHEN kind > 1 THEN 1 ELSE 0 END",
            "quantity_canceled": "CASE WHEN kind > 1 THEN 0 ELSE 1 END",
            "quantity_returned": "0",
            "unit_price": "v.price",
            "currency": f"'{currency}'",
            "status": "CASE WHEN kind > 1 THEN 'DELIVERED' ELSE 'CANCELED' END",
            "warehouse_id": "v.wh",
        }, f"{orders_src} CROSS JOIN generate_series(0, {per - 1}) p"
           f" JOIN (VALUES {variant_rows}) v(k, id, sku, pt, price, wh) ON v.k = (g + p) % {kinds}")
        await _insert(conn, "order_event", {
            "order_id": f"{o} + g",
            "type": f"(ARRAY{list(EVENTS)!r})[e + 1]",
            "message": "'History event ' || e",
            "actor": "'system'",
            "data": "'{}'::jsonb",
            "created_at": "t + e * interval '1 minute'",
        }, f"{orders_src} CROSS JOIN generate_series(0, {len(EVENTS) - 1}) e")
        await _insert(conn, "payment", {
            "order_id": f"{o} + g",
            "gateway": "'manual'",
            "amount": "0",
            "currency": f"'{currency}'",
            "state": "CASE WHEN kind > 1 THEN 'SUCCEEDED' ELSE 'CANCELED' END",
            "off_session": "false",
            "created_at": "t",
            "updated_at": "t + interval '1 minute'",
        }, orders_src)
        delivered = f"{orders_src} CROSS JOIN (SELECT DISTINCT pt FROM (VALUES {variant_rows})"
        delivered += " v(k, id, sku, pt, price, wh)) types WHERE kind > 1"
        await _insert(conn, "delivery", {
            "order_id": f"{o} + g",
            "product_type": "types.pt",
            "status": "'DONE'",
            "created_at": "t + interval '1 minute'",
            "completed_at": "t + interval '2 minutes'",
        }, delivered)
        await _insert(conn, "fulfillment", {
            "id": f"{f} + g",
            "order_id": f"{o} + g",
            "product_type": f"{_sql_text(variants[0].product_type)}",
            "status": "'DELIVERED'",
            "created_at": "t + interval '1 minute'",
            "updated_at": "t + interval '2 minutes'",
            "delivered_at": "t + interval '2 minutes'",
        }, f"{orders_src} WHERE kind > 1")
        await _insert(conn, "fulfillment_line", {
            "fulfillment_id": f"{f} + g",
            "order_line_id": f"{ln} + (g - 1) * {per} + p + 1",
            "quantity": "1",
        }, f"{orders_src} CROSS JOIN generate_series(0, {per - 1}) p WHERE kind > 1")
        await _insert(conn, "job", {
            "kind": "(ARRAY['order.event', 'fulfillment.deliver'])[j + 1]",
            "payload": f"jsonb_build_object('order_id', {o} + g)",
            "status": "'DONE'",
            "attempts": "1",
            "max_attempts": "8",
            "run_at": "t",
            "created_at": "t",
            "updated_at": "t + interval '1 minute'",
            "finished_at": "t + interval '1 minute'",
        }, f"{orders_src} CROSS JOIN generate_series(0, 1) j")
        for table in HISTORY_TABLES:
            await _catch_up_sequence(conn, table)
    if analyze:
        await conn.execute("ANALYZE")


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
