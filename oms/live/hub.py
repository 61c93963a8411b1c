"""The subscribers of one process, by order id.

Each subscriber has a one-slot, coalescing mailbox (an :class:`asyncio.Event`): any
number of changes to its order before it next looks make ONE wake-up, and it then reads
the order as it is now. So a slow subscriber costs the publisher nothing (setting a flag
never waits) and holds no backlog, and no subscriber waits for another.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator


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

    def dispatch(self, order_id: int) -> int:
        """Tell the subscribers of ``order_id`` that it changed; how many there are."""
        subscribers = self._by_order.get(order_id, ())
        for subscriber in subscribers:
            subscriber.changed()
        return len(subscribers)

    def dispatch_all(self) -> None:
        """Wake every subscriber (after a broker reconnected: changes may have been missed
        meanwhile, and re-reading an unchanged order is harmless)."""
        for subscribers in self._by_order.values():
            for subscriber in subscribers:
                subscriber.changed()

    def count(self, order_id: int | None = None) -> int:
        """Open subscriptions (to ``order_id``, or to any order)."""
        if order_id is not None:
            return len(self._by_order.get(order_id, ()))
        return sum(len(subscribers) for subscribers in self._by_order.values())
