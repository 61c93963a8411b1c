"""A few hand-written statements where one atomic SQL statement is the point.

Tortoise speaks ``?`` to SQLite and ``$1`` to asyncpg; templates here use ``:name``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from tortoise.connection import get_connection

_PARAM = re.compile(r":([a-z_]+)")


def render(template: str, dialect: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """Turn ``:name`` placeholders into the dialect's, with the values in order."""
    statement, names = _placeholders(template, dialect)
    return statement, [params[name] for name in names]


@functools.lru_cache(maxsize=1024)
def _placeholders(template: str, dialect: str) -> tuple[str, tuple[str, ...]]:
    """The dialect's statement and the parameters' names in its order, once per template
    (PostgreSQL numbers each name once: ``$1`` is the same value wherever it appears)."""
    names: list[str] = []
    if dialect == "postgres":
        order: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in order:
                order[name] = len(order) + 1
                names.append(name)
            return f"${order[name]}"

        return _PARAM.sub(number, template), tuple(names)

    def question(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return "?"

    return _PARAM.sub(question, template), tuple(names)


async def fetch(template: str, **params: Any) -> list[dict[str, Any]]:
    """Run one statement on the current connection (or transaction) and return its rows."""
    conn = get_connection("default")
    sql, values = render(template, conn.capabilities.dialect, params)
    return await conn.execute_query_dict(sql, values)
