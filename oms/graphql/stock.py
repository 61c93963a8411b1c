"""GraphQL types of warehouses and stock (staff only): Warehouse, StockLevel and the
stock audit trail. Kept apart from oms.graphql.inventory so the catalog's Variant can
show its stock levels without an import cycle."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from oms.accounts.permissions import Permission
from oms.catalog.models import Variant as VariantModel
from oms.graphql.common import Address, Node, PageInfo, to_global_id
from oms.graphql.context import Info
from oms.inventory import models
from oms.inventory.low_stock import is_low

if TYPE_CHECKING:
    from oms.graphql.catalog import Variant

# Staff who may see and change warehouses and stock.
STOCK_PERMISSION = Permission.MANAGE_CATALOG


@strawberry.type(description="Where stock is kept; its address is the ship-from of labels for what leaves it.")
class Warehouse(Node):
    id: strawberry.ID
    code: str
    name: str
    address: Address | None
    priority: int = strawberry.field(
        description="Placement reserves a line from the first warehouse by (priority, id) that can fill it."
    )

    @classmethod
    def from_model(cls, warehouse: models.Warehouse) -> Warehouse:
        return cls(
            id=to_global_id("Warehouse", warehouse.id),
            code=warehouse.code,
            name=warehouse.name,
            address=Address.from_dict(warehouse.address),
            priority=warehouse.priority,
        )


async def _variant(info: Info, variant_id: int | None) -> Variant | None:
    from oms.graphql.catalog import Variant  # the catalog's type; it imports this module

    if variant_id is None:
        return None
    variant = await info.context.loaders.batched(_variants).load(variant_id)
    return Variant.from_model(variant) if variant is not None else None


async def _variants(ids: list[int]) -> list[VariantModel | None]:
    found = {v.id: v for v in await VariantModel.filter(id__in=ids)}
    return [found.get(i) for i in ids]


@strawberry.type(description="Units of one variant in one warehouse.")
class StockLevel:
    model: strawberry.Private[models.Stock]
    default_threshold: strawberry.Private[int]
    warehouse: Warehouse
    quantity: int = strawberry.field(description="Units on hand.")
    reserved: int = strawberry.field(description="Units held for orders not shipped yet.")
    available: int = strawberry.field(description="On hand minus reserved: what can still be ordered.")
    low_stock_threshold: int | None = strawberry.field(
        description="This row's own threshold; null: the store's default (OMS_LOW_STOCK_THRESHOLD)."
    )
    is_low: bool = strawberry.field(description="Available units are at or below the threshold.")

    @classmethod
    def from_model(cls, stock: models.Stock, default_threshold: int) -> StockLevel:
        return cls(
            model=stock,
            default_threshold=default_threshold,
            warehouse=Warehouse.from_model(stock.warehouse),
            quantity=stock.quantity,
            reserved=stock.reserved,
            available=stock.quantity - stock.reserved,
            low_stock_threshold=stock.low_stock_threshold,
            is_low=is_low(stock, default_threshold),
        )

    @strawberry.field
    async def variant(self, info: Info) -> Annotated[Variant, strawberry.lazy("oms.graphql.catalog")]:
        variant = await _variant(info, self.model.variant_id)
        assert variant is not None  # a stock row goes with its variant
        return variant


async def stock_rows_by_variant(variant_ids: list[int]) -> list[list[models.Stock]]:
    """Batch function (per-request loader): each variant's stock rows, warehouse order."""
    rows = await models.Stock.filter(variant_id__in=variant_ids).select_related("warehouse")
    rows.sort(key=lambda s: (s.warehouse.priority, s.warehouse_id))
    grouped: dict[int, list[models.Stock]] = {}
    for row in rows:
        grouped.setdefault(row.variant_id, []).append(row)
    return [grouped.get(i, []) for i in variant_ids]


async def stock_levels_of(info: Info, variant_id: int) -> list[StockLevel]:
    """``Variant.stockLevels``: staff only (PERMISSION_DENIED otherwise)."""
    info.context.require_permission(STOCK_PERMISSION)
    rows = await info.context.loaders.batched(stock_rows_by_variant).load(variant_id)
    threshold = info.context.settings.low_stock_threshold
    return [StockLevel.from_model(row, threshold) for row in rows]


@strawberry.type(description="One change of units on hand by staff (adjustStock, or setStock with reason 'set').")
class StockAdjustment(Node):
    model: strawberry.Private[models.StockAdjustment]
    id: strawberry.ID
    sku: str
    warehouse: Warehouse
    delta: int = strawberry.field(description="Units added (negative: removed).")
    reason: str
    quantity_after: int = strawberry.field(description="Units on hand right after the change.")
    actor: str = strawberry.field(description="Who made it.")
    created_at: dt.datetime

    @classmethod
    def from_model(cls, row: models.StockAdjustment) -> StockAdjustment:
        return cls(
            model=row,
            id=to_global_id("StockAdjustment", row.id),
            sku=row.sku,
            warehouse=Warehouse.from_model(row.warehouse),
            delta=row.delta,
            reason=row.reason,
            quantity_after=row.quantity_after,
            actor=row.actor,
            created_at=row.created_at,
        )

    @strawberry.field(description="Null once the variant is deleted (the sku stays).")
    async def variant(self, info: Info) -> Annotated[Variant, strawberry.lazy("oms.graphql.catalog")] | None:
        return await _variant(info, self.model.variant_id)


@strawberry.type
class StockAdjustmentEdge:
    node: StockAdjustment
    cursor: str


@strawberry.type
class StockAdjustmentConnection:
    edges: list[StockAdjustmentEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class StockLevelEdge:
    node: StockLevel
    cursor: str


@strawberry.type
class StockLevelConnection:
    edges: list[StockLevelEdge]
    page_info: PageInfo
    total_count: int
