"""Count what asyncpg sends while a block runs: statements, BEGIN/COMMIT, pool resets.

Shared by the benchmarks that report statements per operation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import asyncpg


class StatementTap:
    """Every round trip asyncpg makes while enabled: statements, BEGIN/COMMIT, pool resets."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.enabled = False

    @contextlib.contextmanager
    def installed(self) -> Iterator[StatementTap]:
        conn_class = asyncpg.connection.Connection
        originals = {name: getattr(conn_class, name) for name in ("execute", "_execute", "executemany")}
        tap = self

        async def execute(self, query, *args, **kwargs):
            if tap.enabled and not args:  # with args it goes through _execute
                tap.statements.append(query)
            return await originals["execute"](self, query, *args, **kwargs)

        async def _execute(self, query, *args, **kwargs):
            if tap.enabled:
                tap.statements.append(query)
            return await originals["_execute"](self, query, *args, **kwargs)

        async def executemany(self, command, args, **kwargs):
            args = list(args)
            if tap.enabled:
                tap.statements.append(f"[executemany, {len(args)} rows, one round trip] {command}")
            return await originals["executemany"](self, command, args, **kwargs)

        conn_class.execute, conn_class._execute, conn_class.executemany = execute, _execute, executemany
        try:
            yield self
        finally:
            for name, original in originals.items():
                setattr(conn_class, name, original)

    @contextlib.asynccontextmanager
    async def recording(self):
        self.statements, self.enabled = [], True
        try:
            yield self.statements
        finally:
            self.enabled = False
