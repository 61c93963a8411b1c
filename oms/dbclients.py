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

:class:`HeldConnection` keeps one pooled connection for a task's run of statements (a
placement's reads and then its transaction): each statement outside a transaction, and a
transaction begun in it, use that connection instead of an acquire and a release of their
own (each pair is a pool wait with its timeout, a shielded release and an idle timer).
Only the task that took it uses it; other tasks (gathered, after-commit callbacks) take
their own from the pool as before.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar, Token
from typing import Any, NamedTuple

from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import ConnectionWrapper, TransactionContext, TransactionContextPooled
from tortoise.backends.sqlite.client import SqliteClient as _TortoiseSqliteClient
from tortoise.connection import get_connection, get_connections
from tortoise.exceptions import TransactionManagementError

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


class _Hold(NamedTuple):
    client: Any
    task: asyncio.Task | None
    connection: Any


_held: ContextVar[_Hold | None] = ContextVar("oms_held_connection", default=None)


def _held_by_this_task(client: Any) -> Any:
    """The connection ``client`` holds for the current task (:class:`HeldConnection`), or None."""
    held = _held.get()
    if held is None or held.client is not client or held.task is not asyncio.current_task():
        return None
    return held.connection


class _UseHeld:
    """``acquire_connection``'s answer while a connection is held: that one, kept on exit."""

    __slots__ = ("connection",)

    def __init__(self, connection: Any):
        self.connection = connection

    async def __aenter__(self) -> Any:
        return self.connection

    async def __aexit__(self, *exc: Any) -> None:
        return None


class _HeldTransaction(TransactionContextPooled):
    """Tortoise's outermost transaction on the held connection: as ``TransactionContextPooled``
    (begin; commit, or roll back on an error), without taking or giving back the connection."""

    __slots__ = ("held",)

    def __init__(self, client: Any, pool_init_lock: asyncio.Lock, held: Any):
        super().__init__(client, pool_init_lock)
        self.held = held

    async def __aenter__(self) -> Any:
        self.client._connection = self.held
        self.token = get_connections().set(self.connection_name, self.client)
        await self.client.begin()
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if not self.client._finalized:
                if exc_type:
                    if exc_type is not TransactionManagementError:  # as Tortoise: it already failed
                        await self.client.rollback()
                else:
                    await self.client.commit()
        finally:
            get_connections().reset(self.token)


class PostgresClient(AsyncpgDBClient):
    def __init__(self, *args: Any, acquire_timeout: float | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.acquire_timeout = float(acquire_timeout) if acquire_timeout is not None else None

    async def create_pool(self, **kwargs: Any) -> Any:
        kwargs.setdefault("reset", _keep_session)
        pool = await super().create_pool(**kwargs)
        return _TimedPool(pool, self.acquire_timeout) if self.acquire_timeout else pool

    def acquire_connection(self) -> Any:
        held = _held_by_this_task(self)
        return _UseHeld(held) if held is not None else super().acquire_connection()

    def _in_transaction(self) -> TransactionContext:
        # oms.oncommit: callbacks registered in the transaction run after its commit.
        held = _held_by_this_task(self)
        if held is not None:
            return AfterCommit(_HeldTransaction(TransactionWrapper(self), self._pool_init_lock, held))
        return AfterCommit(super()._in_transaction())


class HeldConnection:
    """``async with HeldConnection():`` the current task's statements on the default
    PostgreSQL connection use one pooled connection (taken with the pool's timeout, given
    back on exit). Nothing on SQLite, inside a transaction, or inside another hold."""

    __slots__ = ("_wrapper", "_token")

    def __init__(self) -> None:
        self._wrapper: Any = None
        self._token: Token | None = None

    async def __aenter__(self) -> None:
        client = get_connection("default")
        if not isinstance(client, PostgresClient) or _held.get() is not None:
            return
        wrapper = client.acquire_connection()  # Tortoise's pool wrapper: the acquire timeout holds
        connection = await wrapper.__aenter__()
        self._wrapper = wrapper
        self._token = _held.set(_Hold(client, asyncio.current_task(), connection))

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if self._token is None:
            return
        _held.reset(self._token)
        self._token = None
        wrapper, self._wrapper = self._wrapper, None
        await wrapper.__aexit__(exc_type, exc_val, exc_tb)


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
