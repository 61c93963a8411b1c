import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.orders.models import Order


class PaymentState(str, enum.Enum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"


class Payment(Model):
    """One attempt to collect an order's money through a gateway (a Stripe PaymentIntent,
    or a manual payment recorded by staff)."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="payments", on_delete=fields.RESTRICT
    )
    gateway = fields.CharField(max_length=32)
    # The gateway's id (PaymentIntent id); a staff reference for manual payments.
    external_id = fields.CharField(max_length=255, null=True)
    amount = fields.DecimalField(max_digits=14, decimal_places=2)
    currency = fields.CharField(max_length=3)
    state = fields.CharEnumField(PaymentState, max_length=16, default=PaymentState.PENDING)
    failure_message = fields.TextField(null=True)
    # The gateway's customer (a Stripe Customer) the payment was made as, and the payment
    # method it saved there for later off-session charges (renewals); from the gateway.
    customer_ref = fields.CharField(max_length=255, null=True)
    payment_method_ref = fields.CharField(max_length=255, null=True)
    # Charged by oms without the customer present (a renewal): confirmed once, so its
    # outcome is recorded when the gateway answers and its webhook adds nothing.
    off_session = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    order_id: int

    class Meta:
        table = "payment"
        unique_together = (("gateway", "external_id"),)
        # An order's payments (payment sessions, refunds, the DataLoader).
        indexes = (("order",),)


class ProcessedWebhook(Model):
    """A gateway event already handled: written in the transaction of its effect, so a
    redelivered event has no second effect."""

    id = fields.IntField(primary_key=True)
    gateway = fields.CharField(max_length=32)
    event_id = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=100)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_webhook"


class RefundStatus(str, enum.Enum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Refund(Model):
    """Money given back for an order: through the gateway of the payment refunded (a
    Stripe Refund, created by the ``payment.refund`` job), or paid out by hand and
    recorded by staff with a reference. Only :mod:`oms.payments.refunds` changes
    ``status``, and only from PENDING (a guarded UPDATE), so a retried job or a
    redelivered webhook moves it once."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="refunds", on_delete=fields.RESTRICT
    )
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refunds", null=True, on_delete=fields.RESTRICT
    )
    amount = fields.DecimalField(max_digits=14, decimal_places=2)
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(RefundStatus, max_length=16, default=RefundStatus.PENDING)
    reason = fields.TextField(null=True)
    # The gateway's refund id (a Stripe re_...), or the staff's reference for a refund
    # made outside the gateways.
    external_id = fields.CharField(max_length=255, null=True)
    # Who asked for it: a staff email, a customer email (a return), "system".
    actor = fields.CharField(max_length=254)
    failure_message = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    order_id: int
    payment_id: int | None

    class Meta:
        table = "refund"
        # An order's refunds (refundable(), the DataLoader); a payment's (what is left of
        # it); a webhook's refund found by the gateway's id.
        indexes = (("order",), ("payment",), ("external_id",))
