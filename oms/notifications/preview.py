"""``oms email preview ORDER EVENT``: what the mails about an order's event look like, for
template authors. Nothing is sent or written."""

from __future__ import annotations

import dataclasses

from oms.config import Settings
from oms.errors import DomainError, ErrorCode
from oms.notifications.messages import (
    ALL_MESSAGES,
    CUSTOMER_MESSAGES,
    STAFF,
    STAFF_MESSAGES,
    planned_messages,
    plugin_messages,
)
from oms.notifications.rendering import Rendered, renderer_for
from oms.notifications.sending import render_message
from oms.orders.models import Order, OrderEvent
from oms.plugin_types import EmailAttachment
from oms.plugins import PluginHost


@dataclasses.dataclass(frozen=True)
class Preview:
    recipient: str
    message: str
    rendered: Rendered
    attachments: list[EmailAttachment]


async def preview(order_number: str, what: str, *, settings: Settings, plugins: PluginHost) -> list[Preview]:
    """The mails of ``order_number``'s latest event of type ``what`` (``order.paid``), or
    the one message named ``what`` (``shipped``) about its latest event, or about a stand-in
    event with no data when the order has none of that type."""
    order = await Order.get_or_none(number=order_number)
    if order is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No order {order_number}.", ["order"])
    if what in ALL_MESSAGES:
        types = [t for t, m in {**CUSTOMER_MESSAGES, **STAFF_MESSAGES}.items() if m == what] or ["email.failed"]
        event = await OrderEvent.filter(order_id=order.id, type__in=types).order_by("-id").first()
        event = event or OrderEvent(id=0, order_id=order.id, type=types[0], message="(an example event)", data={})
        recipient = STAFF if what.startswith("staff_") else order.email
        wanted = [(recipient, what)]
    else:
        event = await OrderEvent.filter(order_id=order.id, type=what).order_by("-id").first()
        if event is None:
            event = OrderEvent(id=0, order_id=order.id, type=what, message="(an example event)", data={})
        wanted = [(p.recipient, p.message) for p in planned_messages(order, event)]
        wanted += [(order.email, name) for name in await plugin_messages(order, event, settings, plugins)]
    renderer = renderer_for(settings, plugins)
    previews = []
    for recipient, message in wanted:
        to = (settings.staff_email or "staff (OMS_STAFF_EMAIL)") if recipient == STAFF else recipient
        rendered, prepared = await render_message(
            order, event, message, to, settings=settings, plugins=plugins, renderer=renderer
        )
        previews.append(Preview(to, message, rendered, prepared.attachments))
    return previews
