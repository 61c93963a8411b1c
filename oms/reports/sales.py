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
- ``net = gross - refunds``.
Time rows partition the range: they sum exactly to the totals. Product rows hold their
lines' amounts and a share of each order's refunds in proportion to the line's amount
(rounded down to the cent); the ``(shipping)`` row holds shipping charges and what is left
of the refunds, so the rows' gross, refunds and net also sum exactly to the totals (their
``orders`` do not: an order with two products counts in both rows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from oms.errors import DomainError, ErrorCode
from oms.reports import sql
from oms.reports.periods import Bucket, GroupBy, buckets

# The longest range a report covers: three years by day is ~1100 rows.
MAX_REPORT_DAYS = 1100
SHIPPING_KEY = "(shipping)"


@dataclasses.dataclass(frozen=True)
class SalesRow:
    key: str
    orders: int
    units_sold: int
    gross: Decimal
    refunds: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunds


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


def _bucket_cte(periods: Sequence[Bucket], params: sql.Params) -> str:
    values = ", ".join(
        f"({params.add(b.key)}, {params.moment(b.start)}, {params.moment(b.end)})" for b in periods
    )
    return f"WITH b(k, s, e) AS (VALUES {values})"


async def _time_rows(periods: Sequence[Bucket], currency: str) -> list[SalesRow]:
    """One row per bucket (empty buckets too), from two statements: order-level money
    (shipping, refunds) and line-level money, each one GROUP BY over the bucket join."""
    dialect = sql.dialect()
    join = 'JOIN "order" o ON o.paid_at >= b.s AND o.paid_at < b.e AND o.currency = {cur}'
    params = sql.Params(dialect)
    cte = _bucket_cte(periods, params)
    orders = await sql.fetch(
        f"{cte} SELECT b.k AS k, COUNT(o.id) AS orders, SUM({sql.shipping_amount_cents(dialect)}) AS shipping, "
        f"SUM({sql.cents('o.refunded_total', dialect)}) AS refunds "
        f"FROM b {join.format(cur=params.add(currency))} GROUP BY b.k",
        params,
    )
    params = sql.Params(dialect)
    cte = _bucket_cte(periods, params)
    lines = await sql.fetch(
        f"{cte} SELECT b.k AS k, SUM(l.quantity) AS units, SUM({sql.line_amount_cents(dialect)}) AS gross "
        f"FROM b {join.format(cur=params.add(currency))} JOIN order_line l ON l.order_id = o.id GROUP BY b.k",
        params,
    )
    by_order = {r["k"]: r for r in orders}
    by_line = {r["k"]: r for r in lines}
    rows = []
    for bucket in periods:
        o, line = by_order.get(bucket.key, {}), by_line.get(bucket.key, {})
        rows.append(
            SalesRow(
                key=bucket.key,
                orders=int(o.get("orders") or 0),
                units_sold=int(line.get("units") or 0),
                gross=sql.money(line.get("gross")) + sql.money(o.get("shipping")),
                refunds=sql.money(o.get("refunds")),
            )
        )
    return rows


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
        f"SUM({amount}) AS gross, SUM({share}) AS refunds "
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
        gross=sum((r.gross for r in rows), Decimal("0.00")),
        refunds=sum((r.refunds for r in rows), Decimal("0.00")),
    )


async def sales_report(
    start: dt.datetime, end: dt.datetime, group_by: GroupBy, *, timezone: str, currency: str
) -> SalesReport:
    """The sales of orders paid in [start, end), grouped by ``group_by`` (days, weeks and
    months of the time zone ``timezone``); see the module's docstring for the numbers."""
    start, end = check_range(start, end)
    zone = ZoneInfo(timezone)
    if group_by.is_time:
        rows = await _time_rows(buckets(start, end, group_by, zone), currency)
        return SalesReport(currency=currency, rows=rows, totals=_sum("TOTAL", rows))
    (totals,) = await _time_rows([Bucket("TOTAL", start, end)], currency)
    rows = await _product_rows(start, end, group_by, currency)
    lines = _sum("", rows)
    if totals.gross != lines.gross or totals.refunds != lines.refunds:
        rows.append(
            SalesRow(
                key=SHIPPING_KEY,
                orders=await _shipped_orders(start, end, currency),
                units_sold=0,
                gross=totals.gross - lines.gross,
                refunds=totals.refunds - lines.refunds,
            )
        )
    return SalesReport(currency=currency, rows=rows, totals=totals)
