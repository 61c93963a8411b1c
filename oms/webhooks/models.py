"""Webhook endpoints (where staff want events sent) and their deliveries (one per
endpoint and timeline event, with its attempts)."""

import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.orders.models import OrderEvent


class DeliveryStatus(str, enum.Enum):
    PENDING = "PENDING"  # not attempted yet, or waiting for an earlier delivery of its order
    SUCCEEDED = "SUCCEEDED"  # the receiver answered 2xx
    FAILED = "FAILED"  # the last attempt failed; another is due at next_attempt_at
    DEAD = "DEAD"  # every attempt failed; only a manual redelivery sends it again


FINAL_STATUSES = (DeliveryStatus.SUCCEEDED, DeliveryStatus.DEAD)


class WebhookEndpoint(Model):
    """A URL that receives the events of ``events`` ("*": all), signed with ``secret``.

    The secret is stored as is: the worker signs with it. It is shown once, when the
    endpoint is created, and never logged. ``failing_since`` is the first failed attempt
    since the last success; after a long enough run of failures the endpoint is disabled
    (``active`` false, ``disabled_reason`` says why)."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=500, null=True)
    events: fields.JSONField[list[str]] = fields.JSONField(default=list)
    secret = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    disabled_reason = fields.TextField(null=True)
    disabled_at = fields.DatetimeField(null=True)
    failing_since = fields.DatetimeField(null=True)
    created_by = fields.CharField(max_length=320, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_endpoint"

    def __str__(self) -> str:  # never the secret
        return f"WebhookEndpoint {self.id} ({self.url})"

    def wants(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events


class WebhookDelivery(Model):
    """One timeline event for one endpoint: its status and the outcome of the last attempt.

    Deliveries of one endpoint and order go out in the order of their events (a later one
    waits while an earlier one is PENDING or FAILED, at most :data:`oms.webhooks.delivery.MAX_ORDER_WAIT`)."""

    id = fields.BigIntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    event: fields.ForeignKeyRelation["OrderEvent"] = fields.ForeignKeyField(
        "models.OrderEvent", related_name=False, on_delete=fields.CASCADE
    )
    order_id = fields.IntField()
    event_type = fields.CharField(max_length=100)
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    response_code = fields.IntField(null=True)
    duration_ms = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)
    # An attempt in progress holds the delivery until then (a second job for it waits).
    locked_until = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint", "event"),)
        # The order-per-order check: earlier unfinished deliveries of one endpoint and order.
        # ("event",): deleting an order or its events cascades here through an index, not a scan.
        # ("endpoint", "id"): an endpoint's delivery log, newest first (oms.webhooks.services),
        # read from its own rows however old they are.
        indexes = (("endpoint", "order_id", "status"), ("event",), ("endpoint", "id"))

    endpoint_id: int
    event_id: int
