"""The subscribers of one process, by order id.

Each subscriber has a one-slot, coalescing mailbox (an :class:`asyncio.Event`): any
number of changes to its order before it next looks make ONE wake-up, and it then reads
the order as it is now. So a slow subscriber costs the publisher nothing (setting a flag
never waits) and holds no backlog, and no subscriber waits for another.

Subscribers woken by one change share one read of the order (:meth:`LiveHub.read`): a
change to an order followed by a thousand subscribers costs one query, not a thousand.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class Subscriber:
    """One subscription's mailbox: ``changed()`` sets it, ``next_change()`` waits for it."""

    __slots__ = ("order_id", "_changed")

    def __init__(self, order_id: int):
        self.order_id = order_id
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def next_change(self, timeout: float | None = None) -> bool:
        """Wait until the order changed (True) or ``timeout`` seconds passed (False)."""
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        self._changed.clear()
        return True


class LiveHub:
    """The process's subscribers; a broker calls :meth:`dispatch` for each change it hears."""

    def __init__(self) -> None:
        self._by_order: dict[int, set[Subscriber]] = {}
        # Per order: how many changes were heard, and the read made after the latest one.
        self._version: dict[int, int] = {}
        self._reads: dict[int, tuple[int, asyncio.Future[Any]]] = {}

    @contextlib.contextmanager
    def subscribe(self, order_id: int) -> Iterator[Subscriber]:
        """A subscriber to ``order_id`` for the duration of the block."""
        subscriber = Subscriber(order_id)
        self._by_order.setdefault(order_id, set()).add(subscriber)
        try:
            yield subscriber
        finally:
            subscribers = self._by_order.get(order_id)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._by_order[order_id]
                    self._version.pop(order_id, None)
                    self._reads.pop(order_id, None)

    def dispatch(self, order_id: int) -> int:
        """Tell the subscribers of ``order_id`` that it changed; how many there are."""
        subscribers = self._by_order.get(order_id, ())
        if subscribers:
            self._version[order_id] = self._version.get(order_id, 0) + 1
        for subscriber in subscribers:
            subscriber.changed()
        return len(subscribers)

    def dispatch_all(self) -> None:
        """Wake every subscriber (after a broker reconnected: changes may have been missed
        meanwhile, and re-reading an unchanged order is harmless)."""
        for order_id in list(self._by_order):
            self.dispatch(order_id)

    async def read(self, order_id: int, load: Callable[[], Awaitable[T]]) -> T:
        """``load()``'s result, shared by every caller since the order's latest change: the
        first caller after a change starts the load, later ones await the same one. A read
        that started before a change is never handed out after it."""
        version = self._version.get(order_id, 0)
        cached = self._reads.get(order_id)
        if cached is None or cached[0] != version or (cached[1].done() and cached[1].exception()):
            future: asyncio.Future[Any] = asyncio.ensure_future(load())
            # Retrieved here, so a failed read nobody awaits any more is not reported as lost.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            if order_id in self._by_order:
                self._reads[order_id] = (version, future)
        else:
            future = cached[1]
        # Shielded: one caller going away does not cancel the others' read.
        return await asyncio.shield(future)

    def count(self, order_id: int | None = None) -> int:
        """Open subscriptions (to ``order_id``, or to any order)."""
        if order_id is not None:
            return len(self._by_order.get(order_id, ()))
        return sum(len(subscribers) for subscribers in self._by_order.values())
