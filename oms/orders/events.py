"""The order timeline: every change to an order writes one event, and a job that tells
the observers (plugins' ``oms_order_event``) once the change has committed."""

from __future__ import annotations

from typing import Any

from oms.jobs.services import enqueue
from oms.live import publish as live
from oms.orders.models import Order, OrderEvent

ORDER_EVENT_JOB = "order.event"

# Timeline entries for staff only: they speak of reviews, failures and internals.
STAFF_ONLY_EVENT_TYPES = frozenset(
    {"payment.mismatch", "payment.needs_review", "delivery.started", "delivery.failed", "order.expiry_failed"}
)


def customer_view(event: OrderEvent, order: Order) -> OrderEvent | None:
    """The event as a customer or guest may see it, or None: staff-only types are left
    out; what staff did is shown as done by "store", without its data (a bank reference)."""
    if event.type in STAFF_ONLY_EVENT_TYPES or (event.data or {}).get("staff_only"):
        return None
    actor, data = event.actor, event.data
    if actor and "@" in actor and actor != order.email:
        actor, data = "store", None
    return OrderEvent(
        id=event.id,
        order_id=event.order_id,
        type=event.type,
        message=event.message,
        actor=actor,
        data=data,
        created_at=event.created_at,
    )


async def record_event(
    order: Order,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
    staff_only: bool = False,
) -> OrderEvent:
    """Write a timeline event and its notification job; call inside the change's transaction.

    ``staff_only`` keeps it out of the customer's view of the timeline (a plugin's note
    for staff, e.g. a renewal that could not be placed)."""
    if staff_only:
        data = {**(data or {}), "staff_only": True}
    event = await OrderEvent.create(order=order, type=type, message=message, actor=actor, data=data)
    await enqueue(ORDER_EVENT_JOB, {"order_id": order.id, "event_id": event.id, "type": type})
    # Live subscribers (Subscription.orderUpdated, every process) hear of it after commit.
    await live.order_changed(order.id)
    return event


async def event_and_order(event_id: int) -> tuple[OrderEvent, Order] | None:
    """A committed timeline event and its order, read in one statement (a join); None
    when the event is gone."""
    event = await OrderEvent.filter(id=event_id).select_related("order").first()
    if event is None:
        return None
    return event, event.order


async def notify_observers(event_id: int, *, plugins) -> None:
    """Tell every plugin's ``oms_order_event`` about a committed timeline event (the
    ``order.event`` job). At least once: observers with outside effects dedupe by event id."""
    found = await event_and_order(event_id)
    if found is None:
        return
    event, order = found
    await plugins.call_all("oms_order_event", order=order, event=event)
