"""``Subscription.orderUpdated``: the order, pushed after each committed change.

Who may subscribe is who may read the order (``Query.order``): staff with MANAGE_ORDERS
any order, a customer their own, anyone with the order's token that order. It is checked
again before every push (the token's session may have ended: logout, password change,
expiry), and a failed check ends the subscription with an error.

Each push re-reads the order (fresh DataLoaders), so it carries the order as it is now;
changes that come faster than a subscriber takes them are coalesced into one push
(:mod:`oms.live.hub`). A websocket holds at most
``settings.live_max_subscriptions_per_connection`` of them at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncGenerator

import strawberry

from oms.accounts.permissions import Viewer
from oms.accounts.services import viewer_from_token
from oms.dbfaults import is_unavailable
from oms.errors import DomainError, ErrorCode
from oms.graphql.common import parse_id
from oms.graphql.context import Context, Info
from oms.graphql.loaders import Loaders
from oms.graphql.orders import Order
from oms.live.hub import LiveHub
from oms.orders import access
from oms.orders import models as order_models

logger = logging.getLogger("oms.live")
# While the database is unavailable, a subscription tries again this often.
RETRY_SECONDS = 2.0

# Open live subscriptions by connection (the id of its context, which a websocket keeps).
_open: Counter[int] = Counter()


def _not_found() -> DomainError:
    return DomainError.of(ErrorCode.NOT_FOUND, "No such order, or you may not follow it.", ["id"])


def _hub(context: Context) -> LiveHub:
    hub = getattr(getattr(getattr(context.request, "app", None), "state", None), "live_hub", None)
    if not isinstance(hub, LiveHub):
        raise DomainError.of(ErrorCode.SERVICE_UNAVAILABLE, "Live updates are not running on this server.")
    return hub


async def _viewer(context: Context) -> Viewer:
    """The viewer as of now: the socket's token checked again (UNAUTHENTICATED once its
    session has ended or expired)."""
    if context.auth_error is not None:
        raise context.auth_error
    if context.token:
        context.viewer = await viewer_from_token(context.token, secret=context.settings.secret_key)
    return context.viewer


async def _readable(viewer: Viewer, order_id: int | None, token: str | None) -> order_models.Order | None:
    return await access.find_order(viewer, order_id=order_id, token=token)


def _may_see(viewer: Viewer, order: order_models.Order, token: str | None) -> bool:
    """What :func:`oms.orders.access.find_order` checks, on an order already read."""
    if token and not access.token_matches(order, token):
        return False
    return access.can_access(viewer, order, token)


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description=(
            "Pushes the order each time it changes. Customers: own orders; guests: with the token; "
            "staff (MANAGE_ORDERS): any. Access is checked again before every push."
        )
    )
    async def order_updated(
        self, info: Info, id: strawberry.ID | None = None, token: str | None = None
    ) -> AsyncGenerator[Order, None]:
        context = info.context
        hub = _hub(context)
        if id is None and not token:
            raise DomainError.of(ErrorCode.REQUIRED, "Give the order's id, or its token.", ["id"])
        order_id = parse_id(id, "Order", ["id"]) if id is not None else None
        connection = id_of(context)
        limit = context.settings.live_max_subscriptions_per_connection
        if _open[connection] >= limit:
            raise DomainError.of(
                ErrorCode.INVALID,
                f"At most {limit} live subscriptions per connection: complete one, or open another connection.",
            )
        _open[connection] += 1  # counted from here, so concurrent subscribes cannot pass the cap together
        try:
            viewer = await _viewer(context)
            order = await context.find_by_token(token, lambda: _readable(viewer, order_id, token), ["token"])
            if order is None:
                raise _not_found()
            order_pk = order.id
            with hub.subscribe(order_pk) as subscriber:
                while True:
                    await subscriber.next_change()
                    try:
                        viewer = await _viewer(context)
                        # One read per change, shared by this process's subscribers of the order.
                        current = await hub.read(order_pk, lambda: order_models.Order.get_or_none(id=order_pk))
                    except Exception as exc:
                        if not is_unavailable(exc):
                            raise
                        # A database outage ends no subscription: read again a little later.
                        logger.warning("live update of order %s delayed: database unavailable", order_pk)
                        await asyncio.sleep(RETRY_SECONDS)
                        subscriber.changed()
                        continue
                    if current is None or not _may_see(viewer, current, token):
                        raise _not_found()  # deleted, or no longer this viewer's
                    # Fields read through DataLoaders: load what is there now.
                    context.loaders = Loaders.create()
                    yield Order.from_model(current)
        finally:
            _open[connection] -= 1
            if _open[connection] <= 0:
                del _open[connection]


def id_of(context: Context) -> int:
    """The connection a subscription belongs to (a websocket keeps one context)."""
    return id(context)
