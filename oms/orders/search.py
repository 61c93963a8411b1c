"""Finding orders: the staff filter and the newest-first pages of ``orders`` and ``me.orders``."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import F, Q, Subquery

from oms.errors import DomainError, ErrorCode
from oms.orders.inputs import OrderFilter
from oms.orders.models import Order, OrderLine
from oms.orders.status import OrderStatus
from oms.pagination import Page, paginate


def _as_utc(moment: dt.datetime, field: str) -> dt.datetime:
    """SQLite compares datetimes as text: only one offset (UTC, as stored) orders correctly."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 has no UTC equivalent
        raise DomainError.of(ErrorCode.INVALID, "This date is out of range.", ["filter", field]) from None


def filter_orders(filters: OrderFilter | None):
    """The queryset of orders matching the staff filter."""
    qs = Order.all()
    if filters is None:
        return qs
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.payment_status:
        qs = qs.filter(payment_status__in=filters.payment_status)
    if filters.email:
        qs = qs.filter(email=filters.email.strip().lower())
    if filters.created_after:
        qs = qs.filter(created_at__gte=_as_utc(filters.created_after, "createdAfter"))
    if filters.created_before:
        qs = qs.filter(created_at__lt=_as_utc(filters.created_before, "createdBefore"))
    if filters.needs_review is not None:
        qs = qs.filter(needs_review=filters.needs_review)
    if filters.product_type:
        # Tortoise 1.x needs Subquery around a values() query used in `__in`.
        lines = OrderLine.filter(product_type=filters.product_type)
        qs = qs.filter(id__in=Subquery(lines.values("order_id")))
    if filters.awaiting_fulfillment is not None:
        waiting = OrderLine.annotate(left=F("quantity") - F("quantity_canceled") - F("quantity_allocated")).filter(
            left__gt=0, order__status__in=[OrderStatus.PROCESSING, OrderStatus.PARTIALLY_FULFILLED]
        )
        if filters.product_type:
            waiting = waiting.filter(product_type=filters.product_type)
        awaiting = Q(id__in=Subquery(waiting.values("order_id")))
        qs = qs.filter(awaiting if filters.awaiting_fulfillment else ~awaiting)
    if filters.search and filters.search.strip():
        term = filters.search.strip()
        matches = Q(email__icontains=term)
        # Exact matches only for a term that fits the column (the ORM refuses longer).
        if len(term.lstrip("#")) <= 32:
            matches |= Q(number=term.lstrip("#"))
        if len(term) <= 64:
            matches |= Q(id__in=Subquery(OrderLine.filter(sku=term).values("order_id")))
        qs = qs.filter(matches)
    return qs


async def list_orders(
    *, filters: OrderFilter | None, first: int | None, after_id: int | None, customer_id: int | None = None
) -> Page[Order]:
    """Orders newest first; ``customer_id`` limits them to one customer's."""
    qs = filter_orders(filters)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return await paginate(qs, first=first, after_id=after_id)
