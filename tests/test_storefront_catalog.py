"""Catalog browsing fields for storefronts: `Product.priceRange { min max }` and
`Variant.availableForSale`."""

from __future__ import annotations

from oms.catalog.models import Product, Variant
from oms.testing import make_product

QUERY = """query($slug: String) { product(slug: $slug) {
  priceRange { min { amount currency } max { amount currency } }
  variants { sku availableForSale quantityAvailable } } }"""


async def _slug(sku: str) -> str:
    return (await Variant.get(sku=sku).prefetch_related("product")).product.slug


async def test_price_range_spans_the_variants(oms_app, oms_graphql):
    await make_product(oms_app, product_type="digital", sku="EB-1", price="9.50")
    variant = await Variant.get(sku="EB-1")
    # Decimal order, not text order ("10.00" < "9.50" as text).
    await Variant.create(product_id=variant.product_id, sku="EB-2", name="Big", price="10.00", currency="USD")
    await Variant.create(product_id=variant.product_id, sku="EB-3", name="Small", price="2.25", currency="USD")
    product = (await oms_graphql.query(QUERY, {"slug": await _slug("EB-1")}))["product"]
    assert product["priceRange"] == {
        "min": {"amount": "2.25", "currency": "USD"},
        "max": {"amount": "10.00", "currency": "USD"},
    }
    assert all(v["availableForSale"] for v in product["variants"])  # downloads track no stock


async def test_price_range_is_null_without_variants(oms_app, oms_graphql):
    await Product.create(name="Empty", slug="empty", product_type="digital")
    assert (await oms_graphql.query(QUERY, {"slug": "empty"}))["product"]["priceRange"] is None


async def test_available_for_sale_follows_stock(oms_app, oms_graphql, oms_accounts):
    await make_product(
        oms_app, product_type="physical", sku="MUG", price="12.00", attributes={"weight_grams": 300}, stock=1
    )
    slug = await _slug("MUG")
    variant = (await oms_graphql.query(QUERY, {"slug": slug}))["product"]["variants"][0]
    assert variant == {"sku": "MUG", "availableForSale": True, "quantityAvailable": 1}
    staff = oms_graphql.as_(oms_accounts.staff)
    result = await staff.query('mutation { setStock(input: {sku: "MUG", quantity: 0}) { userErrors { code } } }')
    assert result["setStock"]["userErrors"] == []
    variant = (await oms_graphql.query(QUERY, {"slug": slug}))["product"]["variants"][0]
    assert variant == {"sku": "MUG", "availableForSale": False, "quantityAvailable": 0}


async def test_an_archived_variant_is_not_for_sale_nor_in_the_price_range(oms_app, oms_graphql, oms_accounts):
    import datetime as dt

    await make_product(oms_app, product_type="digital", sku="EB-1", price="9.50")
    variant = await Variant.get(sku="EB-1")
    await Variant.create(product_id=variant.product_id, sku="EB-2", name="Old", price="1.00", currency="USD",
                         archived_at=dt.datetime.now(dt.UTC))
    slug = await _slug("EB-1")
    product = (await oms_graphql.query(QUERY, {"slug": slug}))["product"]
    assert product["priceRange"]["min"]["amount"] == "9.50"
    # Staff (who see archived variants) read it as not for sale.
    staff = oms_graphql.as_(oms_accounts.staff)
    seen = {v["sku"]: v["availableForSale"] for v in (await staff.query(QUERY, {"slug": slug}))["product"]["variants"]}
    assert seen == {"EB-1": True, "EB-2": False}
