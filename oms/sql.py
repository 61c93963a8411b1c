"""A few hand-written statements where one atomic SQL statement is the point.

Tortoise speaks ``?`` to SQLite and ``$1`` to asyncpg; templates here use ``:name``.
"""

from __future__ import annotations

import re
from typing import Any

from tortoise.connection import get_connection

_PARAM = re.compile(r":([a-z_]+)")


def render(template: str, dialect: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """Turn ``:name`` placeholders into the dialect's, with the values in order."""
    values: list[Any] = []
    if dialect == "postgres":
        order: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in order:
                order[name] = len(order) + 1
                values.append(params[name])
            return f"${order[name]}"

        return _PARAM.sub(number, template), values

    def question(match: re.Match[str]) -> str:
        values.append(params[match.group(1)])
        return "?"

    return _PARAM.sub(question, template), values


async def fetch(template: str, **params: Any) -> list[dict[str, Any]]:
    """Run one statement on the current connection (or transaction) and return its rows."""
    conn = get_connection("default")
    sql, values = render(template, conn.capabilities.dialect, params)
    return await conn.execute_query_dict(sql, values)
