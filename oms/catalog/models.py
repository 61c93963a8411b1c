from typing import Any

from tortoise import fields
from tortoise.models import Model


class Product(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=200, unique=True)
    description = fields.TextField(null=True)
    # An open string owned by exactly one plugin (``physical``, ``digital``...).
    product_type = fields.CharField(max_length=64, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # The tax class of its variants (None: its product type's, e.g. "standard").
    tax_class = fields.CharField(max_length=64, null=True)

    variants: fields.ReverseRelation["Variant"]
    # Catalog editing (issue 13): an archived product is kept for the orders that reference
    # it but hidden from the public catalog and not orderable; an unpublished one is a draft.
    archived_at = fields.DatetimeField(null=True)
    published = fields.BooleanField(default=True)

    @property
    def on_sale(self) -> bool:
        """Shown to the public and orderable: published and not archived."""
        return self.published and self.archived_at is None

    class Meta:
        table = "product"
        ordering = ["id"]
        # products(sort: NAME / CREATED) pages walk these (the id breaks ties).
        indexes = (("name", "id"), ("created_at", "id"))


class Variant(Model):
    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="variants", on_delete=fields.CASCADE
    )
    sku = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    price = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    # Plugin-owned data (a file, a plan interval, a session length, a weight), validated
    # against the owning plugin's schema. Only keys the plugin marks public are shown.
    attributes: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The tax class of this variant (None: its product's).
    tax_class = fields.CharField(max_length=64, null=True)

    # A removed variant that orders reference is archived instead: hidden, not orderable.
    archived_at = fields.DatetimeField(null=True)
    # Off: placement reserves no stock for it and it is never out of stock, even when its
    # type tracks stock (one rule: oms.inventory.services.tracks_stock).
    track_stock = fields.BooleanField(default=True)

    product_id: int

    class Meta:
        table = "variant"
        ordering = ["id"]
        # A product's variants (the DataLoader), and deleting a product (CASCADE).
        indexes = (("product",),)
