"""Stock adjustments by staff: units added or removed with a reason, and the audit trail.

An adjustment is one conditional UPDATE (on hand never drops below what is reserved for
orders, whatever runs at the same time) and its trail row, in one transaction.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from oms import sql
from oms.catalog.models import Variant
from oms.errors import DomainError, ErrorCode
from oms.inventory.models import Stock, StockAdjustment
from oms.inventory.services import INSERT_EMPTY_STOCK, find_warehouse, tracks_stock
from oms.pagination import Page, paginate
from oms.plugins import PluginHost

MAX_REASON = 500
# Units one adjustment may add or remove (the columns are 32-bit integers).
MAX_DELTA = 1_000_000_000
MAX_UNITS = 2**31 - 1

# Adds :delta units on hand unless that would leave fewer than the reserved units (or
# more than the column holds); the row's new quantity, or no row.
_ADJUST = """
UPDATE stock SET quantity = quantity + :delta
WHERE variant_id = :variant AND warehouse_id = :warehouse
  AND quantity + :delta >= reserved AND quantity <= :ceiling
RETURNING quantity
"""


async def tracked_variant(sku: str, plugins: PluginHost) -> Variant:
    """The variant of ``sku`` if its stock is tracked (:func:`tracks_stock`): NOT_FOUND,
    or INVALID (field sku) when its type tracks no stock or staff turned tracking off."""
    sku = sku.strip()
    variant = await Variant.get_or_none(sku=sku).select_related("product") if len(sku) <= 64 else None
    if variant is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No variant with sku {sku[:64]!r}.", ["sku"])
    product_type = plugins.get_type(variant.product.product_type)
    if product_type is None or not product_type.tracks_stock:
        raise DomainError.of(ErrorCode.INVALID, "This product type does not track stock.", ["sku"])
    if not tracks_stock(product_type, variant):
        raise DomainError.of(
            ErrorCode.INVALID,
            f"Stock tracking is off for {variant.sku}: turn it on (updateVariant trackStock) to set or adjust stock.",
            ["sku"],
        )
    return variant


def _check_input(delta: int, reason: str) -> str:
    if delta == 0:
        raise DomainError.of(ErrorCode.INVALID, "Add or remove at least one unit (delta is 0).", ["delta"])
    if abs(delta) > MAX_DELTA:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_DELTA} units at once.", ["delta"])
    reason = reason.strip()
    if not reason:
        raise DomainError.of(ErrorCode.REQUIRED, "Say why the stock changes.", ["reason"])
    if len(reason) > MAX_REASON:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_REASON} characters.", ["reason"])
    return reason


async def adjust_stock(
    *, sku: str, warehouse_code: str | None, delta: int, reason: str, actor: str, plugins: PluginHost
) -> StockAdjustment:
    """Add (``delta`` > 0) or remove units on hand of a stock-tracked variant in one
    warehouse (the default one when None), and write the trail row. Refused with nothing
    written when it would leave fewer units than are reserved for orders."""
    reason = _check_input(delta, reason)
    variant = await tracked_variant(sku, plugins)
    warehouse = await find_warehouse(warehouse_code)
    params = {
        "delta": delta,
        "variant": variant.id,
        "warehouse": warehouse.id,
        "ceiling": MAX_UNITS - max(delta, 0),
    }
    async with in_transaction():
        rows = await sql.fetch(_ADJUST, **params)
        if not rows and delta > 0 and not await Stock.exists(variant_id=variant.id, warehouse_id=warehouse.id):
            await sql.fetch(INSERT_EMPTY_STOCK, variant=variant.id, warehouse=warehouse.id)
            rows = await sql.fetch(_ADJUST, **params)
        if not rows:
            raise await _refusal(variant, warehouse.id, warehouse.code, delta)
        return await StockAdjustment.create(
            variant_id=variant.id,
            sku=variant.sku,
            warehouse=warehouse,
            delta=delta,
            reason=reason,
            quantity_after=rows[0]["quantity"],
            actor=actor,
        )


async def _refusal(variant: Variant, warehouse_id: int, code: str, delta: int) -> DomainError:
    stock = await Stock.get_or_none(variant_id=variant.id, warehouse_id=warehouse_id)
    if stock is None:
        return DomainError.of(ErrorCode.INVALID, f"{code} holds no {variant.sku}: nothing to remove.", ["delta"])
    if delta > 0:
        return DomainError.of(ErrorCode.INVALID, f"{code} cannot hold that many units.", ["delta"])
    free = max(stock.quantity - stock.reserved, 0)
    return DomainError.of(
        ErrorCode.INVALID,
        f"Only {free} of {stock.quantity} units of {variant.sku} in {code} are not reserved for orders;"
        f" on hand cannot drop below the {stock.reserved} reserved.",
        ["delta"],
    )


async def list_adjustments(
    *, sku: str | None, warehouse_code: str | None, first: int | None, after_id: int | None
) -> Page[StockAdjustment]:
    """The audit trail, newest first; of one sku and/or one warehouse when given."""
    queryset = StockAdjustment.all()
    if sku is not None:
        queryset = queryset.filter(sku=sku.strip()[:64])
    if warehouse_code is not None:
        warehouse = await find_warehouse(warehouse_code)
        queryset = queryset.filter(warehouse_id=warehouse.id)
    page = await paginate(queryset, first=first, after_id=after_id)
    await StockAdjustment.fetch_for_list(page.items, "warehouse")
    return page
