"""The physical plugin's part of the GraphQL schema: the ``Shipment`` member of
``FulfillmentDetails``, and the ``createShipment`` / ``markShipmentDelivered`` mutations.

Like every mutation: parse the input, check the permission, call one service, map a
DomainError to ``userErrors``.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from itsdangerous import URLSafeTimedSerializer

from oms.api import DomainError, ErrorCode, Permission
from oms.api.graphql import (
    FULFILLMENT_STATUS_DESCRIPTION,
    Fulfillment,
    FulfillmentPayload,
    FulfillmentStatus,
    Info,
    Order,
    fulfillment_status_of,
    mutation,
    parse_id,
)
from oms.api.models import Fulfillment as FulfillmentModel
from oms.api.models import Order as OrderModel
from oms_physical import services
from oms_physical.models import Shipment as ShipmentModel
from oms_physical.models import ShipmentStatus as DomainShipmentStatus

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainShipmentStatus, name="ShipmentStatus")
ShipmentStatus = DomainShipmentStatus

LABEL_SALT = "oms.physical.label"
LABEL_URL_SECONDS = 3600


def label_signer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=LABEL_SALT)


@strawberry.type(description="A parcel: the physical plugin's fulfillment details.")
class Shipment:
    model: strawberry.Private[ShipmentModel]
    status: ShipmentStatus
    carrier: str | None
    carrier_name: str | None
    tracking_number: str | None
    tracking_url: str | None
    weight_grams: int
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None

    @strawberry.field(description=FULFILLMENT_STATUS_DESCRIPTION)
    async def fulfillment_status(self, info: Info) -> FulfillmentStatus:
        return await fulfillment_status_of(info, self.model.fulfillment_id)

    @classmethod
    async def from_fulfillments(cls, fulfillments: list[FulfillmentModel]) -> list[Shipment | None]:
        """The details of a page of fulfillments: one query for all their shipments."""
        ours = [f.id for f in fulfillments if f.product_type == services.TYPE_NAME]
        rows = await ShipmentModel.filter(fulfillment_id__in=ours) if ours else []
        found = {row.fulfillment_id: cls.from_model(row) for row in rows}
        return [found.get(f.id) for f in fulfillments]

    @classmethod
    async def from_fulfillment(cls, fulfillment: FulfillmentModel) -> Shipment | None:
        return (await cls.from_fulfillments([fulfillment]))[0]

    @classmethod
    def from_model(cls, shipment: ShipmentModel) -> Shipment:
        return cls(
            model=shipment,
            status=shipment.status,
            carrier=shipment.carrier,
            carrier_name=shipment.carrier_name,
            tracking_number=shipment.tracking_number,
            tracking_url=shipment.tracking_url,
            weight_grams=shipment.weight_grams,
            shipped_at=shipment.shipped_at,
            delivered_at=shipment.delivered_at,
        )

    @strawberry.field(
        description=f"URL of the shipping label PDF (staff only; signed, valid {LABEL_URL_SECONDS // 60} minutes)."
    )
    def label_url(self, info: Info) -> str | None:
        if not info.context.viewer.has(Permission.MANAGE_FULFILLMENT) or self.model.label_pdf is None:
            return None
        settings = info.context.settings
        token = label_signer(settings.secret_key).dumps(self.model.id)
        return f"{settings.public_url.rstrip('/')}/shipments/label/{token}"


@strawberry.input
class ShipmentLineInput:
    line_id: strawberry.ID
    quantity: int


@strawberry.input
class CreateShipmentInput:
    order_id: strawberry.ID
    lines: list[ShipmentLineInput]
    carrier: str | None = strawberry.field(
        default=None, description="A carrier code (default manual): manual, ups, usps, fedex, dhl or a plugin's."
    )
    tracking_number: str | None = None

    def to_request(self) -> services.ShipmentRequest:
        quantities: dict[int, int] = {}
        for index, line in enumerate(self.lines):
            line_id = parse_id(line.line_id, "OrderLine", ["input", "lines", str(index), "lineId"])
            if line_id in quantities:
                raise DomainError.of(
                    ErrorCode.INVALID, "This line is listed twice.", ["input", "lines", str(index), "lineId"]
                )
            quantities[line_id] = line.quantity
        return services.ShipmentRequest(
            order_id=parse_id(self.order_id, "Order", ["input", "orderId"]),
            quantities=quantities,
            carrier=self.carrier,
            tracking_number=self.tracking_number,
        )


async def _payload(fulfillment_id: int) -> FulfillmentPayload:
    record = await FulfillmentModel.get(id=fulfillment_id)
    order = await OrderModel.get(id=record.order_id)
    return FulfillmentPayload(fulfillment=Fulfillment.from_model(record), order=Order.from_model(order))


@strawberry.type
class ShippingMutation:
    @mutation(description="Staff: ship some units of physical lines.")
    async def create_shipment(self, info: Info, input: CreateShipmentInput) -> FulfillmentPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_FULFILLMENT)
        shipment = await services.create_shipment(
            input.to_request(), actor=context.viewer.actor, plugins=context.plugins
        )
        return await _payload(shipment.fulfillment_id)

    @mutation(description="Staff: the fulfillment (a shipment) reached the customer.")
    async def mark_shipment_delivered(self, info: Info, id: strawberry.ID) -> FulfillmentPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_FULFILLMENT)
        shipment = await services.mark_shipment_delivered(
            parse_id(id, "Fulfillment", ["id"]), actor=context.viewer.actor
        )
        return await _payload(shipment.fulfillment_id)
