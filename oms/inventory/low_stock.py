"""Low stock: stock rows whose available units (on hand minus reserved) are at or below
their threshold, the row's own or else the store's ``OMS_LOW_STOCK_THRESHOLD``."""

from __future__ import annotations

from oms import sql
from oms.errors import DomainError, ErrorCode
from oms.inventory.adjustments import tracked_variant
from oms.inventory.models import Stock
from oms.inventory.services import INSERT_EMPTY_STOCK, find_warehouse
from oms.pagination import Page, page_size
from oms.plugins import PluginHost

MAX_THRESHOLD = 1_000_000_000

# Low rows in id order after a cursor. The stock table has a row per variant and
# warehouse (not per order), so walking it by primary key stays small.
# Variants whose tracking staff turned off are never low (they are never out of stock).
_LOW = """
SELECT s.id FROM stock s JOIN variant v ON v.id = s.variant_id
WHERE s.quantity - s.reserved <= COALESCE(s.low_stock_threshold, :threshold) AND v.track_stock AND s.id > :after
ORDER BY s.id LIMIT :size
"""
_LOW_COUNT = """
SELECT COUNT(*) AS n FROM stock s JOIN variant v ON v.id = s.variant_id
WHERE s.quantity - s.reserved <= COALESCE(s.low_stock_threshold, :threshold) AND v.track_stock
"""


def is_low(stock: Stock, default_threshold: int) -> bool:
    threshold = stock.low_stock_threshold if stock.low_stock_threshold is not None else default_threshold
    return stock.quantity - stock.reserved <= threshold


async def set_low_stock_threshold(
    *, sku: str, warehouse_code: str | None, threshold: int | None, plugins: PluginHost
) -> Stock:
    """Give one stock row its own threshold (None: the store's default again)."""
    if threshold is not None and not 0 <= threshold <= MAX_THRESHOLD:
        raise DomainError.of(ErrorCode.INVALID, f"Between 0 and {MAX_THRESHOLD} units.", ["threshold"])
    variant = await tracked_variant(sku, plugins)
    warehouse = await find_warehouse(warehouse_code)
    await sql.fetch(INSERT_EMPTY_STOCK, variant=variant.id, warehouse=warehouse.id)
    await Stock.filter(variant_id=variant.id, warehouse_id=warehouse.id).update(low_stock_threshold=threshold)
    return await Stock.get(variant_id=variant.id, warehouse_id=warehouse.id).select_related("warehouse", "variant")


async def low_stock(*, default_threshold: int, first: int | None, after_id: int | None) -> Page[Stock]:
    """Low stock rows in id order (oldest row first), with their variant and warehouse."""
    size = page_size(first)
    rows = await sql.fetch(_LOW, threshold=default_threshold, after=after_id or 0, size=size + 1)
    ids = [row["id"] for row in rows[:size]]
    total = (await sql.fetch(_LOW_COUNT, threshold=default_threshold))[0]["n"]
    found = {s.id: s for s in await Stock.filter(id__in=ids).select_related("warehouse", "variant")}
    return Page(
        items=[found[i] for i in ids if i in found],
        has_next=len(rows) > size,
        has_previous=after_id is not None,
        total=int(total),
    )
