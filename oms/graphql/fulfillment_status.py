"""``fulfillmentStatus``: one field, of one enum, on every ``FulfillmentDetails`` member.

Each member's own ``status`` has its own enum (``ShipmentStatus``, ``BookingStatus``...),
so a union query selecting ``status`` on every member needs aliases. Every member also has
``fulfillmentStatus: FulfillmentStatus!``, the core status of the fulfillment it details,
so a storefront selects it once for all kinds::

    details { __typename ... on Shipment { fulfillmentStatus } ... on Booking { fulfillmentStatus } }

A detail type declares it with :func:`fulfillment_status_field` and says which
fulfillment it details; the statuses of a request are read in one query.
"""

from __future__ import annotations

from typing import Any

from oms.fulfillment.models import Fulfillment as FulfillmentModel
from oms.graphql.context import Info
from oms.graphql.fulfillment import FulfillmentStatus

FULFILLMENT_STATUS_DESCRIPTION = (
    "The core status of the fulfillment this details (the same enum on every FulfillmentDetails member); "
    "PENDING while there is none yet."
)


async def _statuses(ids: list[int]) -> list[Any]:
    rows = await FulfillmentModel.filter(id__in=ids).values_list("id", "status")
    found = dict(rows)
    return [found.get(pk) for pk in ids]


async def fulfillment_status_of(info: Info, fulfillment_id: int | None) -> FulfillmentStatus:
    """The status of fulfillment ``fulfillment_id`` (None, or gone: PENDING), batched per request."""
    if fulfillment_id is None:
        return FulfillmentStatus.PENDING
    status = await info.context.loaders.batched(_statuses).load(fulfillment_id)
    return FulfillmentStatus(status) if status is not None else FulfillmentStatus.PENDING
