"""The physical plugin's detail rows: one Shipment per parcel (a core Fulfillment)."""

import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.api.models import Fulfillment


class ShipmentStatus(str, enum.Enum):
    PENDING = "PENDING"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELED = "CANCELED"


class Shipment(Model):
    id = fields.IntField(primary_key=True)
    fulfillment: fields.OneToOneRelation["Fulfillment"] = fields.OneToOneField(
        "models.Fulfillment", related_name="shipment", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(ShipmentStatus, max_length=16, default=ShipmentStatus.PENDING)
    carrier = fields.CharField(max_length=32)
    carrier_name = fields.CharField(max_length=100)
    tracking_number = fields.CharField(max_length=100)
    tracking_url = fields.CharField(max_length=1000, null=True)
    weight_grams = fields.IntField(default=0)
    # The label is a few kB: kept in the database, so every API process can serve it.
    label_pdf = fields.BinaryField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    shipped_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)

    fulfillment_id: int

    class Meta:
        table = "physical_shipment"
