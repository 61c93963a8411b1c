"""The order timeline: every change to an order writes one event, and a job that tells
the observers (plugins' ``oms_order_event``) once the change has committed."""

from __future__ import annotations

from typing import Any

from oms.jobs.services import enqueue
from oms.orders.models import Order, OrderEvent

ORDER_EVENT_JOB = "order.event"


async def record_event(
    order: Order,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
) -> OrderEvent:
    """Write a timeline event and its notification job; call inside the change's transaction."""
    event = await OrderEvent.create(order=order, type=type, message=message, actor=actor, data=data)
    await enqueue(ORDER_EVENT_JOB, {"order_id": order.id, "event_id": event.id, "type": type})
    return event


async def notify_observers(event_id: int, *, plugins) -> None:
    """Tell every plugin's ``oms_order_event`` about a committed timeline event (the
    ``order.event`` job). At least once: observers with outside effects dedupe by event id."""
    event = await OrderEvent.get_or_none(id=event_id)
    if event is None:
        return
    order = await Order.get(id=event.order_id)
    await plugins.call_all("oms_order_event", order=order, event=event)
