"""SQL pieces the reports share: placeholders for both dialects and money as integer cents.

Money is summed as integer cents (exact on SQLite, which stores decimals as text and
would add them as floats) and turned back into ``Decimal`` in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tortoise.connection import get_connection

CENT = Decimal("0.01")


def cents(expression: str, dialect: str) -> str:
    """SQL of a decimal column or expression in integer cents."""
    if dialect == "postgres":
        return f"CAST(ROUND({expression} * 100) AS BIGINT)"
    return f"CAST(ROUND(CAST({expression} AS REAL) * 100) AS INTEGER)"


def line_amount_cents(dialect: str, line: str = "l") -> str:
    """THE amount of an order line in the reports and exports, in integer cents, for the
    order_line row aliased ``line``: what the customer paid for it, as
    :func:`oms.orders.amounts.line_paid` says: its price times its quantity, less its share
    of the discounts, plus the tax charged on top of the price (none when prices include it).

    Every report row, total and export column follows this one expression."""
    price = f"{cents(f'{line}.unit_price', dialect)} * {line}.quantity"
    added_tax = f"CASE WHEN {line}.tax_included THEN 0 ELSE {cents(f'{line}.tax', dialect)} END"
    return f"({price} - {cents(f'{line}.discount', dialect)} + {added_tax})"


def shipping_amount_cents(dialect: str, order: str = "o") -> str:
    """What the customer paid for an order's shipping, in integer cents, as
    :func:`oms.orders.amounts.shipping_paid` says: the method's price less its discount,
    plus its tax when prices exclude tax."""
    added_tax = f"CASE WHEN {order}.prices_include_tax THEN 0 ELSE {cents(f'{order}.shipping_tax', dialect)} END"
    price = cents(f"{order}.shipping_total", dialect)
    return f"({price} - {cents(f'{order}.shipping_discount', dialect)} + {added_tax})"


def line_tax_cents(dialect: str, *, included: bool, line: str = "l") -> str:
    """The tax an order line carries, in integer cents, when it was added on top of the price
    (``included=False``) or is inside the price (``included=True``); 0 otherwise."""
    when = f"{line}.tax_included" if included else f"NOT {line}.tax_included"
    return f"(CASE WHEN {when} THEN {cents(f'{line}.tax', dialect)} ELSE 0 END)"


def shipping_tax_cents(dialect: str, *, included: bool, order: str = "o") -> str:
    """An order's shipping tax in integer cents, added on top or inside the price, as
    :func:`line_tax_cents` for a line (the order's ``prices_include_tax`` says which)."""
    when = f"{order}.prices_include_tax" if included else f"NOT {order}.prices_include_tax"
    return f"(CASE WHEN {when} THEN {cents(f'{order}.shipping_tax', dialect)} ELSE 0 END)"


def decimal_text(expression: str, dialect: str) -> str:
    """SQL of a 2-decimal column as its text ("12.50"): PostgreSQL's numeric keeps its
    scale; SQLite's text may not ("0"), printf puts it back (exact below 10^13)."""
    if dialect == "postgres":
        return expression
    return f"printf('%.2f', CAST({expression} AS REAL))"


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
