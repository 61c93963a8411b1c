"""Count what asyncpg sends while a block runs: statements, BEGIN/COMMIT, pool resets, and
prepares that missed the connection's statement cache (recorded as ``[prepare] <sql>``).

Shared by the benchmarks that report statements per operation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import asyncpg


class StatementTap:
    """Every round trip asyncpg makes while enabled: statements, BEGIN/COMMIT, pool resets."""

    def __init__(self, *, prepares: bool = False) -> None:
        # prepares: also record statement-cache misses (off: what the older benches printed).
        self.prepares = prepares
        self.statements: list[str] = []
        self.enabled = False

    @contextlib.contextmanager
    def installed(self) -> Iterator[StatementTap]:
        conn_class = asyncpg.connection.Connection
        names = ("execute", "_execute", "executemany", "_get_statement")
        originals = {name: getattr(conn_class, name) for name in names}
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

        async def _get_statement(self, query, timeout, **kwargs):
            # A statement not in the cache is prepared first: a round trip of its own.
            if tap.enabled and tap.prepares and kwargs.get("use_cache", True):
                record_class = kwargs.get("record_class") or self._protocol.get_record_class()
                key = (query, record_class, kwargs.get("ignore_custom_codec", False))
                if self._stmt_cache.get(key) is None:
                    tap.statements.append(f"[prepare] {query}")
            return await originals["_get_statement"](self, query, timeout, **kwargs)

        replacements = (execute, _execute, executemany, _get_statement)
        for name, replacement in zip(names, replacements, strict=True):
            setattr(conn_class, name, replacement)
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
