import enum

from tortoise import fields
from tortoise.models import Model


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
    order = fields.ForeignKeyField("models.Order", related_name="deliveries", on_delete=fields.CASCADE)
    product_type = fields.CharField(max_length=64)
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    order_id: int

    class Meta:
        table = "delivery"
        unique_together = (("order", "product_type"),)
