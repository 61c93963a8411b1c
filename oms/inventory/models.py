from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.catalog.models import Variant

DEFAULT_WAREHOUSE_CODE = "default"


class Warehouse(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    # The ship-from address (printed on labels).
    address: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    # Placement reserves a line from the first warehouse, by (priority, id), that holds
    # enough units for the whole line (oms.inventory.services.reserve).
    priority = fields.IntField(default=0)

    class Meta:
        table = "warehouse"


class Stock(Model):
    """Units of one variant in one warehouse.

    ``quantity`` is on hand; ``reserved`` is held by unshipped orders. Available is
    ``quantity - reserved``; every change is one conditional UPDATE so it never goes negative.
    """

    id = fields.IntField(primary_key=True)
    variant: fields.ForeignKeyRelation["Variant"] = fields.ForeignKeyField(
        "models.Variant", related_name="stocks", on_delete=fields.CASCADE
    )
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "models.Warehouse", related_name="stocks", on_delete=fields.RESTRICT
    )
    quantity = fields.IntField(default=0)
    reserved = fields.IntField(default=0)

    # At or below this many available units the row is "low" (staff query lowStock);
    # None: the store's OMS_LOW_STOCK_THRESHOLD.
    low_stock_threshold = fields.IntField(null=True)

    variant_id: int
    warehouse_id: int

    class Meta:
        table = "stock"
        unique_together = (("variant", "warehouse"),)
        # The unique index above leads with variant; the warehouse foreign key needs its own.
        indexes = (("warehouse",),)


class StockAdjustment(Model):
    """One change of units on hand made by staff (adjustStock, setStock): the audit trail.

    The sku is kept as it was, so the trail outlives a deleted variant.
    """

    id = fields.IntField(primary_key=True)
    variant: fields.ForeignKeyNullableRelation["Variant"] = fields.ForeignKeyField(
        "models.Variant", related_name="stock_adjustments", null=True, on_delete=fields.SET_NULL
    )
    sku = fields.CharField(max_length=64)
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "models.Warehouse", related_name="stock_adjustments", on_delete=fields.RESTRICT
    )
    delta = fields.IntField()
    reason = fields.CharField(max_length=500)
    quantity_after = fields.IntField()
    actor = fields.CharField(max_length=254)
    created_at = fields.DatetimeField(auto_now_add=True)

    variant_id: int | None
    warehouse_id: int

    class Meta:
        table = "stock_adjustment"
        # The trail of one sku or one warehouse, newest first; the variant key for its deletion.
        indexes = (("sku", "id"), ("warehouse", "id"), ("variant",))
