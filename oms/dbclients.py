"""Tortoise database clients with bounded waits (engines named in :func:`oms.db.tortoise_config`).

asyncpg's ``timeout`` bounds connecting and ``command_timeout`` each statement, but Tortoise
waits for a pooled connection without a limit: during a network partition every request
would queue behind the stuck ones. :class:`PostgresClient` gives the pool's ``acquire`` the
command timeout. :class:`SqliteClient` releases its lock when opening the file fails;
Tortoise's keeps it, so the next statement (aerich retries) waits forever.

Tortoise hands a pooled connection back after every statement run outside a transaction,
and asyncpg's default reset on release is a round trip of its own (``SELECT
pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``): a request of 4 statements
paid 4 more. oms keeps no session state on pooled connections (``SET LOCAL`` only, no
session advisory locks, cursors only inside transactions, LISTEN on a dedicated connection:
oms.live.brokers, the migration lock and the job worker's claims (oms.jobs.queue.ClaimConnection)
on connections of their own), so :func:`_keep_session`
replaces that reset. asyncpg still rolls back a transaction left open (``Connection._reset``
runs before it). Plugins must follow the same rule (docs/writing_plugins.md).
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import ConnectionWrapper, TransactionContext
from tortoise.backends.sqlite.client import SqliteClient as _TortoiseSqliteClient

from oms.oncommit import AfterCommit


class _TimedPool:
    """An asyncpg pool whose ``acquire`` waits at most ``timeout`` seconds by default."""

    def __init__(self, pool: Any, timeout: float):
        self._pool = pool
        self._timeout = timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return self._pool.acquire(timeout=timeout if timeout is not None else self._timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


async def _keep_session(connection: Any) -> None:
    """asyncpg's pool ``reset``: nothing to undo (see the module docstring)."""


class PostgresClient(AsyncpgDBClient):
    def __init__(self, *args: Any, acquire_timeout: float | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.acquire_timeout = float(acquire_timeout) if acquire_timeout is not None else None

    async def create_pool(self, **kwargs: Any) -> Any:
        kwargs.setdefault("reset", _keep_session)
        pool = await super().create_pool(**kwargs)
        return _TimedPool(pool, self.acquire_timeout) if self.acquire_timeout else pool

    def _in_transaction(self) -> TransactionContext:
        # oms.oncommit: callbacks registered in the transaction run after its commit.
        return AfterCommit(super()._in_transaction())


class _ReleasingWrapper(ConnectionWrapper):
    __slots__ = ()

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


class SqliteClient(_TortoiseSqliteClient):
    def acquire_connection(self) -> ConnectionWrapper:
        return _ReleasingWrapper(self._lock, self)

    def _in_transaction(self) -> TransactionContext:
        return AfterCommit(super()._in_transaction())


def get_client_class(db_info: dict) -> type:
    """Tortoise's hook for an engine module: the client for these credentials."""
    return SqliteClient if "file_path" in db_info.get("credentials", {}) else PostgresClient
