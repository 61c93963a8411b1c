"""Storefronts browse the catalog: `products(sort:, filter:)` with keyset cursors that stay
correct under every sort (oms.catalog.browse)."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest

from oms.catalog.models import Product, Variant
from oms.testing import make_product

BROWSE = """
query($first: Int, $after: String, $sort: ProductSort, $filter: ProductFilter, $type: String, $search: String) {
  products(first: $first, after: $after, sort: $sort, filter: $filter, productType: $type, search: $search) {
    edges { cursor node { name slug productType priceRange { min { amount } } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
  }
}"""

VARIANTS = "query($slug: String) { product(slug: $slug) { variants { availableForSale } } }"

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# (slug, name, type, prices, created day, stock of a physical product): ties in every key.
SHELF = [
    ("ten", "Mug", "physical", ["10.00"], 1, 5),
    ("nine", "Book", "digital", ["9.00"], 2, None),
    ("ninety", "Lamp", "physical", ["90.00", "100.00"], 2, 3),
    ("nine-b", "Book", "digital", ["9.00"], 3, None),
    ("two", "Atlas", "digital", ["2.50", "30.00"], 3, None),
    ("plan", "Mug", "subscription", ["15.00"], 4, None),
    ("sold-out", "Kettle", "physical", ["9.50"], 5, 0),
    ("cheap-archived", "Chair", "digital", ["40.00"], 5, None),
]


@pytest.fixture
async def shelf(oms_app):
    """The products of SHELF; "cheap-archived" also had a 1.00 variant, now archived; a draft
    and an archived product (hidden from customers) cost 0.50."""
    for slug, name, product_type, prices, day, stock in SHELF:
        attributes = {"weight_grams": 300} if product_type == "physical" else {}
        if product_type == "subscription":
            attributes = {"interval": "month"}
        product = await make_product(
            oms_app, product_type=product_type, sku=f"{slug}-0", price=prices[0], name=name, attributes=attributes
        )
        for i, price in enumerate(prices[1:], start=1):
            await Variant.create(
                product=product, sku=f"{slug}-{i}", name=name, price=price, currency="USD", attributes=attributes
            )
        if stock is not None:
            from oms.catalog import services as catalog

            for i in range(len(prices)):
                await catalog.set_stock(
                    sku=f"{slug}-{i}", quantity=stock, warehouse_code=None, plugins=oms_app.state.plugins
                )
        await Product.filter(id=product.id).update(slug=slug, created_at=T0 + dt.timedelta(days=day))
    archived = await Product.get(slug="cheap-archived")
    await Variant.create(
        product=archived, sku="cheap-archived-old", name="Old", price="1.00", currency="USD", archived_at=T0
    )
    for slug, hide in (("draft", {"published": False}), ("gone", {"archived_at": T0})):
        product = await make_product(oms_app, product_type="digital", sku=slug, price="0.50")
        await Product.filter(id=product.id).update(slug=slug, **hide)


async def walk(client, *, first=3, **variables) -> list[str]:
    """Every page of a listing, following endCursor; the slugs in order."""
    slugs: list[str] = []
    after = None
    while True:
        data = (await client.query(BROWSE, {"first": first, "after": after, **variables}))["products"]
        slugs += [edge["node"]["slug"] for edge in data["edges"]]
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        if data["edges"]:
            assert data["pageInfo"]["endCursor"] == data["edges"][-1]["cursor"]
        if not data["pageInfo"]["hasNextPage"]:
            assert len(slugs) == data["totalCount"]
            return slugs
        after = data["pageInfo"]["endCursor"]


async def _ids() -> dict[str, int]:
    return {p.slug: p.id for p in await Product.all()}


def _from_price(slug: str) -> Decimal:
    prices = next(row[3] for row in SHELF if row[0] == slug)
    return min(Decimal(p) for p in prices)


def _expected(field: str, descending: bool, ids: dict[str, int], slugs: list[str] | None = None) -> list[str]:
    rows = {row[0]: row for row in SHELF}
    keys = {
        "PRICE": lambda s: _from_price(s),
        "NAME": lambda s: rows[s][1],
        "CREATED": lambda s: rows[s][4],
    }[field]
    return sorted(slugs or list(rows), key=lambda s: (keys(s), ids[s]), reverse=descending)


@pytest.mark.parametrize("field", ["PRICE", "NAME", "CREATED"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_each_sort_both_ways_across_pages_with_ties(oms_graphql, shelf, field, direction):
    got = await walk(oms_graphql, sort={"field": field, "direction": direction})
    assert got == _expected(field, direction == "DESC", await _ids())
    assert "draft" not in got and "gone" not in got


async def test_default_directions(oms_graphql, shelf):
    ids = await _ids()
    assert await walk(oms_graphql, sort={"field": "PRICE"}) == _expected("PRICE", False, ids)
    assert await walk(oms_graphql, sort={"field": "CREATED"}) == _expected("CREATED", True, ids)


async def test_prices_sort_as_numbers_not_text(oms_graphql, shelf):
    got = await walk(oms_graphql, first=100, sort={"field": "PRICE"})
    assert got.index("nine") < got.index("ten") < got.index("ninety")  # 9.00 < 10.00 < 90.00
    # The "from" price is priceRange.min: "two" (2.50 and 30.00) first, the archived 1.00 ignored.
    data = await oms_graphql.query(BROWSE, {"first": 1, "sort": {"field": "PRICE"}})
    assert data["products"]["edges"][0]["node"]["slug"] == "two"
    assert data["products"]["edges"][0]["node"]["priceRange"]["min"]["amount"] == "2.50"


async def test_staff_see_drafts_and_archived_in_sorted_lists(oms_graphql, oms_accounts, shelf):
    got = await walk(oms_graphql.as_(oms_accounts.staff), sort={"field": "PRICE"})
    assert got[:2] in (["draft", "gone"], ["gone", "draft"])


async def test_a_product_without_live_variants_sorts_last_both_ways(oms_graphql, shelf):
    await Variant.filter(product__slug="plan").update(archived_at=T0)
    assert (await walk(oms_graphql, sort={"field": "PRICE", "direction": "ASC"}))[-1] == "plan"
    assert (await walk(oms_graphql, sort={"field": "PRICE", "direction": "DESC"}))[-1] == "plan"
    # ... and no price range matches it.
    assert "plan" not in await walk(oms_graphql, filter={"minPrice": "0"})


async def test_filter_by_product_types(oms_graphql, shelf):
    got = await walk(oms_graphql, filter={"productTypes": ["digital", "subscription"]})
    assert sorted(got) == ["cheap-archived", "nine", "nine-b", "plan", "two"]
    # With the old productType argument, both must hold.
    assert await walk(oms_graphql, type="digital", filter={"productTypes": ["subscription"]}) == []


async def test_filter_by_price_range_on_the_from_price(oms_graphql, shelf):
    got = await walk(oms_graphql, filter={"minPrice": "9.00", "maxPrice": "10.00"})
    assert sorted(got) == ["nine", "nine-b", "sold-out", "ten"]
    # "cheap-archived": its archived 1.00 variant does not count; its from price is 40.00.
    assert "cheap-archived" not in await walk(oms_graphql, filter={"maxPrice": "39.99"})
    assert "cheap-archived" in await walk(oms_graphql, filter={"minPrice": "40", "maxPrice": "40"})


async def test_filter_available_for_sale(oms_graphql, shelf):
    available = await walk(oms_graphql, filter={"availableForSale": True})
    assert "sold-out" not in available and "ten" in available and "nine" in available
    assert await walk(oms_graphql, filter={"availableForSale": False}) == ["sold-out"]


async def test_a_product_whose_only_cheap_variant_is_sold_out(oms_app, oms_graphql, shelf):
    """The sold-out cheap variant still sets the from price (priceRange shows it), and the
    product stays for sale through its other variant; sold out too, it leaves the list."""
    from oms.catalog import services as catalog

    await catalog.set_stock(sku="ninety-0", quantity=0, warehouse_code=None, plugins=oms_app.state.plugins)
    got = await walk(oms_graphql, filter={"availableForSale": True, "minPrice": "90", "maxPrice": "90"})
    assert got == ["ninety"]
    await catalog.set_stock(sku="ninety-1", quantity=0, warehouse_code=None, plugins=oms_app.state.plugins)
    assert await walk(oms_graphql, filter={"availableForSale": True, "minPrice": "90"}) == []


async def test_the_filter_follows_variant_available_for_sale(oms_app, oms_graphql, shelf):
    """One rule: a product passes availableForSale exactly when one of its variants says
    availableForSale, on every case of the shelf (stock reserved by an order included)."""
    from oms.inventory.models import Stock

    # Every unit of "ten" held by unshipped orders: on hand but not available.
    await Stock.filter(variant__sku="ten-0").update(reserved=5)
    await Variant.filter(sku="two-0").update(archived_at=T0)
    # Stock tracking off for the sold-out lamp's second variant: never out of stock.
    await Variant.filter(sku="ninety-1").update(track_stock=False)
    await Stock.filter(variant__sku__startswith="ninety").update(quantity=0)
    listed = set(await walk(oms_graphql, first=100, filter={"availableForSale": True}))
    for slug in await _ids():
        product = (await oms_graphql.query(VARIANTS, {"slug": slug}))["product"]
        by_variant = product is not None and any(v["availableForSale"] for v in product["variants"])
        assert (slug in listed) is by_variant, slug
    assert "ten" not in listed and "two" in listed and "ninety" in listed


async def test_filters_and_sort_together(oms_graphql, shelf):
    got = await walk(
        oms_graphql,
        first=1,
        sort={"field": "PRICE", "direction": "DESC"},
        filter={"productTypes": ["physical", "digital"], "maxPrice": "50", "availableForSale": True},
    )
    assert got == _expected("PRICE", True, await _ids(), ["ten", "nine", "nine-b", "two", "cheap-archived"])
    by_name = await walk(oms_graphql, first=2, sort={"field": "NAME"}, search="book")
    assert by_name == ["nine", "nine-b"]


async def test_unsorted_listing_keeps_catalog_order_with_filters(oms_graphql, shelf):
    ids = await _ids()
    got = await walk(oms_graphql, first=2, filter={"productTypes": ["digital"]})
    assert got == sorted(["nine", "nine-b", "two", "cheap-archived"], key=ids.__getitem__)


async def _end_cursor(client, **variables) -> str:
    data = await client.query(BROWSE, {"first": 1, **variables})
    return data["products"]["pageInfo"]["endCursor"]


async def test_cursors_of_another_sort_are_refused(oms_graphql, shelf):
    by_price = await _end_cursor(oms_graphql, sort={"field": "PRICE"})
    unsorted = await _end_cursor(oms_graphql)
    cases = [
        (by_price, {"field": "NAME"}),
        (by_price, {"field": "PRICE", "direction": "DESC"}),
        (unsorted, {"field": "CREATED"}),
        (by_price, None),
        (base64.urlsafe_b64encode(b'["p1","PRICE","ASC","abc",1]').decode(), {"field": "PRICE"}),
        ("not a cursor", {"field": "NAME"}),
    ]
    for cursor, sort in cases:
        body = await oms_graphql.execute(BROWSE, {"first": 1, "after": cursor, "sort": sort})
        assert body["errors"][0]["extensions"]["code"] == "INVALID", (cursor, sort)
        assert body["errors"][0]["path"] == ["products"]


@pytest.mark.parametrize(
    "filter_, field",
    [
        ({"minPrice": "20", "maxPrice": "10"}, "minPrice"),
        ({"minPrice": "-1"}, "minPrice"),
        ({"maxPrice": "1.001"}, "maxPrice"),
        ({"maxPrice": "1e30"}, "maxPrice"),
        ({"productTypes": ["x" * 65]}, "productTypes"),
    ],
)
async def test_bad_filters_are_typed_errors(oms_graphql, shelf, filter_, field):
    for sort in ({"field": "PRICE"}, None):
        body = await oms_graphql.execute(BROWSE, {"first": 1, "filter": filter_, "sort": sort})
        error = body["errors"][0]
        assert error["extensions"]["code"] == "INVALID"
        assert error["message"].startswith(field), error
        assert body["data"] is None


async def test_unknown_sort_is_a_validation_error(oms_graphql, shelf):
    body = await oms_graphql.execute(BROWSE, {"first": 1, "sort": {"field": "POPULARITY"}})
    assert body["data"] is None
    assert "POPULARITY" in body["errors"][0]["message"]
