"""The first read of a ``notification.email`` job: its timeline event, the event's order,
the ``SentEmail`` row of an earlier attempt (or None) and the order's lines.

On PostgreSQL one hand-written statement (the event joined to its order, the sent mail and
the lines left-joined: a row per line), its rows made into models as ``select_related``
makes them (``_init_from_db``, the order set as the event's relation cache): one round trip
where three were. SQLite keeps the ORM's queries (the lines read by prepare_context).
"""

from __future__ import annotations

import functools

from tortoise.connection import get_connection

from oms import sql
from oms.notifications.models import SentEmail
from oms.orders.events import event_and_order
from oms.orders.models import Order, OrderEvent, OrderLine


@functools.cache
def _statement() -> str:
    """Made once Tortoise knows the models' columns."""

    def columns(model, alias: str, prefix: str) -> str:
        return ", ".join(f'{alias}."{c}" AS "{prefix}{c}"' for c in model._meta.fields_db_projection.values())

    return (
        f"SELECT {columns(OrderEvent, 'e', '')}, {columns(Order, 'o', 'order.')}, "
        f"{columns(SentEmail, 's', 'sent.')}, {columns(OrderLine, 'l', 'line.')} "
        'FROM order_event e JOIN "order" o ON o.id = e.order_id '
        "LEFT JOIN sent_email s ON s.event_id = e.id AND s.recipient = :recipient AND s.template = :template_name "
        "LEFT JOIN order_line l ON l.order_id = o.id "
        "WHERE e.id = :event_id ORDER BY l.position, l.id"
    )


async def event_order_and_sent(
    event_id: int, recipient: str, template: str
) -> tuple[OrderEvent, Order, SentEmail | None, list[OrderLine] | None] | None:
    """The event, its order, the mail of (event, recipient, template) if one was written
    and the order's lines by position (None on SQLite: prepare_context reads them); None
    when the event is gone."""
    if get_connection("default").capabilities.dialect != "postgres":
        found = await event_and_order(event_id)
        if found is None:
            return None
        event, order = found
        sent = await SentEmail.get_or_none(event_id=event.id, recipient=recipient, template=template)
        return event, order, sent, None
    rows = await sql.fetch(_statement(), event_id=event_id, recipient=recipient, template_name=template)
    if not rows:
        return None
    lines = []
    for row in rows:
        line = {key[5:]: value for key, value in row.items() if key.startswith("line.")}
        if line["id"] is not None:
            lines.append(OrderLine._init_from_db(**line))
    parts: dict[str, dict] = {"": {}, "order.": {}, "sent.": {}, "line.": {}}
    for key, value in rows[0].items():
        prefix = key[: key.index(".") + 1] if "." in key else ""
        parts[prefix][key[len(prefix) :]] = value
    event = OrderEvent._init_from_db(**parts[""])
    order = Order._init_from_db(**parts["order."])
    object.__setattr__(event, "_order", order)
    sent = SentEmail._init_from_db(**parts["sent."]) if parts["sent."]["id"] is not None else None
    return event, order, sent, lines
