"""The catalog's audit trail: who changed what (old -> new) and when.

Rows keep plain ids (no foreign keys), so the trail outlives a deleted product or variant.
Written in the same transaction as the change it records.
"""

from __future__ import annotations

import json
from typing import Any

from tortoise import fields
from tortoise.models import Model

from oms.pagination import Page, paginate


class CatalogChange(Model):
    id = fields.IntField(primary_key=True)
    product_id = fields.IntField()
    variant_id = fields.IntField(null=True)
    # The variant's sku at the time (a later rename or removal keeps the trail readable).
    sku = fields.CharField(max_length=64, null=True)
    # "price", "name", "slug", "archived", "created", "removed"...
    field = fields.CharField(max_length=32)
    # JSON text (a plain string is a valid value here; Tortoise's JSONField would parse it).
    old_value = fields.TextField(null=True)
    new_value = fields.TextField(null=True)
    # How the timeline names the viewer (a staff email), or "cli"/"system".
    actor = fields.CharField(max_length=254)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog_change"
        ordering = ["id"]
        # A product's trail, newest first (catalogChanges).
        indexes = (("product_id", "id"),)

    @property
    def old(self) -> Any:
        return json.loads(self.old_value) if self.old_value is not None else None

    @property
    def new(self) -> Any:
        return json.loads(self.new_value) if self.new_value is not None else None


def change(
    product_id: int,
    field: str,
    old: Any,
    new: Any,
    *,
    actor: str,
    variant_id: int | None = None,
    sku: str | None = None,
) -> CatalogChange:
    """An unsaved row; callers save a batch with :func:`record` inside their transaction."""
    return CatalogChange(
        product_id=product_id,
        variant_id=variant_id,
        sku=sku,
        field=field,
        old_value=_json(old),
        new_value=_json(new),
        actor=actor[:254],
    )


async def record(changes: list[CatalogChange]) -> None:
    if changes:
        await CatalogChange.bulk_create(changes)


def _json(value: Any) -> str | None:
    """JSON text: Decimal prices as strings ("12.50"), datetimes as ISO text; None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v), sort_keys=True)


async def list_changes(product_id: int, *, first: int | None, after_id: int | None) -> Page[CatalogChange]:
    """A product's changes, newest first."""
    return await paginate(CatalogChange.filter(product_id=product_id), first=first, after_id=after_id)
