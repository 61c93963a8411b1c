import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.orders.models import Order, OrderLine


class DeliveryStatus(str, enum.Enum):
    PENDING = "PENDING"
    DONE = "DONE"
    FAILED = "FAILED"


class Delivery(Model):
    """That an order's lines of one product type were handed to the owning plugin.

    One row per (order, product type), written when the order is paid; the delivery job
    marks it DONE in the same transaction as the plugin's work, so a job run twice
    delivers once.
    """

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="deliveries", on_delete=fields.CASCADE
    )
    product_type = fields.CharField(max_length=64)
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    order_id: int

    class Meta:
        table = "delivery"
        unique_together = (("order", "product_type"),)


class FulfillmentStatus(str, enum.Enum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    DELIVERED = "DELIVERED"
    CANCELED = "CANCELED"
    FAILED = "FAILED"


class Fulfillment(Model):
    """Delivery of some units of an order's lines of one product type: a parcel, a set of
    download grants. Owned by the type's plugin, which keeps its detail rows (a Shipment,
    DownloadGrants) pointing here; the core keeps the units and the status."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="fulfillments", on_delete=fields.CASCADE
    )
    product_type = fields.CharField(max_length=64)
    status = fields.CharEnumField(FulfillmentStatus, max_length=16, default=FulfillmentStatus.PENDING)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    delivered_at = fields.DatetimeField(null=True)
    # The carrier's number of a parcel, set by the plugin that ships it: staff find the
    # order by it (oms.orders.search).
    tracking_number = fields.CharField(max_length=100, null=True, db_index=True)

    order_id: int
    lines: fields.ReverseRelation["FulfillmentLine"]

    class Meta:
        table = "fulfillment"
        indexes = (("order", "product_type"),)


class FulfillmentLine(Model):
    """Units of one order line in one fulfillment."""

    id = fields.IntField(primary_key=True)
    fulfillment: fields.ForeignKeyRelation["Fulfillment"] = fields.ForeignKeyField(
        "models.Fulfillment", related_name="lines", on_delete=fields.CASCADE
    )
    order_line: fields.ForeignKeyRelation["OrderLine"] = fields.ForeignKeyField(
        "models.OrderLine", related_name="fulfillment_lines", on_delete=fields.CASCADE
    )
    quantity = fields.IntField()

    fulfillment_id: int
    order_line_id: int

    class Meta:
        table = "fulfillment_line"
        # A fulfillment's lines (the DataLoader, delivery); an order line's fulfillments.
        indexes = (("fulfillment",), ("order_line",))
