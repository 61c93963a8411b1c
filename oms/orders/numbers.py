"""Order numbers (``ORDER_NUMBER_OFFSET + id``), written by the order's own INSERT.

On PostgreSQL the idempotency-key lookup that starts every placement also takes the new
order's id from the table's sequence (only when the key is new), so the INSERT carries the
number (:mod:`oms.orders.placed`): no UPDATE after it. A sequence value is never given back: a placement refused
after the lookup (an invalid cart, no stock) leaves a gap in the numbers, as a rolled-back
INSERT always did. SQLite has no sequence to take from: there the number is set by an
UPDATE right after the INSERT, in the same transaction.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from tortoise.connection import get_connection

from oms import sql
from oms.orders import variants
from oms.orders.models import Order

if TYPE_CHECKING:
    from oms.catalog.models import Variant

ORDER_NUMBER_OFFSET = 1000

# CASE evaluates nextval only for a new key (a volatile function is not folded).
_KEY_OR_NEXT_ID = """
SELECT found.id AS existing,
       CASE WHEN found.id IS NULL THEN nextval(pg_get_serial_sequence('"order"', 'id')) END AS next_id
FROM (SELECT (SELECT id FROM "order" WHERE idempotency_key = :key) AS id) AS found
"""


# The key lookup and the cart's variants in one read: one row when no sku is known (its
# variant columns NULL), else one per variant. The key's part is MATERIALIZED so that it
# runs once, whatever join the planner picks (nextval must not run per variant).
_KEY_AND_VARIANTS = """
WITH found AS MATERIALIZED ({key})
SELECT found.existing, found.next_id, {variants} FROM found
LEFT JOIN (variant v JOIN product p ON p.id = v.product_id) ON v.sku = ANY(:skus)
"""


def order_number(order_id: int) -> str:
    return str(ORDER_NUMBER_OFFSET + order_id)


async def order_by_key_or_next_id(key: str) -> tuple[Order | None, int | None]:
    """The order placed with this (scoped) idempotency key, or None and the id a new order
    takes (None on SQLite: the INSERT picks it)."""
    if get_connection("default").capabilities.dialect != "postgres":
        return await Order.get_or_none(idempotency_key=key), None
    row = (await sql.fetch(_KEY_OR_NEXT_ID, key=key))[0]
    if row["existing"] is not None:
        return await Order.get_or_none(id=row["existing"]), None
    return None, row["next_id"]


async def order_by_key_and_variants(
    key: str, skus: list[str] | None
) -> tuple[Order | None, int | None, dict[str, Variant] | None]:
    """:func:`order_by_key_or_next_id`, and on PostgreSQL the variants of ``skus`` (as
    :func:`oms.orders.variants.variants_by_sku` gives them) in the same round trip. The
    variants are None when not read: on SQLite, or when ``skus`` is None."""
    if skus is None or get_connection("default").capabilities.dialect != "postgres":
        return *(await order_by_key_or_next_id(key)), None
    rows = await sql.fetch(_key_and_variants(), key=key, skus=skus)
    if rows[0]["existing"] is not None:
        return await Order.get_or_none(id=rows[0]["existing"]), None, None
    return None, rows[0]["next_id"], variants.from_rows(rows)


@functools.cache
def _key_and_variants() -> str:
    return _KEY_AND_VARIANTS.format(key=_KEY_OR_NEXT_ID.strip(), variants=variants.select_list())


async def insert_numbered(order: Order) -> Order:
    """Insert the new, unsaved ``order`` and give it its number (SQLite: an UPDATE right
    after the INSERT, in the same transaction). On PostgreSQL the number comes with the id
    from :func:`order_by_key_or_next_id` and placement's single INSERT writes both
    (:mod:`oms.orders.placed`). The caller builds the order with its placed defaults
    (oms.orders.lifecycle owns every later change of its status)."""
    await order.save(force_create=True)
    order.number = order_number(order.id)
    await Order.filter(id=order.id).update(number=order.number)
    return order
