"""Warehouses and stock for staff (MANAGE_CATALOG): the warehouses, stock adjustments
with their audit trail, and what is low."""

from __future__ import annotations

import strawberry

from oms.graphql.catalog import StockPayload, Variant
from oms.graphql.common import AddressInput, Node, UserError, connection, decode_cursor, parse_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.stock import (
    STOCK_PERMISSION,
    StockAdjustment,
    StockAdjustmentConnection,
    StockAdjustmentEdge,
    StockLevel,
    StockLevelConnection,
    StockLevelEdge,
    Warehouse,
)
from oms.inventory import adjustments, models, warehouses
from oms.inventory import low_stock as low_stock_service


@strawberry.input
class WarehouseInput:
    code: str
    name: str
    address: AddressInput | None = None
    priority: int | None = strawberry.field(
        default=None,
        description="Lower first when placement picks a warehouse (ties: the older one); kept when omitted, 0 new.",
    )

    def to_data(self) -> warehouses.WarehouseData:
        return warehouses.WarehouseData(
            code=self.code,
            name=self.name,
            address=self.address.to_dict() if self.address is not None else None,
            priority=self.priority,
        )


@strawberry.type
class WarehousePayload:
    warehouse: Warehouse | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AdjustStockInput:
    sku: str
    warehouse: str | None = strawberry.field(
        default=None, description="Warehouse code; the default warehouse when omitted."
    )
    delta: int = strawberry.field(description="Units to add (negative to remove).")
    reason: str


@strawberry.input
class SetLowStockThresholdInput:
    sku: str
    warehouse: str | None = strawberry.field(
        default=None, description="Warehouse code; the default warehouse when omitted."
    )
    threshold: int | None = strawberry.field(
        default=None, description="Low at or below this many available units; null: the store's default."
    )


async def warehouse_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a Warehouse id: staff with MANAGE_CATALOG only."""
    if not info.context.viewer.has(STOCK_PERMISSION):
        return None
    warehouse = await models.Warehouse.get_or_none(id=pk)
    return Warehouse.from_model(warehouse) if warehouse else None


@strawberry.type
class InventoryQuery:
    @strawberry.field(description="Staff: every warehouse, in the order placement tries them.")
    async def warehouses(self, info: Info) -> list[Warehouse]:
        info.context.require_permission(STOCK_PERMISSION)
        return [Warehouse.from_model(w) for w in await warehouses.list_warehouses()]

    @strawberry.field(description="Staff: the stock audit trail, newest first; of one sku and/or warehouse code.")
    async def stock_adjustments(
        self,
        info: Info,
        sku: str | None = None,
        warehouse: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> StockAdjustmentConnection:
        info.context.require_permission(STOCK_PERMISSION)
        page = await adjustments.list_adjustments(
            sku=sku, warehouse_code=warehouse, first=first, after_id=decode_cursor(after)
        )
        return connection(StockAdjustmentConnection, StockAdjustmentEdge, page, StockAdjustment.from_model)

    @strawberry.field(
        description="Staff: stock rows whose available units are at or below their threshold, oldest row first."
    )
    async def low_stock(self, info: Info, first: int | None = None, after: str | None = None) -> StockLevelConnection:
        info.context.require_permission(STOCK_PERMISSION)
        threshold = info.context.settings.low_stock_threshold
        page = await low_stock_service.low_stock(
            default_threshold=threshold, first=first, after_id=decode_cursor(after)
        )
        return connection(StockLevelConnection, StockLevelEdge, page, lambda s: StockLevel.from_model(s, threshold))


@strawberry.type
class InventoryMutation:
    @mutation(description="Staff.")
    async def create_warehouse(self, info: Info, input: WarehouseInput) -> WarehousePayload:
        info.context.require_permission(STOCK_PERMISSION)
        warehouse = await warehouses.create_warehouse(input.to_data())
        return WarehousePayload(warehouse=Warehouse.from_model(warehouse))

    @mutation(description="Staff.")
    async def update_warehouse(self, info: Info, id: strawberry.ID, input: WarehouseInput) -> WarehousePayload:
        info.context.require_permission(STOCK_PERMISSION)
        warehouse = await warehouses.update_warehouse(parse_id(id, "Warehouse", ["id"]), input.to_data())
        return WarehousePayload(warehouse=Warehouse.from_model(warehouse))

    @mutation(description="Staff: add or remove units with a reason (kept on an audit trail).")
    async def adjust_stock(self, info: Info, input: AdjustStockInput) -> StockPayload:
        context = info.context
        context.require_permission(STOCK_PERMISSION)
        adjustment = await adjustments.adjust_stock(
            sku=input.sku,
            warehouse_code=input.warehouse,
            delta=input.delta,
            reason=input.reason,
            actor=context.viewer.actor,
            plugins=context.plugins,
        )
        await adjustment.fetch_related("variant")
        assert adjustment.variant is not None  # adjusted just now
        return StockPayload(variant=Variant.from_model(adjustment.variant))

    @mutation(description="Staff: the low-stock threshold of one variant in one warehouse.")
    async def set_low_stock_threshold(self, info: Info, input: SetLowStockThresholdInput) -> StockPayload:
        info.context.require_permission(STOCK_PERMISSION)
        stock = await low_stock_service.set_low_stock_threshold(
            sku=input.sku, warehouse_code=input.warehouse, threshold=input.threshold, plugins=info.context.plugins
        )
        return StockPayload(variant=Variant.from_model(stock.variant))
