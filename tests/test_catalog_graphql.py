"""The catalog through the API: browsing products, the product types the plugins own,
and the staff mutations createProduct and setStock."""

from __future__ import annotations

import pytest

from oms.catalog.models import Product, Variant
from oms.graphql.common import to_global_id
from tests.conftest import ADDRESS, PLACE_ORDER

PRODUCTS = """
query Products($first: Int, $after: String, $productType: String, $search: String) {
  products(first: $first, after: $after, productType: $productType, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug productType } }
  }
}
"""

PRODUCT = """
query Product($id: ID, $slug: String) {
  product(id: $id, slug: $slug) {
    id name slug productType
    variants { sku name price { amount currency } quantityAvailable product { slug } }
  }
}
"""

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { id name slug description productType
              variants { sku name price { amount currency } quantityAvailable attributes } }
    userErrors { field code message }
  }
}
"""

SET_STOCK = """
mutation SetStock($input: SetStockInput!) {
  setStock(input: $input) {
    variant { sku quantityAvailable }
    userErrors { field code message }
  }
}
"""

POSTER = {
    "name": "Poster: Ada Lovelace",
    "description": "A2, matte",
    "productType": "physical",
    "variants": [{"sku": "POSTER-A2", "price": "8.50", "attributes": {"weight_grams": 120}}],
}


def slugs(data: dict) -> list[str]:
    return [edge["node"]["slug"] for edge in data["products"]["edges"]]


# -- browsing ------------------------------------------------------------------------------


async def test_products_lists_the_catalog_oldest_first(oms_graphql, catalog):
    data = await oms_graphql.query(PRODUCTS)

    assert data["products"]["totalCount"] == 4
    assert slugs(data) == ["product-mug", "product-ebook", "product-plan-m", "product-call-60"]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        pytest.param({"productType": "digital"}, ["product-ebook"], id="product-type"),
        pytest.param({"productType": "tickets"}, [], id="unknown-product-type"),
        pytest.param({"search": "call"}, ["product-call-60"], id="search-name"),
        pytest.param({"search": "PLAN-M"}, ["product-plan-m"], id="search-sku"),
        pytest.param({"search": "nothing"}, [], id="search-miss"),
        pytest.param({"search": "product", "productType": "physical"}, ["product-mug"], id="combined"),
    ],
)
async def test_products_filter(oms_graphql, catalog, variables, expected):
    data = await oms_graphql.query(PRODUCTS, variables)

    assert slugs(data) == expected
    assert data["products"]["totalCount"] == len(expected)


async def test_products_search_matches_the_description(oms_graphql, oms_accounts, catalog):
    await oms_graphql.as_(oms_accounts.staff).query(CREATE_PRODUCT, {"input": POSTER})

    data = await oms_graphql.query(PRODUCTS, {"search": "MATTE"})

    assert slugs(data) == ["poster-ada-lovelace"]


async def test_products_page_by_cursor(oms_graphql, catalog):
    first = await oms_graphql.query(PRODUCTS, {"first": 3})
    rest = await oms_graphql.query(PRODUCTS, {"first": 3, "after": first["products"]["pageInfo"]["endCursor"]})

    assert (slugs(first), first["products"]["pageInfo"]["hasNextPage"]) == (
        ["product-mug", "product-ebook", "product-plan-m"], True
    )
    assert (slugs(rest), rest["products"]["pageInfo"]["hasNextPage"]) == (["product-call-60"], False)


async def test_products_refuse_a_page_over_100(oms_graphql, catalog):
    body = await oms_graphql.execute(PRODUCTS, {"first": 101})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def test_product_by_slug_and_by_id(oms_graphql, catalog):
    by_slug = await oms_graphql.query(PRODUCT, {"slug": "product-mug"})
    by_id = await oms_graphql.query(PRODUCT, {"id": by_slug["product"]["id"]})

    assert by_id == by_slug
    assert by_slug["product"]["variants"] == [
        {"sku": "MUG", "name": "Product MUG", "price": {"amount": "12.50", "currency": "USD"},
         "quantityAvailable": 50, "product": {"slug": "product-mug"}}
    ]


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"slug": "no-such-product"}, id="unknown-slug"),
        pytest.param({"id": to_global_id("Product", 999)}, id="unknown-id"),
        pytest.param({"id": to_global_id("Variant", 1)}, id="id-of-a-variant"),
        pytest.param({"id": "garbage"}, id="garbage-id"),
        pytest.param({}, id="no-argument"),
    ],
)
async def test_product_not_found_is_null(oms_graphql, catalog, variables):
    assert await oms_graphql.query(PRODUCT, variables) == {"product": None}


async def test_quantity_available_is_null_where_no_stock_is_tracked(oms_graphql, catalog):
    data = await oms_graphql.query("{ products { edges { node { productType variants { quantityAvailable } } } } }")

    available = {e["node"]["productType"]: e["node"]["variants"][0]["quantityAvailable"] for e in data["products"]["edges"]}
    assert available == {"physical": 50, "digital": None, "subscription": None, "consultation": None}


async def test_product_types_are_the_four_built_ins(oms_graphql):
    data = await oms_graphql.query(
        "{ productTypes { name plugin requiresShipping tracksStock optionsSchema attributesSchema } }"
    )

    types = {t["name"]: t for t in data["productTypes"]}
    assert {name: (t["plugin"], t["requiresShipping"], t["tracksStock"]) for name, t in types.items()} == {
        "consultation": ("consultation", False, False),
        "digital": ("digital", False, False),
        "physical": ("physical", True, True),
        "subscription": ("subscription", False, False),
    }
    assert types["consultation"]["optionsSchema"]["required"] == ["slot"]
    assert types["physical"]["optionsSchema"] is None
    assert types["physical"]["attributesSchema"]["required"] == ["weight_grams"]
    assert types["subscription"]["attributesSchema"]["properties"]["interval"]["enum"] == ["day", "week", "month", "year"]
    assert "file" in types["digital"]["attributesSchema"]["properties"]


# -- createProduct -----------------------------------------------------------------------------


async def test_staff_create_a_product(oms_graphql, oms_accounts):
    data = await oms_graphql.as_(oms_accounts.staff).query(CREATE_PRODUCT, {"input": POSTER})

    payload = data["createProduct"]
    assert payload["userErrors"] == []
    assert payload["product"] == {
        "id": payload["product"]["id"],
        "name": "Poster: Ada Lovelace",
        "slug": "poster-ada-lovelace",
        "description": "A2, matte",
        "productType": "physical",
        "variants": [{"sku": "POSTER-A2", "name": "Poster: Ada Lovelace", "price": {"amount": "8.50", "currency": "USD"},
                      "quantityAvailable": 0, "attributes": {"weight_grams": 120}}],
    }
    assert (await oms_graphql.query(PRODUCT, {"slug": "poster-ada-lovelace"}))["product"]["id"] == payload["product"]["id"]


def poster(**changes) -> dict:
    return {**POSTER, **changes}


def poster_variant(**changes) -> list[dict]:
    return [{**POSTER["variants"][0], **changes}]


@pytest.mark.parametrize(
    ("input_", "errors"),
    [
        pytest.param(poster(productType="tickets"), [("INVALID", ["productType"])], id="unknown-type"),
        pytest.param(poster(name="  "), [("REQUIRED", ["name"])], id="blank-name"),
        pytest.param(poster(name="n" * 201), [("INVALID", ["name"])], id="long-name"),
        pytest.param(poster(variants=poster_variant(name="v" * 201)), [("INVALID", ["variants", "0", "name"])], id="long-variant-name"),
        pytest.param(poster(slug="!!!"), [("INVALID", ["slug"])], id="slug-without-letters"),
        pytest.param(poster(variants=[]), [("REQUIRED", ["variants"])], id="no-variants"),
        pytest.param(poster(variants=poster_variant(price="-1.00")), [("INVALID", ["variants", "0", "price"])], id="negative-price"),
        pytest.param(poster(variants=poster_variant(price="1.999")), [("INVALID", ["variants", "0", "price"])], id="sub-cent-price"),
        pytest.param(poster(variants=poster_variant(price="NaN")), [("INVALID", ["variants", "0", "price"])], id="nan-price"),
        pytest.param(poster(variants=poster_variant(sku="has space")), [("INVALID", ["variants", "0", "sku"])], id="bad-sku"),
        pytest.param(poster(variants=poster_variant(sku="MUG")), [("INVALID", ["variants", "0", "sku"])], id="taken-sku"),
        pytest.param(poster(slug="product-mug"), [("INVALID", ["slug"])], id="taken-slug"),
        pytest.param(poster(name="Product MUG", slug=None), [("INVALID", ["slug"])], id="taken-slug-from-name"),
        pytest.param(
            poster(variants=poster_variant() + poster_variant()), [("INVALID", ["variants", "1", "sku"])], id="sku-twice"
        ),
        pytest.param(
            poster(variants=poster_variant(attributes={})),
            [("REQUIRED", ["variants", "0", "attributes", "weight_grams"])],
            id="missing-weight",
        ),
        pytest.param(
            poster(variants=poster_variant(attributes={"weight_grams": "heavy"})),
            [("INVALID", ["variants", "0", "attributes", "weight_grams"])],
            id="weight-not-an-integer",
        ),
        pytest.param(
            poster(variants=poster_variant(attributes={"weight_grams": 1, "colour": "red"})),
            [("INVALID", ["variants", "0", "attributes"])],
            id="unknown-attribute",
        ),
        pytest.param(
            poster(variants=poster_variant(attributes={"weight_grams": 1, "dimensions_cm": {"length": 1}})),
            [("REQUIRED", ["variants", "0", "attributes", "dimensions_cm", "width"]),
             ("REQUIRED", ["variants", "0", "attributes", "dimensions_cm", "height"])],
            id="nested-missing",
        ),
        pytest.param(
            poster(variants=poster_variant(attributes=["weight_grams", 1])),
            [("INVALID", ["variants", "0", "attributes"])],
            id="attributes-not-an-object",
        ),
        pytest.param(
            poster(productType="subscription", variants=poster_variant(attributes={"interval": "fortnight"})),
            [("INVALID", ["variants", "0", "attributes", "interval"])],
            id="subscription-interval",
        ),
        pytest.param(
            poster(productType="digital", variants=poster_variant(attributes={"file": "../../etc/passwd"})),
            [("INVALID", ["variants", "0", "attributes", "file"])],
            id="digital-file-outside-media",
        ),
        pytest.param(
            poster(productType="consultation", variants=poster_variant(attributes={
                "duration_minutes": 30,
                "consultants": [{"name": "Grace", "timezone": "Mars/Olympus", "availability": {}}],
            })),
            [("INVALID", ["variants", "0", "attributes", "consultants", "0", "timezone"])],
            id="consultation-timezone",
        ),
    ],
)
async def test_create_product_rejects_bad_input(oms_graphql, oms_accounts, catalog, input_, errors):
    before = (await Product.all().count(), await Variant.all().count())

    body = await oms_graphql.as_(oms_accounts.staff).execute(CREATE_PRODUCT, {"input": input_})

    assert "errors" not in body
    payload = body["data"]["createProduct"]
    assert payload["product"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == errors
    assert (await Product.all().count(), await Variant.all().count()) == before


async def test_a_malformed_price_is_named_in_the_error(oms_graphql, oms_accounts):
    body = await oms_graphql.as_(oms_accounts.staff).execute(
        CREATE_PRODUCT, {"input": poster(variants=poster_variant(price="twelve"))}
    )

    assert body["data"] is None
    assert await Product.all().count() == 0
    assert "Decimal" in body["errors"][0]["message"]


# -- setStock ----------------------------------------------------------------------------------


async def test_staff_set_stock(oms_graphql, oms_accounts, catalog):
    data = await oms_graphql.as_(oms_accounts.staff).query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 7}})

    assert data["setStock"] == {"variant": {"sku": "MUG", "quantityAvailable": 7}, "userErrors": []}


async def test_stock_cannot_go_below_what_orders_reserved(oms_graphql, oms_accounts, catalog):
    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 5}], "email": "guest@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": "k-1",
    }})
    assert placed["placeOrder"]["userErrors"] == []
    staff = oms_graphql.as_(oms_accounts.staff)

    below = await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 4}})
    exact = await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 5}})

    assert below["setStock"]["variant"] is None
    assert [(e["code"], e["field"]) for e in below["setStock"]["userErrors"]] == [("INVALID", ["quantity"])]
    assert exact["setStock"] == {"variant": {"sku": "MUG", "quantityAvailable": 0}, "userErrors": []}


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        pytest.param({"sku": "MUG", "quantity": -1}, "INVALID", ["quantity"], id="negative"),
        pytest.param({"sku": "EBOOK", "quantity": 10}, "INVALID", ["sku"], id="type-without-stock"),
        pytest.param({"sku": "NOPE", "quantity": 10}, "NOT_FOUND", ["sku"], id="unknown-sku"),
        pytest.param({"sku": "MUG", "quantity": 10, "warehouse": "mars"}, "NOT_FOUND", ["warehouse"], id="unknown-warehouse"),
    ],
)
async def test_set_stock_rejects_bad_input(oms_graphql, oms_accounts, catalog, input_, code, field):
    data = await oms_graphql.as_(oms_accounts.staff).query(SET_STOCK, {"input": input_})

    assert data["setStock"]["variant"] is None
    assert [(e["code"], e["field"]) for e in data["setStock"]["userErrors"]] == [(code, field)]
    assert (await oms_graphql.query(PRODUCT, {"slug": "product-mug"}))["product"]["variants"][0]["quantityAvailable"] == 50
