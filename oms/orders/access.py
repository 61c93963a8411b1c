"""Who may see or act on an order: staff with MANAGE_ORDERS, the owning customer, or
whoever holds the order's token (guests)."""

from __future__ import annotations

import hmac

from oms.accounts.permissions import Permission, Viewer
from oms.orders.models import Order


def token_matches(order: Order, token: str | None) -> bool:
    if not token:
        return False
    return hmac.compare_digest(order.token.encode(), token.encode())


def can_access(viewer: Viewer, order: Order, token: str | None = None) -> bool:
    if viewer.has(Permission.MANAGE_ORDERS):
        return True
    if viewer.customer is not None and order.customer_id == viewer.customer.id:
        return True
    return token_matches(order, token)


async def find_order(viewer: Viewer, *, order_id: int | None, token: str | None) -> Order | None:
    """The order the viewer may see, or None: a denied read looks like a missing order."""
    if order_id is not None:
        order = await Order.get_or_none(id=order_id)
        if order is None:
            return None
        if token and not token_matches(order, token):
            return None
        return order if can_access(viewer, order, token) else None
    if token:
        order = await Order.get_or_none(token=token)
        return order if order is not None and token_matches(order, token) else None
    return None
