"""Inventory: units on hand and reserved, changed only by conditional updates.

Available = quantity - reserved. Placing an order reserves; cancel or expiry releases;
shipping deducts; a received return restocks.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.expressions import F
from tortoise.functions import Sum

from oms import sql
from oms.errors import DomainError, ErrorCode
from oms.inventory.models import DEFAULT_WAREHOUSE_CODE, Stock, Warehouse

# Takes n units from the warehouse with the most available, in one statement. The outer
# condition is re-checked by PostgreSQL on the locked row, so two concurrent orders can
# never both take the last units.
_RESERVE = """
UPDATE stock SET reserved = reserved + :n
WHERE id = (
    SELECT id FROM stock
    WHERE variant_id = :variant AND quantity - reserved >= :n
    ORDER BY quantity - reserved DESC, id LIMIT 1
) AND quantity - reserved >= :n
RETURNING warehouse_id
"""
# On PostgreSQL a concurrent reservation can invalidate the row the subquery picked; a
# retry sees fresh data and tries the next warehouse.
_RESERVE_ATTEMPTS = 3


async def default_warehouse() -> Warehouse:
    warehouse = await Warehouse.get_or_none(code=DEFAULT_WAREHOUSE_CODE)
    if warehouse is None:
        warehouse, _ = await Warehouse.get_or_create(
            code=DEFAULT_WAREHOUSE_CODE, defaults={"name": "Default warehouse"}
        )
    return warehouse


async def ensure_stock_rows(variant_ids: list[int]) -> None:
    """Give stock-tracked variants a (zero) row in the default warehouse."""
    warehouse = await default_warehouse()
    existing = set(
        await Stock.filter(variant_id__in=variant_ids, warehouse=warehouse).values_list("variant_id", flat=True)
    )
    await Stock.bulk_create([Stock(variant_id=v, warehouse=warehouse) for v in variant_ids if v not in existing])


async def reserve(variant_id: int, quantity: int) -> int | None:
    """Reserve ``quantity`` units in one warehouse; its id, or None when none has enough."""
    for _ in range(_RESERVE_ATTEMPTS):
        rows = await sql.fetch(_RESERVE, n=quantity, variant=variant_id)
        if rows:
            return rows[0]["warehouse_id"]
        if not await Stock.filter(variant_id=variant_id).exists():
            return None
    return None


async def release(variant_id: int, warehouse_id: int, quantity: int) -> None:
    """Give back reserved units (cancel, expiry)."""
    await Stock.filter(variant_id=variant_id, warehouse_id=warehouse_id, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity
    )


async def deduct_shipped(variant_id: int, warehouse_id: int, quantity: int) -> bool:
    """Reserved units left the warehouse in a parcel: on hand and reserved both go down.
    False when fewer units are reserved there (the caller refuses the shipment)."""
    updated = await Stock.filter(
        variant_id=variant_id, warehouse_id=warehouse_id, reserved__gte=quantity, quantity__gte=quantity
    ).update(quantity=F("quantity") - quantity, reserved=F("reserved") - quantity)
    return bool(updated)


async def restock(variant_id: int, warehouse_id: int, quantity: int) -> bool:
    """Returned units are back on the shelf of the warehouse they left: on hand goes up.
    False when the variant has no stock row there (nothing to put them back into)."""
    updated = await Stock.filter(variant_id=variant_id, warehouse_id=warehouse_id).update(
        quantity=F("quantity") + quantity
    )
    return bool(updated)


async def set_stock(variant_id: int, quantity: int, warehouse_code: str | None = None) -> Stock:
    """Set units on hand; refuses to go below what is reserved for orders."""
    if quantity < 0:
        raise DomainError.of(ErrorCode.INVALID, "Units on hand cannot be negative.", ["quantity"])
    warehouse: Warehouse | None
    if warehouse_code is None:
        warehouse = await default_warehouse()
    else:
        warehouse = await Warehouse.get_or_none(code=warehouse_code)
        if warehouse is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, f"No warehouse {warehouse_code!r}.", ["warehouse"])
    updated = await Stock.filter(variant_id=variant_id, warehouse=warehouse, reserved__lte=quantity).update(
        quantity=quantity
    )
    if not updated:
        stock = await Stock.get_or_none(variant_id=variant_id, warehouse=warehouse)
        if stock is not None:
            raise DomainError.of(
                ErrorCode.INVALID,
                f"{stock.reserved} units are reserved for orders; on hand cannot be lower.",
                ["quantity"],
            )
        await Stock.create(variant_id=variant_id, warehouse=warehouse, quantity=quantity)
    return await Stock.get(variant_id=variant_id, warehouse=warehouse)


async def available_quantities(variant_ids: Iterable[int]) -> dict[int, int]:
    """Units that can still be ordered, per variant, summed over warehouses."""
    ids = list(variant_ids)
    rows = (
        await Stock.filter(variant_id__in=ids)
        .annotate(on_hand=Sum("quantity"), held=Sum("reserved"))
        .group_by("variant_id")
        .values("variant_id", "on_hand", "held")
    )
    return {row["variant_id"]: max(0, (row["on_hand"] or 0) - (row["held"] or 0)) for row in rows}
