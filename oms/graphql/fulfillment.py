"""Fulfillments: what each plugin delivered of an order, with its plugin-shaped details.

``Fulfillment.details`` is the ``FulfillmentDetails`` union. Its members are not known
here: plugins contribute them through the ``oms_graphql_types`` hook, and the schema
builder adds the field of each schema with :func:`details_field`, made from that
schema's detail types (nothing here is mutated per schema).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, cast

import strawberry
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField
from strawberry.types.union import StrawberryUnion

from oms.fulfillment import models as fulfillment_models
from oms.fulfillment.models import FulfillmentStatus as DomainFulfillmentStatus
from oms.graphql.common import Node, UserError, to_global_id
from oms.graphql.context import Info
from oms.graphql.orders import Order, OrderLine
from oms.plugins import await_me_maybe

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainFulfillmentStatus, name="FulfillmentStatus")
FulfillmentStatus = DomainFulfillmentStatus

DETAILS_DESCRIPTION = "The plugin's view of this fulfillment; null when no plugin describes it."


class _DescribesOne(Protocol):
    """A plugin's detail type that describes one fulfillment at a time."""

    def from_fulfillment(self, fulfillment: fulfillment_models.Fulfillment) -> Any: ...


def details_field(detail_types: Sequence[type]) -> StrawberryField:
    """``Fulfillment.details`` of one schema: the ``FulfillmentDetails`` union of
    ``detail_types``, resolved for all the fulfillments of a request at once.

    Each detail type answers a whole batch with ``from_fulfillments(fulfillments)`` (one
    query per type per request), or one fulfillment at a time with ``from_fulfillment``;
    the first type to answer for a fulfillment describes it."""
    union = StrawberryUnion(
        name="FulfillmentDetails",
        type_annotations=tuple(StrawberryAnnotation(t) for t in detail_types),
        description="How a fulfillment looks in its plugin's terms: a Shipment, a DigitalDelivery...",
    )
    types = tuple(detail_types)

    async def load(fulfillments: list[fulfillment_models.Fulfillment]) -> list[Any]:
        found: list[Any] = [None] * len(fulfillments)
        for detail_type in types:
            pending = [i for i, answer in enumerate(found) if answer is None]
            if not pending:
                break
            rows = [fulfillments[i] for i in pending]
            batch = getattr(detail_type, "from_fulfillments", None)
            if batch is not None:
                answers = list(await await_me_maybe(batch(rows)))
            else:
                # The contract of a detail type without from_fulfillments (hookspecs.oms_graphql_types).
                one = cast(_DescribesOne, detail_type).from_fulfillment
                answers = [await await_me_maybe(one(row)) for row in rows]
            for i, answer in zip(pending, answers, strict=True):
                found[i] = answer
        return found

    async def details(root: Fulfillment, info: Info) -> Any:
        loader = info.context.loaders.batched(load, cache_key_fn=lambda row: row.id)
        return await loader.load(root.model)

    field = strawberry.field(resolver=details, description=DETAILS_DESCRIPTION, graphql_type=StrawberryOptional(union))
    field.python_name = "details"
    return field


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


@strawberry.type
class FulfillmentPayload:
    fulfillment: Fulfillment | None = None
    order: Order | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
