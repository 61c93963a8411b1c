"""Pricing's first read (oms.orders.variants) makes on PostgreSQL, from its own statement,
the models Tortoise's ``select_related("product")`` makes."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from oms.catalog.models import Variant
from oms.orders.variants import variants_by_sku
from oms.testing import make_product


def state(instance: Model) -> dict[str, Any]:
    return {k: v for k, v in vars(instance).items() if k != "_product"}


async def test_the_variants_and_their_products_are_the_orms(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", attributes={"weight_grams": 350})
    await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99",
                       attributes={"file_name": "book.pdf", "file": "books/book.pdf"})
    found = await variants_by_sku(["EBOOK", "MUG", "NONE"])
    assert sorted(found) == ["EBOOK", "MUG"]
    for variant in await Variant.filter(sku__in=["MUG", "EBOOK"]).select_related("product"):
        made = found[variant.sku]
        assert state(made) == state(variant)
        assert state(made.product) == state(variant.product) and made.product.id == variant.product_id
    assert await variants_by_sku([]) == {}
