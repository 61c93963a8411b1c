"""Fulfillments: what each plugin delivered of an order, with its plugin-shaped details.

``Fulfillment.details`` is the ``FulfillmentDetails`` union. Its members are not known
here: plugins contribute them through the ``oms_graphql_types`` hook, and
:func:`detail_union_members` sets them while a schema is being built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator, Sequence

import strawberry
from strawberry.types.union import StrawberryUnion
from strawberry.annotation import StrawberryAnnotation

from oms.fulfillment import models as fulfillment_models
from oms.fulfillment.models import FulfillmentStatus as DomainFulfillmentStatus
from oms.graphql.common import Node, UserError, to_global_id
from oms.graphql.context import Info
from oms.graphql.orders import Order, OrderLine
from oms.plugins import await_me_maybe

FulfillmentStatus = strawberry.enum(DomainFulfillmentStatus, name="FulfillmentStatus")

FULFILLMENT_DETAILS = StrawberryUnion(
    name="FulfillmentDetails",
    description="How a fulfillment looks in its plugin's terms: a Shipment, a DigitalDelivery...",
)
_building = threading.Lock()


@contextlib.contextmanager
def detail_union_members(types: Sequence[type]) -> Iterator[None]:
    """Make ``types`` the members of ``FulfillmentDetails`` while a schema is built. The
    built schema keeps its own copy, so schemas with other plugins can coexist."""
    with _building:
        FULFILLMENT_DETAILS.type_annotations = tuple(StrawberryAnnotation(t) for t in types)
        try:
            yield
        finally:
            FULFILLMENT_DETAILS.type_annotations = ()


@strawberry.type
class FulfillmentLine:
    order_line: OrderLine
    quantity: int


@strawberry.type(description="Delivery of some lines of one product type, carried out by that type's plugin.")
class Fulfillment(Node):
    model: strawberry.Private[fulfillment_models.Fulfillment]
    id: strawberry.ID
    product_type: str
    status: FulfillmentStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    delivered_at: dt.datetime | None

    @classmethod
    def from_model(cls, fulfillment: fulfillment_models.Fulfillment) -> Fulfillment:
        return cls(
            model=fulfillment,
            id=to_global_id("Fulfillment", fulfillment.id),
            product_type=fulfillment.product_type,
            status=fulfillment.status,
            created_at=fulfillment.created_at,
            updated_at=fulfillment.updated_at,
            delivered_at=fulfillment.delivered_at,
        )

    @strawberry.field
    async def lines(self, info: Info) -> list[FulfillmentLine]:
        rows = await info.context.loaders.lines_by_fulfillment.load(self.model.id)
        lines = await info.context.loaders.order_line.load_many([row.order_line_id for row in rows])
        return [
            FulfillmentLine(order_line=OrderLine.from_model(line), quantity=row.quantity)
            for row, line in zip(rows, lines, strict=True)
            if line is not None
        ]

    @strawberry.field(description="The plugin's view of this fulfillment; null when no plugin describes it.")
    async def details(self, info: Info) -> FULFILLMENT_DETAILS | None:  # type: ignore[valid-type]
        for detail_type in getattr(info.schema, "fulfillment_detail_types", ()):
            found = await await_me_maybe(detail_type.from_fulfillment(self.model))
            if found is not None:
                return found
        return None


@strawberry.type
class FulfillmentPayload:
    fulfillment: Fulfillment | None = None
    order: Order | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
