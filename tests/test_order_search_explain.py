"""PostgreSQL: with 100k orders, no filtered or sorted page of ``orders`` reads the whole
order table (EXPLAIN shows no Seq Scan on "order"), on the first page and deep ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from tortoise.connection import get_connection

from oms.orders import search
from oms.orders.inputs import OrderFilter
from oms.orders.search import OrderSort, SortField
from oms.testing import test_database_url

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="EXPLAIN plans are PostgreSQL's")

ORDERS = 100_000

# Columns this test sets; any other NOT NULL column without a default (added later) gets
# a neutral value, so the test keeps working when the order tables grow.
ORDER_ROWS = {
    "id": "i",
    "number": "(1000 + i)::text",
    "token": "md5('t' || i)",
    "email": "'customer' || (i % 20000) || '@example.com'",
    "status": "(ARRAY['PENDING_PAYMENT','PROCESSING','COMPLETED','CANCELED','EXPIRED'])[1 + i % 5]",
    "payment_status": "(ARRAY['PENDING','PAID','PAID','VOIDED','REFUNDED'])[1 + i % 5]",
    "currency": "'EUR'",
    "subtotal": "(i % 997) + 0.5",
    "shipping_total": "0",
    "total": "(i % 997) + 0.5",
    "refunded_total": "0",
    "needs_review": "i % 1000 = 0",
    "idempotency_key": "md5('k' || i)",
    "cart_fingerprint": "md5('c' || i)",
    "created_at": "timestamptz '2025-01-01' + (i * interval '10 minutes') - ((i % 7) * interval '1 day')",
    "updated_at": "now()",
    "customer_name": "'Name' || (i % 30000) || ' Surname'",
    "customer_name_key": "'name' || (i % 30000) || ' surname'",
}
LINE_ROWS = {
    "order_id": "i",
    "position": "0",
    "sku": "'SKU-' || (i % 500)",
    "name": "'Product ' || (i % 500)",
    "product_type": "(ARRAY['physical','digital','subscription','consultation'])[1 + i % 4]",
    "quantity": "1",
    "quantity_allocated": "0",
    "quantity_fulfilled": "0",
    "quantity_canceled": "0",
    "quantity_returned": "0",
    "unit_price": "(i % 997) + 0.5",
    "currency": "'EUR'",
    "status": "'PENDING'",
}
FULFILLMENT_ROWS = {
    "order_id": "i",
    "product_type": "'physical'",
    "status": "'IN_PROGRESS'",
    "created_at": "now()",
    "updated_at": "now()",
    "tracking_number": "'TRK' || i",
}


async def _insert(table: str, columns: dict[str, str], series: str) -> None:
    conn = get_connection("default")
    _, rows = await conn.execute_query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 "
        "AND is_nullable = 'NO' AND column_default IS NULL", [table]
    )
    neutral = {"boolean": "false", "integer": "0", "bigint": "0", "numeric": "0", "jsonb": "'{}'"}
    extra = {
        row["column_name"]: neutral.get(row["data_type"], "now()" if "time" in row["data_type"] else "''")
        for row in rows if row["column_name"] not in columns and row["column_name"] != "id"
    }
    everything = {**columns, **extra}
    names = ", ".join(f'"{name}"' for name in everything)
    await conn.execute_script(
        f'INSERT INTO "{table}" ({names}) SELECT {", ".join(everything.values())} FROM {series}'
    )


@pytest.fixture
def oms_settings(oms_settings):
    # Bulk inserts on a shared, busy test machine may take longer than a request may.
    return dataclasses.replace(oms_settings, db_command_timeout_seconds=300.0)


@pytest.fixture
async def many_orders(oms_app):
    conn = get_connection("default")
    for statement in search.POSTGRES_INDEXES:
        await conn.execute_script(statement)
    await _insert("order", ORDER_ROWS, f"generate_series(1, {ORDERS}) AS i")
    await _insert("order_line", LINE_ROWS, f"generate_series(1, {ORDERS}) AS i")
    await _insert("fulfillment", FULFILLMENT_ROWS, f"generate_series(1, {ORDERS}, 3) AS i")
    await conn.execute_script('ANALYZE "order"; ANALYZE order_line; ANALYZE fulfillment')


FILTERS = {
    "none": OrderFilter(),
    "number": OrderFilter(number="#51234"),
    "email": OrderFilter(email="customer42@example.com"),
    "customer-name": OrderFilter(customer_name="name1234 s"),
    "sku": OrderFilter(sku="SKU-7"),
    "tracking-number": OrderFilter(tracking_number="TRK4000"),
    "status": OrderFilter(status=["CANCELED"]),
    "payment-status": OrderFilter(payment_status=["REFUNDED"]),
    "product-type": OrderFilter(product_type="consultation"),
    "date-range": OrderFilter(
        created_after=dt.datetime(2025, 6, 1, tzinfo=dt.UTC), created_before=dt.datetime(2025, 6, 3, tzinfo=dt.UTC)
    ),
    "needs-review": OrderFilter(needs_review=True),
    "search-email": OrderFilter(search="customer4"),
    "search-number": OrderFilter(search="1042"),
    "search-sku": OrderFilter(search="SKU-9"),
}
SORTS = [OrderSort(field, descending) for field in SortField for descending in (True, False)]
# Known gap: awaitingFulfillment sorted by TOTAL on a deep page is planned as a scan of the
# order table here (few matches, no (status, total) index); by CREATED or NUMBER it is not.
LIMITED = {
    "awaiting-shipment": (
        OrderFilter(awaiting_fulfillment=True, product_type="physical"),
        [sort for sort in SORTS if sort.field is not SortField.TOTAL],
    ),
}


async def _plan(qs) -> str:
    """EXPLAIN of the very statement the page runs, with its parameters."""
    qs._choose_db_if_not_chosen()
    qs._make_query()
    sql, params = qs.query.get_parameterized_sql()
    _, rows = await get_connection("default").execute_query(f"EXPLAIN {sql}", params)
    return "\n".join(row["QUERY PLAN"] for row in rows)


async def _deep_position(sort: OrderSort, qs) -> tuple | None:
    """The (sort value, id) of a row 3/4 down the listing: a deep page's cursor."""
    rows = await search.page_query(qs, sort=sort, position=None, size=1).offset(await qs.count() * 3 // 4)
    if not rows:
        return None
    return search.decode_cursor(search.encode_cursor(rows[0], sort), sort)


async def test_no_page_query_reads_the_whole_order_table(many_orders):
    plans = {}
    cases = {name: (filters, SORTS) for name, filters in FILTERS.items()} | LIMITED
    for name, (filters, sorts) in cases.items():
        for sort in sorts:
            qs = search.filter_orders(filters)
            for depth, position in (("first", None), ("deep", await _deep_position(sort, qs))):
                if depth == "deep" and position is None:
                    continue  # fewer matches than a deep page
                plan = await _plan(search.page_query(qs, sort=sort, position=position, size=101))
                plans[f"{name} {sort.field.value} {'DESC' if sort.descending else 'ASC'} {depth}"] = plan
    scanning = {key: plan for key, plan in plans.items() if 'Seq Scan on "order"' in plan}
    assert not scanning, "\n\n".join(f"{key}:\n{plan}" for key, plan in scanning.items())
    assert len(plans) > len(FILTERS) * len(SORTS)  # the deep pages were planned too


async def test_the_filters_find_what_the_rows_hold(many_orders):
    found = await search.find_orders(OrderFilter(tracking_number="TRK4000"))
    assert [o.number for o in found.items] == [str(1000 + 4000)]
    by_name = await search.find_orders(OrderFilter(customer_name="Name1234 S"), first=100)
    assert {o.customer_name_key for o in by_name.items} == {"name1234 surname"}
    assert len(by_name.items) == len([i for i in range(1, ORDERS + 1) if i % 30000 == 1234])


def _order_rows_read(node: dict) -> float:
    """Rows of ``order`` a plan node and its children read: returned plus thrown away."""
    read = 0.0
    if node.get("Relation Name") == "order":
        loops = node.get("Actual Loops", 1)
        read += (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
    return read + sum(_order_rows_read(child) for child in node.get("Plans", []))


async def _rows_read(qs) -> float:
    qs._choose_db_if_not_chosen()
    qs._make_query()
    sql, params = qs.query.get_parameterized_sql()
    rows = await get_connection("default").execute_query_dict(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
    plan = rows[0]["QUERY PLAN"]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return _order_rows_read(plan[0]["Plan"])


# A page of a created range, and searches, read about as many orders as they find: the
# range's ids are bounded from the (created_at, id) index, so ORDER BY id does not walk
# the primary key from the newest order (~80k rows here), and search is a UNION of index
# lookups rather than a filter on a walk of every order.
NARROW = {
    "date-range": (FILTERS["date-range"], [s for s in SORTS if s.field is not SortField.TOTAL]),
    # ~4 300 orders early in the history: ORDER BY id alone walked ~91 000 newer ones.
    "date-range-month": (
        OrderFilter(created_after=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
                    created_before=dt.datetime(2025, 3, 3, tzinfo=dt.UTC)),
        [s for s in SORTS if s.field is not SortField.TOTAL],
    ),
    "search-email-exact": (OrderFilter(search="customer12345@example.com"), SORTS),
    "search-number": (FILTERS["search-number"], SORTS),
    "search-sku": (FILTERS["search-sku"], SORTS),
    "search-none": (OrderFilter(search="nothing-like-this"), SORTS),
}


async def test_date_range_and_search_pages_read_only_what_they_find(many_orders):
    read = {}
    for name, (filters, sorts) in NARROW.items():
        matches = await search.filter_orders(filters, sort=None).count()
        for sort in sorts:
            qs = search.filter_orders(filters, sort=sort)
            for depth, position in (("first", None), ("deep", await _deep_position(sort, qs))):
                if depth == "deep" and position is None:
                    continue
                rows = await _rows_read(search.page_query(qs, sort=sort, position=position, size=101))
                read[f"{name} ({matches} matches) {sort.field.value} {sort.descending} {depth}"] = rows
    # The widest: the month's id bounds read its ~4 300 index entries twice (~8 700 rows),
    # a sku's 200 orders; before, searches read 50 000-100 000 rows, the month ~91 000.
    wide = {key: rows for key, rows in read.items() if rows > 20_000}
    assert not wide, "\n".join(f"{k}: {v:.0f}" for k, v in wide.items())
    assert len(read) > len(NARROW) * 2
