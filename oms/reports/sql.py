"""SQL pieces the reports share: placeholders for both dialects and money as integer cents.

Money is summed exactly and comes back as integer cents, turned into ``Decimal`` in
Python: SQLite stores decimals as text and would add them as floats, so each term is
converted to cents first; PostgreSQL adds its numerics exactly and converts the sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tortoise.connection import get_connection

CENT = Decimal("0.01")

# PostgreSQL only, beside the models' indexes (no model can say INCLUDE): covering indexes
# that let salesReport read a year of paid orders and their lines by index-only scans
# (oms.reports.sales: a range of the first, merge-joined with a range of the second).
REPORT_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_order_paid_at_sales" ON "order" ("paid_at") INCLUDE '
    '("id", "currency", "shipping_total", "shipping_discount", "shipping_tax", "prices_include_tax", "refunded_total")',
    'CREATE INDEX IF NOT EXISTS "idx_order_line_order_id_sales" ON "order_line" ("order_id") INCLUDE '
    '("quantity", "unit_price", "discount", "tax", "tax_included")',
)


def cents(expression: str, dialect: str) -> str:
    """SQL of a decimal column or expression in integer cents."""
    if dialect == "postgres":
        return f"CAST(ROUND({expression} * 100) AS BIGINT)"
    return f"CAST(ROUND(CAST({expression} AS REAL) * 100) AS INTEGER)"


def unit(expression: str, dialect: str) -> str:
    """A decimal column in the unit sums are exact in: PostgreSQL's numeric as is, integer
    cents on SQLite. Sum such terms with :func:`sum_cents`."""
    return expression if dialect == "postgres" else cents(expression, dialect)


def sum_cents(expression: str, dialect: str) -> str:
    """The SUM of an expression of :func:`unit` terms, in integer cents (PostgreSQL adds
    numerics exactly and converts once, not once per row)."""
    if dialect == "postgres":
        return f"CAST(SUM({expression}) * 100 AS BIGINT)"
    return f"SUM({expression})"


Money = Callable[[str], str]


def _line_amount(line: str, money: Money) -> str:
    added_tax = f"CASE WHEN {line}.tax_included THEN 0 ELSE {money(f'{line}.tax')} END"
    return f"({money(f'{line}.unit_price')} * {line}.quantity - {money(f'{line}.discount')} + {added_tax})"


def line_amount_cents(dialect: str, line: str = "l") -> str:
    """THE amount of an order line in the reports and exports, in integer cents, for the
    order_line row aliased ``line``: what the customer paid for it, as
    :func:`oms.orders.amounts.line_paid` says: its price times its quantity, less its share
    of the discounts, plus the tax charged on top of the price (none when prices include it).

    Every report row, total and export column follows this one expression (or
    :func:`line_amount`, the same in :func:`unit` terms)."""
    return _line_amount(line, lambda column: cents(column, dialect))


def line_amount(dialect: str, line: str = "l") -> str:
    """:func:`line_amount_cents` in :func:`unit` terms, for :func:`sum_cents`."""
    return _line_amount(line, lambda column: unit(column, dialect))


def _shipping_amount(order: str, money: Money) -> str:
    added_tax = f"CASE WHEN {order}.prices_include_tax THEN 0 ELSE {money(f'{order}.shipping_tax')} END"
    return f"({money(f'{order}.shipping_total')} - {money(f'{order}.shipping_discount')} + {added_tax})"


def shipping_amount_cents(dialect: str, order: str = "o") -> str:
    """What the customer paid for an order's shipping, in integer cents, as
    :func:`oms.orders.amounts.shipping_paid` says: the method's price less its discount,
    plus its tax when prices exclude tax."""
    return _shipping_amount(order, lambda column: cents(column, dialect))


def shipping_amount(dialect: str, order: str = "o") -> str:
    """:func:`shipping_amount_cents` in :func:`unit` terms, for :func:`sum_cents`."""
    return _shipping_amount(order, lambda column: unit(column, dialect))


def line_tax(dialect: str, *, included: bool, line: str = "l") -> str:
    """The tax an order line carries (:func:`unit` terms) when it was added on top of the
    price (``included=False``) or is inside the price (``included=True``); 0 otherwise."""
    when = f"{line}.tax_included" if included else f"NOT {line}.tax_included"
    return f"(CASE WHEN {when} THEN {unit(f'{line}.tax', dialect)} ELSE 0 END)"


def shipping_tax(dialect: str, *, included: bool, order: str = "o") -> str:
    """An order's shipping tax (:func:`unit` terms), added on top or inside the price, as
    :func:`line_tax` for a line (the order's ``prices_include_tax`` says which)."""
    when = f"{order}.prices_include_tax" if included else f"NOT {order}.prices_include_tax"
    return f"(CASE WHEN {when} THEN {unit(f'{order}.shipping_tax', dialect)} ELSE 0 END)"


def decimal_text(expression: str, dialect: str) -> str:
    """SQL of a 2-decimal column as its text ("12.50"): PostgreSQL's numeric keeps its
    scale; SQLite's text may not ("0"), printf puts it back (exact below 10^13)."""
    if dialect == "postgres":
        return expression
    return f"printf('%.2f', CAST({expression} AS REAL))"


def time_text(expression: str, dialect: str) -> str:
    """SQL of a datetime column as the text its value prints as in Python (``str`` of an
    aware UTC datetime, which is also what SQLite stores): ``2026-03-08 05:00:00+00:00``,
    with ``.ffffff`` when it has microseconds; NULL stays NULL."""
    if dialect == "postgres":
        local = f"({expression} AT TIME ZONE 'UTC')"
        return f"(replace(to_char({local}, 'YYYY-MM-DD HH24:MI:SS.US'), '.000000', '') || '+00:00')"
    return expression


def as_text(expression: str, dialect: str) -> str:
    """SQL of a value as text (PostgreSQL), so the driver hands rows over without decoding
    numbers and times into Python objects; SQLite's values are left as they are."""
    if dialect == "postgres":
        return f"CAST({expression} AS TEXT)"
    return expression


def cents_text(expression: str, dialect: str) -> str:
    """SQL of integer cents as a 2-decimal amount ("12.50")."""
    if dialect == "postgres":
        return f"CAST({expression} / 100.0 AS NUMERIC(16, 2))"
    return f"printf('%.2f', {expression} / 100.0)"


def money(value: Any) -> Decimal:
    """Cents from the database (int, Decimal or None) as a Decimal amount."""
    return (Decimal(int(value or 0)) * CENT).quantize(CENT)


class Params:
    """Positional parameters of one statement: ``?`` for SQLite, ``$n`` for asyncpg."""

    def __init__(self, dialect: str):
        self.dialect = dialect
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.dialect == "postgres" else "?"

    def among(self, column: str, values: list[int]) -> str:
        """``column`` is one of ``values``: one array parameter on PostgreSQL (one prepared
        statement whatever the count), a list of placeholders on SQLite."""
        if self.dialect == "postgres":
            return f"{column} = ANY(CAST({self.add(values)} AS BIGINT[]))"
        return f"{column} IN ({', '.join(self.add(v) for v in values)})"

    def moment(self, value: dt.datetime) -> str:
        """A UTC time compared with a datetime column: a timestamptz on PostgreSQL, the
        text Tortoise stores on SQLite (``2026-03-08 05:00:00+00:00``, which sorts right)."""
        value = value.astimezone(dt.UTC)
        if self.dialect == "postgres":
            return f"CAST({self.add(value)} AS TIMESTAMPTZ)"
        return self.add(str(value))


def dialect() -> str:
    return get_connection("default").capabilities.dialect


async def fetch(sql: str, params: Params) -> list[dict[str, Any]]:
    return await get_connection("default").execute_query_dict(sql, params.values)


async def fetch_rows(sql: str, params: Params) -> list[Any]:
    """The rows as the driver gives them (sequences: no dict per row)."""
    _, rows = await get_connection("default").execute_query(sql, params.values)
    return list(rows)
