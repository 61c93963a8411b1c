"""oms.oncommit: a transaction or savepoint context that fails to open leaves the enclosing
callbacks current (the failure path AfterCommit and _Savepoint share); a transaction ends
without a reference cycle."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from tortoise.backends.base.client import TransactionalDBClient

from oms.oncommit import AfterCommit, _pending, _Savepoint, collecting, on_commit


class _FailsToOpen:
    """A transaction context whose BEGIN (or SAVEPOINT) fails."""

    async def __aenter__(self) -> Any:
        raise ConnectionError("BEGIN failed")

    async def __aexit__(self, *exc: Any) -> None:
        raise AssertionError("never entered, never exited")


async def test_a_transaction_that_fails_to_open_collects_nothing():
    with pytest.raises(ConnectionError):
        await AfterCommit(_FailsToOpen()).__aenter__()  # type: ignore[arg-type]
    assert not collecting()
    calls: list[str] = []
    on_commit(lambda: calls.append("at once"))  # autocommit again: runs now
    assert calls == ["at once"]


async def test_a_savepoint_that_fails_to_open_leaves_the_enclosing_callbacks_current():
    enclosing: list[Any] = []
    token = _pending.set(enclosing)
    try:
        with pytest.raises(ConnectionError):
            await _Savepoint(_FailsToOpen()).__aenter__()  # type: ignore[arg-type]
        on_commit(lambda: None)
        assert _pending.get() is enclosing and len(enclosing) == 1
    finally:
        _pending.reset(token)


async def test_a_transaction_leaves_no_reference_cycle(oms_app):
    """AfterCommit's savepoint hook closes over the client's own bound method; once the
    transaction ends it is dropped, so reference counting frees the client (in a cycle it
    would wait for the collector, which ``oms serve`` runs seldom)."""
    from tortoise.transactions import in_transaction

    async def transaction() -> None:
        async with in_transaction() as client:
            async with in_transaction():  # a savepoint through the hook
                on_commit(lambda: None)
            assert client is not None

    await transaction()  # warm: what the first one makes once is not the point
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        await transaction()
        gc.collect()
        left = [type(obj).__name__ for obj in gc.garbage if isinstance(obj, TransactionalDBClient)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
