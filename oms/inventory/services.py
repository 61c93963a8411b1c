"""Inventory: units on hand and reserved, changed only by conditional updates.

Available = quantity - reserved. Placing an order reserves; cancel or expiry releases;
shipping deducts; a received return restocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from tortoise.connection import get_connection
from tortoise.expressions import F
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from oms import sql
from oms.errors import DomainError, ErrorCode
from oms.inventory.models import DEFAULT_WAREHOUSE_CODE, Stock, StockAdjustment, Warehouse

if TYPE_CHECKING:
    from oms.catalog.models import Variant
    from oms.plugin_types import ProductType

# The reason setStock writes on the audit trail.
SET_REASON = "set"
# A stock row of zero units, unless one exists (two concurrent first adjustments make one).
INSERT_EMPTY_STOCK = """
INSERT INTO stock (variant_id, warehouse_id, quantity, reserved) VALUES (:variant, :warehouse, 0, 0)
ON CONFLICT (variant_id, warehouse_id) DO NOTHING
"""

# The warehouses that may fill a line, in the order placement tries them: by priority
# (lowest first), then by id (the default warehouse, made first, wins a tie).
_CANDIDATES = """
SELECT s.id FROM stock s JOIN warehouse w ON w.id = s.warehouse_id
WHERE s.variant_id = :variant AND s.quantity - s.reserved >= :n
ORDER BY w.priority, w.id
"""
# Takes n units from one stock row. The condition is re-checked by PostgreSQL on the
# locked row, so two concurrent orders can never both take the last units.
_TAKE = """
UPDATE stock SET reserved = reserved + :n
WHERE id = :id AND quantity - reserved >= :n
RETURNING warehouse_id
"""

# The same rule in one round trip on PostgreSQL: the subquery locks the first candidate
# whose units are still there once locked (a row a concurrent order emptied is re-checked
# and passed over for the next), so the UPDATE of the row it names cannot fail.
_RESERVE_FIRST = f"""
UPDATE stock SET reserved = reserved + :n
WHERE id = ({_CANDIDATES.strip()} LIMIT 1 FOR UPDATE OF s) AND quantity - reserved >= :n
RETURNING warehouse_id
"""

# Several lines of distinct variants in one round trip on PostgreSQL (placement). Each line's
# first candidate is locked as _RESERVE_FIRST locks it, one line after the other in the
# order given (unnest keeps it; MATERIALIZED keeps the CTE from being folded into the
# UPDATE's join, which could lock in another order); the UPDATE then takes the locked rows.
# A line without a candidate gets no row back.
_RESERVE_EACH = """
WITH wanted AS MATERIALIZED (
  SELECT line.number, line.n, (
    SELECT s.id FROM stock s JOIN warehouse w ON w.id = s.warehouse_id
    WHERE s.variant_id = line.variant AND s.quantity - s.reserved >= line.n
    ORDER BY w.priority, w.id LIMIT 1 FOR UPDATE OF s
  ) AS stock_id
  FROM unnest(CAST(:variants AS integer[]), CAST(:quantities AS integer[])) WITH ORDINALITY AS line(variant, n, number)
)
UPDATE stock SET reserved = stock.reserved + wanted.n FROM wanted
WHERE stock.id = wanted.stock_id AND stock.quantity - stock.reserved >= wanted.n
RETURNING wanted.number, stock.warehouse_id
"""


def tracks_stock(product_type: ProductType | None, variant: Variant) -> bool:
    """The one rule of whether a variant's stock is tracked: its type tracks stock (a
    plugin's declaration: physical goods do, downloads and subscriptions don't) and staff
    did not turn tracking off for the variant (``Variant.track_stock``).

    A variant not tracked reserves nothing at placement, is never out of stock, and its
    stock levels cannot be set or adjusted. Reservations made while it was tracked stay
    on its stock rows and on their order lines (``OrderLine.warehouse_id``): cancelling
    releases them and shipping deducts them as before, so none is lost or counted twice.
    """
    return product_type is not None and product_type.tracks_stock and variant.track_stock


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
    """Reserve ``quantity`` units of a variant in one warehouse; its id, or None when no
    single warehouse has enough.

    The rule: the whole line comes from one warehouse, the first by (priority, id) with
    enough available units. Each candidate is taken with a conditional UPDATE; one that a
    concurrent order emptied meanwhile is passed over for the next.
    """
    if get_connection("default").capabilities.dialect == "postgres":
        taken = await sql.fetch(_RESERVE_FIRST, n=quantity, variant=variant_id)
        return taken[0]["warehouse_id"] if taken else None
    for row in await sql.fetch(_CANDIDATES, n=quantity, variant=variant_id):
        taken = await sql.fetch(_TAKE, n=quantity, id=row["id"])
        if taken:
            return taken[0]["warehouse_id"]
    return None


async def reserve_each(wanted: Sequence[tuple[int, int]]) -> list[int | None]:
    """Reserve ``(variant id, quantity)`` pairs one after the other, in the order given, by
    ``reserve``'s rule; the warehouse of each, None for a pair no single warehouse can fill.

    On a None the caller must roll its transaction back: the pairs after it may or may not
    hold units (pair by pair stops at the first None). The caller gives the locking order
    (placement: by variant id). On PostgreSQL, pairs of distinct variants take one round
    trip in all; a variant twice goes pair by pair, each seeing what the one before took.
    """
    variants = [variant_id for variant_id, _ in wanted]
    if (
        len(wanted) > 1
        and len(set(variants)) == len(variants)
        and get_connection("default").capabilities.dialect == "postgres"
    ):
        rows = await sql.fetch(_RESERVE_EACH, variants=variants, quantities=[n for _, n in wanted])
        taken = {row["number"]: row["warehouse_id"] for row in rows}
        return [taken.get(number) for number in range(1, len(wanted) + 1)]
    found: list[int | None] = []
    for variant_id, quantity in wanted:
        found.append(await reserve(variant_id, quantity))
        if found[-1] is None:
            break
    return found + [None] * (len(wanted) - len(found))


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


async def find_warehouse(code: str | None) -> Warehouse:
    """The warehouse of ``code``, the default one when None; NOT_FOUND (field warehouse)."""
    if code is None:
        return await default_warehouse()
    warehouse = await Warehouse.get_or_none(code=code.strip()) if len(code) <= 64 else None
    if warehouse is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, f"No warehouse {code[:64]!r}.", ["warehouse"])
    return warehouse


async def set_stock(
    variant_id: int, quantity: int, warehouse_code: str | None = None, *, sku: str, actor: str = "system"
) -> Stock:
    """Set units on hand; refuses to go below what is reserved for orders. The change is
    on the audit trail with the reason "set" (its delta: new minus old on hand)."""
    if quantity < 0:
        raise DomainError.of(ErrorCode.INVALID, "Units on hand cannot be negative.", ["quantity"])
    warehouse = await find_warehouse(warehouse_code)
    async with in_transaction():
        # Locked (PostgreSQL), so the delta written to the trail is exact.
        stock = await Stock.filter(variant_id=variant_id, warehouse=warehouse).select_for_update().first()
        if stock is None:
            await sql.fetch(INSERT_EMPTY_STOCK, variant=variant_id, warehouse=warehouse.id)
            stock = await Stock.filter(variant_id=variant_id, warehouse=warehouse).select_for_update().first()
            assert stock is not None  # inserted just now, or by a concurrent call
        if stock.reserved > quantity:
            raise DomainError.of(
                ErrorCode.INVALID,
                f"{stock.reserved} units are reserved for orders; on hand cannot be lower.",
                ["quantity"],
            )
        await Stock.filter(id=stock.id).update(quantity=quantity)
        await StockAdjustment.create(
            variant_id=variant_id,
            sku=sku,
            warehouse=warehouse,
            delta=quantity - stock.quantity,
            reason=SET_REASON,
            quantity_after=quantity,
            actor=actor,
        )
    return await Stock.get(id=stock.id)


async def shipping_origin(warehouse_ids: Iterable[int | None], field: Sequence[str]) -> Warehouse | None:
    """The one warehouse a parcel of these lines leaves (their reservation's); None when no
    line names one. A parcel leaves one warehouse: lines of two are refused (INVALID)."""
    ids = {i for i in warehouse_ids if i is not None}
    if not ids:
        return None
    found = await Warehouse.filter(id__in=ids).order_by("id")
    if len(found) > 1:
        codes = ", ".join(w.code for w in found)
        raise DomainError.of(
            ErrorCode.INVALID,
            f"A parcel leaves one warehouse; these lines are in {codes}: ship them separately.",
            list(field),
        )
    return found[0] if found else None


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
