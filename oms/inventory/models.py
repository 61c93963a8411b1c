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

    variant_id: int
    warehouse_id: int

    class Meta:
        table = "stock"
        unique_together = (("variant", "warehouse"),)
        # The unique index above leads with variant; the warehouse foreign key needs its own.
        indexes = (("warehouse",),)
