"""The first read of a ``notification.email`` job: its timeline event, the event's order
and the ``SentEmail`` row of an earlier attempt (or None).

On PostgreSQL one hand-written statement (the event joined to its order, the sent mail
left-joined), its rows made into models as ``select_related`` makes them
(``_init_from_db``, the order set as the event's relation cache): one round trip where
two were. SQLite keeps the ORM's two queries.
"""

from __future__ import annotations

import functools

from tortoise.connection import get_connection

from oms import sql
from oms.notifications.models import SentEmail
from oms.orders.events import event_and_order
from oms.orders.models import Order, OrderEvent


@functools.cache
def _statement() -> str:
    """Made once Tortoise knows the models' columns."""

    def columns(model, alias: str, prefix: str) -> str:
        return ", ".join(f'{alias}."{c}" AS "{prefix}{c}"' for c in model._meta.fields_db_projection.values())

    return (
        f"SELECT {columns(OrderEvent, 'e', '')}, {columns(Order, 'o', 'order.')}, {columns(SentEmail, 's', 'sent.')} "
        'FROM order_event e JOIN "order" o ON o.id = e.order_id '
        "LEFT JOIN sent_email s ON s.event_id = e.id AND s.recipient = :recipient AND s.template = :template_name "
        "WHERE e.id = :event_id"
    )


async def event_order_and_sent(
    event_id: int, recipient: str, template: str
) -> tuple[OrderEvent, Order, SentEmail | None] | None:
    """The event, its order and the mail of (event, recipient, template) if one was
    written; None when the event is gone."""
    if get_connection("default").capabilities.dialect != "postgres":
        found = await event_and_order(event_id)
        if found is None:
            return None
        event, order = found
        return event, order, await SentEmail.get_or_none(event_id=event.id, recipient=recipient, template=template)
    rows = await sql.fetch(_statement(), event_id=event_id, recipient=recipient, template_name=template)
    if not rows:
        return None
    parts: dict[str, dict] = {"": {}, "order.": {}, "sent.": {}}
    for key, value in rows[0].items():
        prefix = key[: key.index(".") + 1] if "." in key else ""
        parts[prefix][key[len(prefix) :]] = value
    event = OrderEvent._init_from_db(**parts[""])
    order = Order._init_from_db(**parts["order."])
    object.__setattr__(event, "_order", order)
    sent = SentEmail._init_from_db(**parts["sent."]) if parts["sent."]["id"] is not None else None
    return event, order, sent
