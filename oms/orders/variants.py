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
def _columns() -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The select list, the variant's columns and (alias, column) of the product's; made
    once Tortoise knows the models' columns (the product foreign key's included)."""
    variant_columns = tuple(Variant._meta.fields_db_projection.values())
    product_columns = tuple((f"product.{c}", c) for c in Product._meta.fields_db_projection.values())
    variant = ", ".join(f'v."{c}" AS "{c}"' for c in variant_columns)
    product = ", ".join(f'p."{c}" AS "{alias}"' for alias, c in product_columns)
    return f"{variant}, {product}", variant_columns, product_columns


def select_list() -> str:
    """The columns (of ``variant v`` and ``product p``) that :func:`from_rows` reads, for a
    statement that reads the variants with something else (placement's key lookup)."""
    return _columns()[0]


async def variants_by_sku(skus: list[str]) -> dict[str, Variant]:
    """The variants of these skus (unknown ones left out), each with its product loaded."""
    if not skus:
        return {}
    if get_connection("default").capabilities.dialect != "postgres":
        return {v.sku: v for v in await Variant.filter(sku__in=skus).select_related("product")}
    return from_rows(await sql.fetch(_by_sku(), skus=skus))


@functools.cache
def _by_sku() -> str:
    return f"SELECT {select_list()} FROM variant v JOIN product p ON p.id = v.product_id WHERE v.sku = ANY(:skus)"


def from_rows(rows: list[dict]) -> dict[str, Variant]:
    """The variants of rows of :func:`select_list`'s columns, by sku; a row whose variant
    columns are NULL (a LEFT JOIN that found none) is none."""
    _, variant_columns, product_columns = _columns()
    found = {}
    for row in rows:
        if row["id"] is None:
            continue
        variant = Variant._init_from_db(**{c: row[c] for c in variant_columns})
        product = Product._init_from_db(**{c: row[alias] for alias, c in product_columns})
        object.__setattr__(variant, "_product", product)
        found[variant.sku] = variant
    return found
