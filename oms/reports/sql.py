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
    order_line row aliased ``line``: its price times its quantity today.

    The one place discounts and taxes join the reports: subtract the line's discount and
    add the tax charged on top here (e.g. ``- cents(f"{line}.discount")``), and every
    report row, total and export column follows."""
    return f"({cents(f'{line}.unit_price', dialect)} * {line}.quantity)"


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
