"""Discount codes (created by staff) and their redemptions (one per code and order)."""

import enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.accounts.models import Customer
    from oms.orders.models import Order


class DiscountKind(str, enum.Enum):
    PERCENTAGE = "PERCENTAGE"  # ``percentage`` % off the eligible lines
    AMOUNT = "AMOUNT"  # ``amount`` off the eligible lines (at most their total)
    FREE_SHIPPING = "FREE_SHIPPING"  # the chosen shipping method's price off


class DiscountCode(Model):
    """A code customers type at checkout. ``times_used`` counts the redemptions that were
    not released; it only moves by conditional UPDATEs (see :mod:`oms.discounts.apply`)."""

    id = fields.IntField(primary_key=True)
    # As staff typed it (shown back); ``code_key`` is its lower-cased form, unique, so codes
    # are unique case-insensitively and looked up by index.
    code = fields.CharField(max_length=64)
    code_key = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(DiscountKind, max_length=16)
    percentage = fields.DecimalField(max_digits=5, decimal_places=2, null=True)
    amount = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    currency = fields.CharField(max_length=3)
    minimum_subtotal = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    usage_limit = fields.IntField(null=True)
    usage_limit_per_customer = fields.IntField(null=True)
    times_used = fields.IntField(default=0)
    # Product types it applies to (all when empty), and optionally products by id (any
    # line whose type or product is listed is eligible; all lines when both are empty).
    product_types: fields.JSONField[list[str]] = fields.JSONField(default=list)
    product_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)
    created_by = fields.CharField(max_length=320, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    redemptions: fields.ReverseRelation["DiscountRedemption"]

    class Meta:
        table = "discount_code"

    def __str__(self) -> str:
        return f"DiscountCode {self.id} ({self.code})"


class DiscountRedemption(Model):
    """One use of a code by one order. ``released_at`` is set (once) when the order ended
    unpaid, giving the use back; per-customer limits count the unreleased rows."""

    id = fields.IntField(primary_key=True)
    code: fields.ForeignKeyRelation[DiscountCode] = fields.ForeignKeyField(
        "models.DiscountCode", related_name="redemptions", on_delete=fields.RESTRICT
    )
    order: fields.ForeignKeyRelation["Order"] = fields.ForeignKeyField(
        "models.Order", related_name="discount_redemptions", on_delete=fields.CASCADE
    )
    # Lower-cased, so a guest's uses count whatever the case they type.
    email = fields.CharField(max_length=254)
    customer: fields.ForeignKeyNullableRelation["Customer"] = fields.ForeignKeyField(
        "models.Customer", related_name="discount_redemptions", null=True, on_delete=fields.SET_NULL
    )
    released_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    code_id: int
    order_id: int
    customer_id: int | None

    class Meta:
        table = "discount_redemption"
        unique_together = (("code", "order"),)
        # The per-customer count reads (code, email) and (code, customer); release reads by order;
        # ("customer",): a deleted customer's redemptions are set to NULL without a scan.
        indexes = (("code", "email"), ("code", "customer"), ("order",), ("customer",))
