"""Run a callback once the current transaction has committed.

Tortoise has no on-commit hook, and an effect outside the database (telling live
subscribers that an order changed) must not happen before the change is visible, nor at
all when it rolls back. :func:`on_commit` collects callbacks in a context variable that
the outermost transaction (opened through oms's database clients, :mod:`oms.dbclients`)
sets up; they run right after its COMMIT, and are dropped on a rollback. Outside a
transaction (autocommit: the change is already committed) a callback runs at once.

A savepoint (a nested ``in_transaction``) hands its callbacks to the outer transaction
when it is released, and drops them when it rolls back (:class:`_Savepoint`): a job
written claimed by a worker inside it (oms.orders.events) is run only if it was committed.

Callbacks are synchronous and must not block: schedule work, don't do it.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext

logger = logging.getLogger("oms.db")

_pending: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
    "oms_on_commit", default=None
)


def on_commit(callback: Callable[[], None]) -> None:
    """Call ``callback()`` after the current transaction commits (never if it rolls back);
    at once when no transaction is open."""
    pending = _pending.get()
    if pending is None:
        _run([callback])
    else:
        pending.append(callback)


def collecting() -> bool:
    """Whether an oms transaction is open and collecting callbacks (they run at its
    commit); False in autocommit, or in a transaction opened some other way."""
    return _pending.get() is not None


def _run(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # one broken callback must not hide the commit from the caller
            logger.exception("an on-commit callback failed")


class _Collecting(TransactionContext):
    """Wraps a transaction context that collects its own :func:`on_commit` callbacks while
    it is open; subclasses say what becomes of them when it closes."""

    __slots__ = ("_inner", "_token")

    def __init__(self, inner: TransactionContext):
        self._inner = inner

    async def _enter(self) -> TransactionalDBClient:
        """Enter the wrapped context with a list of callbacks of its own (the enclosing list
        is current again if entering fails)."""
        self._token = _pending.set([])
        try:
            return await self._inner.__aenter__()
        except BaseException:
            _pending.reset(self._token)
            raise


class AfterCommit(_Collecting):
    """Wraps a client's outermost transaction context: collects :func:`on_commit`
    callbacks while it is open and runs them after its commit."""

    __slots__ = ("_client",)

    async def __aenter__(self) -> Any:
        client = await self._enter()
        # A nested in_transaction asks the client of the outermost transaction (Tortoise
        # keeps it as the current connection inside savepoints too) for its context: each
        # savepoint then collects its own callbacks.
        opened = client._in_transaction
        client._in_transaction = lambda: _Savepoint(opened())  # type: ignore[method-assign]
        self._client = client
        return client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        callbacks = _pending.get() or []
        try:
            await self._inner.__aexit__(exc_type, exc_val, exc_tb)
        finally:
            _pending.reset(self._token)
            # The lambda closes over the client's own bound method, a reference cycle only
            # the collector would free: dropped, reference counting frees the client now.
            client = self._client
            del self._client, client._in_transaction
        if exc_type is None and callbacks:
            _run(callbacks)


class _Savepoint(_Collecting):
    """A savepoint's context: its callbacks go to the enclosing transaction's when it is
    released, and are dropped when it rolls back."""

    __slots__ = ()

    async def __aenter__(self) -> Any:
        return await self._enter()

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        callbacks = _pending.get() or []
        _pending.reset(self._token)
        await self._inner.__aexit__(exc_type, exc_val, exc_tb)
        enclosing = _pending.get()
        if exc_type is None and callbacks and enclosing is not None:
            enclosing.extend(callbacks)
