"""oms.oncommit without a database: a transaction or savepoint context that fails to open
leaves the enclosing callbacks current (the failure path AfterCommit and _Savepoint share)."""

from __future__ import annotations

from typing import Any

import pytest

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
