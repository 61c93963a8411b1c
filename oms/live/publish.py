"""Announcing that an order changed, and the live-update service of one process.

:func:`order_changed` is called by ``record_event`` (every change to an order writes a
timeline event, inside the change's transaction):

- with the PostgreSQL broker, or no live service in this process on PostgreSQL (``oms
  worker``, a CLI command): ``SELECT pg_notify('oms_order_updated', '<id>')`` in the
  transaction; PostgreSQL delivers it at COMMIT to every listening process, and never
  for a rollback. Repeats within one transaction are folded into one by PostgreSQL.
- with the in-process or Redis broker: handed to the broker after the commit
  (:func:`oms.oncommit.on_commit`), so a subscriber never reads the order before the
  change is visible.
- on SQLite with no live service in this process: nobody here listens; nothing to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from tortoise import connections

from oms.config import Settings
from oms.live.brokers import CHANNEL, Broker, broker_for
from oms.live.hub import LiveHub
from oms.oncommit import on_commit

_current: list[Broker] = []  # the running broker of this process, if any


def current_broker() -> Broker | None:
    return _current[-1] if _current else None


async def order_changed(order_id: int) -> None:
    """Tell live subscribers (of every process) that order ``order_id`` changed, once the
    current transaction commits."""
    broker = current_broker()
    if broker is not None and broker.publishes_after_commit:
        on_commit(lambda: broker.publish(order_id))
        return
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_notify($1, $2)", [CHANNEL, str(order_id)])


@contextlib.asynccontextmanager
async def running_live(settings: Settings, *, listen: bool = True) -> AsyncIterator[LiveHub]:
    """This process's live-update service for the block: its hub, and its broker started
    (``listen=False``: a process that only publishes, such as ``oms worker``)."""
    hub = LiveHub()
    broker = broker_for(settings, hub, listen=listen)
    if not listen and broker.name == "postgres":
        yield hub  # pg_notify in the transaction needs nothing running here
        return
    await broker.start()
    _current.append(broker)
    try:
        yield hub
    finally:
        _current.remove(broker)
        await broker.stop()
