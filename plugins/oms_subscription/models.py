"""The subscription plugin's detail rows: one SubscriptionContract per subscribed line."""

import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.api.models import Customer, Fulfillment, Order, OrderLine, Variant


class SubscriptionStatus(str, enum.Enum):
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


class SubscriptionContract(Model):
    """A customer's subscription: the period paid for, and the renewal under way.

    ``access_key`` is what the subscribed software checks (``GET /entitlements/{key}``);
    ``anchor_day`` is the day of the month the subscription started on, so a monthly plan
    started on 31 January renews on the last day of February and then on 31 March.
    """

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="subscription_contracts", on_delete=fields.CASCADE
    )
    order_line: fields.ForeignKeyRelation["OrderLine"] = fields.ForeignKeyField(
        "models.OrderLine", related_name="subscription_contracts", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation["Customer"] = fields.ForeignKeyField(
        "models.Customer", related_name="subscription_contracts", null=True, on_delete=fields.SET_NULL
    )
    email = fields.CharField(max_length=254)
    variant: fields.ForeignKeyNullableRelation["Variant"] = fields.ForeignKeyField(
        "models.Variant", related_name="subscription_contracts", null=True, on_delete=fields.SET_NULL
    )
    sku = fields.CharField(max_length=64)
    status = fields.CharEnumField(SubscriptionStatus, max_length=16, default=SubscriptionStatus.ACTIVE)
    interval = fields.CharField(max_length=8)
    interval_count = fields.IntField(default=1)
    anchor_day = fields.IntField()
    grace_days = fields.IntField(default=0)
    current_period_start = fields.DatetimeField()
    current_period_end = fields.DatetimeField(db_index=True)
    cancel_at_period_end = fields.BooleanField(default=False)
    access_key = fields.CharField(max_length=64, unique=True)
    # The renewal order awaiting payment, if any.
    renewal_order: fields.ForeignKeyNullableRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="renewed_subscriptions", null=True, on_delete=fields.SET_NULL
    )
    renewals = fields.IntField(default=0)
    charge_attempts = fields.IntField(default=0)
    last_charge_at = fields.DatetimeField(null=True)
    # When placing the renewal order last failed (the plan no longer prices): retried hourly.
    renewal_failed_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    order_id: int
    order_line_id: int
    customer_id: int | None
    variant_id: int | None
    renewal_order_id: int | None

    class Meta:
        table = "subscription_contract"
        # Foreign keys and lookups: by order line (reversal), a customer's contracts newest
        # first, the contract a renewal order pays (every paid order asks), by order and
        # variant (deleting a product sets it to NULL).
        indexes = (
            ("status", "current_period_end"),
            ("order",),
            ("order_line",),
            ("customer", "id"),
            ("variant",),
            ("renewal_order",),
        )


class SubscriptionPeriod(Model):
    """One period paid for: the first one, then one per paid renewal. Its fulfillment is
    the delivery of the order line that paid it."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation["SubscriptionContract"] = fields.ForeignKeyField(
        "models.SubscriptionContract", related_name="periods", on_delete=fields.CASCADE
    )
    fulfillment: fields.OneToOneRelation["Fulfillment"] = fields.OneToOneField(
        "models.Fulfillment", related_name="subscription_period", on_delete=fields.CASCADE
    )  # one fulfillment per subscription line
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="subscription_periods", on_delete=fields.CASCADE
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    contract_id: int
    fulfillment_id: int

    class Meta:
        table = "subscription_period"
        # A contract's periods (the saved payment method of its last one); by order.
        indexes = (("contract",), ("order",))
