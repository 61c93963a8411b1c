"""The sales report: orders, units, gross, refunds and net per local day, week or month,
per product type or per product, by SQL aggregates.

What counts (docs/reports.md says the same):
- an order counts when it was paid (``paid_at``) in [start, end), in the shop's currency,
  whatever happened to it after (a paid order canceled later is refunded: see refunds);
- ``gross`` is what its lines sold for (:func:`oms.reports.sql.line_amount_cents`) plus its
  shipping charge; ``unitsSold`` the units ordered;
- ``refunds`` are the order's succeeded refunds (``Order.refunded_total``), counted in the
  period the order was paid in, whenever they happened (the report of a past period
  changes as its orders are refunded: it says what that period's sales finally brought);
- ``net = gross - refunds``;
- ``tax_added`` / ``tax_included``: the tax inside ``gross`` (the lines' ``tax`` and the
  orders' ``shipping_tax``) that was charged on top of prices excluding tax / that prices
  including tax contained; ``tax`` is both, so ``gross - tax`` is the sales net of tax.
Time rows partition the range: they sum exactly to the totals. Product rows hold their
lines' amounts and a share of each order's refunds in proportion to the line's amount
(rounded down to the cent); the ``(shipping)`` row holds shipping charges and what is left
of the refunds and the shipping tax, so the rows' gross, refunds, tax and net also sum exactly to the totals (their
``orders`` do not: an order with two products counts in both rows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from oms.errors import DomainError, ErrorCode
from oms.reports import sql
from oms.reports.periods import Bucket, GroupBy, buckets

# The longest range a report covers: three years by day is ~1100 rows.
MAX_REPORT_DAYS = 1100
SHIPPING_KEY = "(shipping)"


ZERO = Decimal("0.00")


@dataclasses.dataclass(frozen=True)
class SalesRow:
    key: str
    orders: int
    units_sold: int
    gross: Decimal
    refunds: Decimal
    # The tax inside ``gross`` (lines' ``tax`` and orders' ``shipping_tax``): charged on top of
    # prices that exclude tax, or contained in prices that include it.
    tax_added: Decimal = ZERO
    tax_included: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunds

    @property
    def tax(self) -> Decimal:
        return self.tax_added + self.tax_included


@dataclasses.dataclass(frozen=True)
class SalesReport:
    currency: str
    rows: list[SalesRow]
    totals: SalesRow


def _as_utc(moment: dt.datetime, field: str) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise DomainError.of(ErrorCode.INVALID, "This date is out of range.", [field]) from None


def check_range(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC, or INVALID when it is empty or longer than MAX_REPORT_DAYS."""
    start, end = _as_utc(start, "from"), _as_utc(end, "to")
    if end <= start:
        raise DomainError.of(ErrorCode.INVALID, "`to` must be after `from`.", ["to"])
    if end - start > dt.timedelta(days=MAX_REPORT_DAYS):
        raise DomainError.of(ErrorCode.INVALID, f"A report covers at most {MAX_REPORT_DAYS} days.", ["to"])
    return start, end


# The sums of a statement over orders ("o") and over their lines ("l"), in integer cents.
def _order_sums(dialect: str) -> str:
    def total(expression: str) -> str:
        return sql.sum_cents(expression, dialect)

    return (
        f"COUNT(o.id) AS orders, {total(sql.shipping_amount(dialect))} AS shipping, "
        f"{total(sql.unit('o.refunded_total', dialect))} AS refunds, "
        f"{total(sql.shipping_tax(dialect, included=False))} AS shipping_tax_added, "
        f"{total(sql.shipping_tax(dialect, included=True))} AS shipping_tax_included"
    )


_LINE_TERMS = ("units", "gross", "tax_added", "tax_included")


def _line_terms(dialect: str) -> tuple[str, ...]:
    return (
        "l.quantity",
        sql.line_amount(dialect),
        sql.line_tax(dialect, included=False),
        sql.line_tax(dialect, included=True),
    )


def _line_sums(dialect: str) -> str:
    quantity, *money = _line_terms(dialect)
    sums = [f"SUM({quantity}) AS units"] + [
        f"{sql.sum_cents(m, dialect)} AS {n}" for m, n in zip(money, _LINE_TERMS[1:], strict=True)
    ]
    return ", ".join(sums)


LINES = "JOIN order_line l ON l.order_id = o.id"
# A statement's text and parameters from its sums and its line join ("" for order sums).
Statement = Callable[[str, str], tuple[str, sql.Params]]


def _paid_in_range(start: dt.datetime, end: dt.datetime, currency: str, periods: Sequence[Bucket] = ()) -> Statement:
    """Orders paid in [start, end) (one index range on paid_at), one row per period keyed
    by its number (1, 2, ...: PostgreSQL's ``width_bucket`` of paid_at among the periods'
    starts, a binary search with no time-zone arithmetic per row), or one row keyed TOTAL
    when ``periods`` is empty."""

    def build(sums: str, lines: str) -> tuple[str, sql.Params]:
        params = sql.Params(sql.dialect())
        key = "'TOTAL'"
        if periods:
            key = f"width_bucket(o.paid_at, CAST({params.add([p.start for p in periods])} AS TIMESTAMPTZ[]))"
        where = (
            f"o.paid_at >= {params.moment(start)} AND o.paid_at < {params.moment(end)} "
            f"AND o.currency = {params.add(currency)}"
        )
        return f'SELECT {key} AS k, {sums} FROM "order" o {lines} WHERE {where} GROUP BY 1', params

    return build


def _joined_buckets(periods: Sequence[Bucket], currency: str) -> Statement:
    """Orders paid in each of ``periods`` (a VALUES list of UTC intervals joined on paid_at),
    for a database that knows no time zones (SQLite)."""

    def build(sums: str, lines: str) -> tuple[str, sql.Params]:
        params = sql.Params(sql.dialect())
        values = ", ".join(f"({params.add(b.key)}, {params.moment(b.start)}, {params.moment(b.end)})" for b in periods)
        join = f'JOIN "order" o ON o.paid_at >= b.s AND o.paid_at < b.e AND o.currency = {params.add(currency)}'
        select = f"SELECT b.k AS k, {sums} FROM b {join} {lines} GROUP BY b.k"
        return f"WITH b(k, s, e) AS (VALUES {values}) {select}", params

    return build


async def _sums(statement: Statement, key_of: Callable[[Any], str] = str) -> dict[str, SalesRow]:
    """The rows of ``statement`` by key, from two statements: order-level money (shipping,
    refunds, shipping tax) and line-level money (units, amounts, tax)."""
    dialect = sql.dialect()
    if dialect == "postgres":
        orders, lines = await _postgres_sums(statement, key_of)
    else:
        orders = {key_of(r["k"]): r for r in await sql.fetch(*statement(_order_sums(dialect), ""))}
        lines = {key_of(r["k"]): r for r in await sql.fetch(*statement(_line_sums(dialect), LINES))}
    rows = {}
    for key in orders.keys() | lines.keys():
        o, line = orders.get(key, {}), lines.get(key, {})
        rows[key] = SalesRow(
            key=key,
            orders=int(o.get("orders") or 0),
            units_sold=int(line.get("units") or 0),
            gross=sql.money(line.get("gross")) + sql.money(o.get("shipping")),
            refunds=sql.money(o.get("refunds")),
            tax_added=sql.money(line.get("tax_added")) + sql.money(o.get("shipping_tax_added")),
            tax_included=sql.money(line.get("tax_included")) + sql.money(o.get("shipping_tax_included")),
        )
    return rows


# PostgreSQL: a merge join of the paid orders (sorted by id) with the covering index
# order_line (order_id) INCLUDE (...) of REPORT_INDEXES, read index-only between the
# lowest and the highest of their ids. The planner prefers hashing a year of orders and
# reading every line (8 s here at 1M) or probing the index once per order (1.2 s of CPU);
# with the merge join both statements took 0.65 s of CPU. Exact whatever the ids: the bounds only narrow the scan.
# No JIT either: compiling took longer (0.4-1.5 s) than running. One snapshot for both.
SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
NO_JIT = "SET LOCAL jit = off"
MERGE_JOIN = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_nestloop = off"


async def _postgres_sums(
    statement: Statement, key_of: Callable[[Any], str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    dialect = "postgres"
    async with in_transaction("default") as connection:
        await connection.execute_script(f"{SNAPSHOT}; {NO_JIT}")
        text, params = statement(f"{_order_sums(dialect)}, MIN(o.id) AS low, MAX(o.id) AS high", "")
        order_rows = await connection.execute_query_dict(text, params.values)
        if not order_rows:
            return {}, {}
        low, high = min(int(r["low"]) for r in order_rows), max(int(r["high"]) for r in order_rows)
        await connection.execute_script(MERGE_JOIN)
        join = f"JOIN order_line l ON l.order_id = o.id AND l.order_id BETWEEN {low} AND {high}"
        text, params = statement(_line_sums(dialect), join)
        line_rows = await connection.execute_query_dict(text, params.values)
    return {key_of(r["k"]): r for r in order_rows}, {key_of(r["k"]): r for r in line_rows}


async def _time_rows(
    start: dt.datetime, end: dt.datetime, group_by: GroupBy, zone: str, currency: str
) -> list[SalesRow]:
    """One row per local period overlapping [start, end) (empty ones too), in order. The
    periods' UTC bounds are computed here (zoneinfo); PostgreSQL finds each order's period
    by ``width_bucket`` in one pass, SQLite joins the periods as a VALUES list."""
    periods = buckets(start, end, group_by, ZoneInfo(zone))
    if sql.dialect() == "postgres":
        found = await _sums(_paid_in_range(start, end, currency, periods), key_of=lambda n: periods[n - 1].key)
    else:
        found = await _sums(_joined_buckets(periods, currency))
    return [found.get(b.key) or SalesRow(b.key, 0, 0, ZERO, ZERO) for b in periods]


async def _totals(start: dt.datetime, end: dt.datetime, currency: str) -> SalesRow:
    found = await _sums(_paid_in_range(start, end, currency))
    return found.get("TOTAL") or SalesRow("TOTAL", 0, 0, ZERO, ZERO)


def _product_key(group_by: GroupBy) -> tuple[str, str]:
    """(SQL of the row key, extra joins): the line's product type, or the product's slug
    (the line's sku when its variant was deleted since)."""
    if group_by is GroupBy.PRODUCT_TYPE:
        return "l.product_type", ""
    joins = "LEFT JOIN variant v ON v.id = l.variant_id LEFT JOIN product p ON p.id = v.product_id"
    return "COALESCE(p.slug, l.sku)", joins


async def _product_rows(start: dt.datetime, end: dt.datetime, group_by: GroupBy, currency: str) -> list[SalesRow]:
    dialect = sql.dialect()
    params = sql.Params(dialect)
    amount = sql.line_amount_cents(dialect)
    paid = (
        f"o.paid_at >= {params.moment(start)} AND o.paid_at < {params.moment(end)} "
        f"AND o.currency = {params.add(currency)}"
    )
    key, joins = _product_key(group_by)
    # Each order's gross (lines + shipping) and refunds, for sharing refunds among lines.
    per_order = (
        f"SELECT o.id AS id, CAST(SUM({amount}) + MAX({sql.shipping_amount_cents(dialect)}) AS BIGINT) AS gross, "
        f"MAX({sql.cents('o.refunded_total', dialect)}) AS refunds "
        f'FROM "order" o JOIN order_line l ON l.order_id = o.id WHERE {paid} GROUP BY o.id'
    )
    share = f"CASE WHEN og.gross > 0 THEN CAST(og.refunds AS BIGINT) * {amount} / og.gross ELSE 0 END"
    rows = await sql.fetch(
        f"SELECT {key} AS k, COUNT(DISTINCT l.order_id) AS orders, SUM(l.quantity) AS units, "
        f"SUM({amount}) AS gross, SUM({share}) AS refunds, "
        f"{sql.sum_cents(sql.line_tax(dialect, included=False), dialect)} AS tax_added, "
        f"{sql.sum_cents(sql.line_tax(dialect, included=True), dialect)} AS tax_included "
        f"FROM ({per_order}) og JOIN order_line l ON l.order_id = og.id {joins} GROUP BY {key} ORDER BY {key}",
        params,
    )
    return [
        SalesRow(
            key=str(r["k"]),
            orders=int(r["orders"]),
            units_sold=int(r["units"] or 0),
            gross=sql.money(r["gross"]),
            refunds=sql.money(r["refunds"]),
            tax_added=sql.money(r["tax_added"]),
            tax_included=sql.money(r["tax_included"]),
        )
        for r in rows
    ]


async def _shipped_orders(start: dt.datetime, end: dt.datetime, currency: str) -> int:
    params = sql.Params(sql.dialect())
    rows = await sql.fetch(
        f'SELECT COUNT(*) AS n FROM "order" o WHERE o.paid_at >= {params.moment(start)} '
        f"AND o.paid_at < {params.moment(end)} AND o.currency = {params.add(currency)} "
        f"AND {sql.shipping_amount_cents(params.dialect)} > 0",
        params,
    )
    return int(rows[0]["n"])


def _sum(key: str, rows: Sequence[SalesRow]) -> SalesRow:
    return SalesRow(
        key=key,
        orders=sum(r.orders for r in rows),
        units_sold=sum(r.units_sold for r in rows),
        gross=sum((r.gross for r in rows), ZERO),
        refunds=sum((r.refunds for r in rows), ZERO),
        tax_added=sum((r.tax_added for r in rows), ZERO),
        tax_included=sum((r.tax_included for r in rows), ZERO),
    )


async def sales_report(
    start: dt.datetime, end: dt.datetime, group_by: GroupBy, *, timezone: str, currency: str
) -> SalesReport:
    """The sales of orders paid in [start, end), grouped by ``group_by`` (days, weeks and
    months of the time zone ``timezone``); see the module's docstring for the numbers."""
    start, end = check_range(start, end)
    if group_by.is_time:
        rows = await _time_rows(start, end, group_by, timezone, currency)
        return SalesReport(currency=currency, rows=rows, totals=_sum("TOTAL", rows))
    totals = await _totals(start, end, currency)
    rows = await _product_rows(start, end, group_by, currency)
    lines = _sum("", rows)
    if (totals.gross, totals.refunds, totals.tax) != (lines.gross, lines.refunds, lines.tax):
        rows.append(
            SalesRow(
                key=SHIPPING_KEY,
                orders=await _shipped_orders(start, end, currency),
                units_sold=0,
                gross=totals.gross - lines.gross,
                refunds=totals.refunds - lines.refunds,
                tax_added=totals.tax_added - lines.tax_added,
                tax_included=totals.tax_included - lines.tax_included,
            )
        )
    return SalesReport(currency=currency, rows=rows, totals=totals)
