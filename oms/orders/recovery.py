"""A guest who lost the answer to ``placeOrder`` gets the order back by email.

A guest's idempotency key is scoped to the email address it came with, but keys are often
guessable ("checkout-1"), and a guest's email and cart are no secret either: a repeated
guest placement must not hand anyone the order's token. So the repeat is answered with
ORDER_ALREADY_PLACED and nothing of the order, and a link to the order goes to the email
address it was placed with, where only the real buyer reads it (at most one such mail per
order every :data:`LINK_INTERVAL`, however often the placement is repeated).
"""

from __future__ import annotations

import datetime as dt
import logging

from tortoise.transactions import in_transaction

from oms.clock import utcnow
from oms.config import Settings
from oms.jobs.services import enqueue
from oms.notifications.mail import Mailer, new_message
from oms.orders.events import record_event
from oms.orders.models import Order, OrderEvent

logger = logging.getLogger("oms.mail")

ORDER_LINK_JOB = "order.send_link"
LINK_REQUESTED = "order.link_requested"
LINK_INTERVAL = dt.timedelta(minutes=15)


async def request_order_link(order: Order) -> bool:
    """Queue the email with ``order``'s link to its address, unless one was queued in the
    last :data:`LINK_INTERVAL`. True when a mail was queued."""
    async with in_transaction():
        current = await Order.select_for_update().get(id=order.id)
        recent = await OrderEvent.filter(
            order_id=current.id, type=LINK_REQUESTED, created_at__gte=utcnow() - LINK_INTERVAL
        ).exists()
        if recent:
            return False
        await record_event(
            current,
            LINK_REQUESTED,
            "The placement was repeated without its answer; a link to the order goes to its email address.",
            actor=None,
        )
        await enqueue(ORDER_LINK_JOB, {"order_id": current.id})
    return True


def order_link(settings: Settings, token: str) -> str | None:
    template = settings.storefront_order_url
    return template.replace("{token}", token) if template else None


async def send_order_link(order_id: int, *, settings: Settings, mailer: Mailer) -> None:
    """The ``order.send_link`` job: mail the order's link (or token) to its address."""
    order = await Order.get_or_none(id=order_id)
    if order is None:
        return
    link = order_link(settings, order.token)
    reach = (
        f"Follow it, pay for it or cancel it here:\n\n  {link}\n"
        if link
        else f"Its order token, which the store's order page asks for, is:\n\n  {order.token}\n"
    )
    subject = f"Your order {order.number}"
    text = (
        f"Hello,\n\nOrder {order.number} was placed with this email address, and the same order was "
        f"sent again without its answer reaching the sender.\n{reach}\n"
        "If you did not place this order, you can ignore this email.\n"
    )
    await mailer.send(new_message(settings, to=order.email, subject=subject, text=text))
    logger.info("order %s: mail %r sent to %s through %s", order.number, subject, order.email, mailer.describe())
    async with in_transaction():
        await record_event(
            order,
            "email.sent",
            f"Email '{subject}' sent to {order.email}.",
            actor=None,
            staff_only=True,
            data={"subject": subject},
        )
