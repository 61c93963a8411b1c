"""The variants a cart names, with their products: the first read of every pricing.

On PostgreSQL one hand-written statement (``sku = ANY(...)``: one prepared statement
whatever the cart's size) whose rows become models exactly as Tortoise's
``select_related`` makes them (``_init_from_db``, the product set as the relation's
cache), without building the query per request; SQLite keeps the ORM's query.
"""

from __future__ import annotations

import functools

from tortoise.connection import get_connection

from oms import sql
from oms.catalog.models import Product, Variant


@functools.cache
def _statement() -> str:
    """Made once Tortoise knows the models' columns (the product foreign key's included)."""
    variant = ", ".join(f'v."{c}" AS "{c}"' for c in Variant._meta.fields_db_projection.values())
    product = ", ".join(f'p."{c}" AS "product.{c}"' for c in Product._meta.fields_db_projection.values())
    return f"SELECT {variant}, {product} FROM variant v JOIN product p ON p.id = v.product_id WHERE v.sku = ANY(:skus)"


async def variants_by_sku(skus: list[str]) -> dict[str, Variant]:
    """The variants of these skus (unknown ones left out), each with its product loaded."""
    if not skus:
        return {}
    if get_connection("default").capabilities.dialect != "postgres":
        return {v.sku: v for v in await Variant.filter(sku__in=skus).select_related("product")}
    found = {}
    for row in await sql.fetch(_statement(), skus=skus):
        variant_row, product_row = {}, {}
        for key, value in row.items():
            if key.startswith("product."):
                product_row[key[8:]] = value
            else:
                variant_row[key] = value
        variant = Variant._init_from_db(**variant_row)
        object.__setattr__(variant, "_product", Product._init_from_db(**product_row))
        found[variant.sku] = variant
    return found
