"""Product images: a content-addressed file under the media root, in the product's order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from oms.catalog.models import Product


class ProductImage(Model):
    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="images", on_delete=fields.CASCADE
    )
    # sha256 of the bytes: the file is images/<digest>.<ext> (never overwritten, so it
    # can be cached forever); two products may share one file.
    digest = fields.CharField(max_length=64)
    extension = fields.CharField(max_length=8)
    content_type = fields.CharField(max_length=32)
    width = fields.IntField()
    height = fields.IntField()
    alt = fields.CharField(max_length=300, default="")
    position = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    product_id: int

    @property
    def file_name(self) -> str:
        """The original's name under ``<media root>/images``."""
        return f"{self.digest}.{self.extension}"

    class Meta:
        table = "product_image"
        ordering = ["position", "id"]
        # A product's images in order (Product.images, the DataLoader); whether any row
        # still uses a file before it is deleted (oms.catalog.images.drop_unused_files).
        indexes = (("product", "position"), ("digest",))
