"""Catalog editing for staff (issue 13 item 1): updateProduct, archiveProduct,
deleteProduct, createVariant, updateVariant, removeVariant, drafts, and the audit trail."""

from __future__ import annotations

import pytest

from oms.catalog.audit import CatalogChange
from oms.catalog.models import Product, Variant
from oms.graphql.common import to_global_id
from oms.orders.models import OrderLine
from oms.testing import make_product, place_paid_order

UPDATE_PRODUCT = """
mutation Update($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) {
    product { id name slug description published archived }
    userErrors { field code message }
  }
}
"""
ARCHIVE_PRODUCT = """
mutation Archive($id: ID!) {
  archiveProduct(id: $id) { product { slug archived } userErrors { field code message } }
}
"""
DELETE_PRODUCT = """
mutation Delete($id: ID!) { deleteProduct(id: $id) { ok userErrors { field code message } } }
"""
CREATE_VARIANT = """
mutation CreateVariant($input: CreateVariantInput!) {
  createVariant(input: $input) {
    variant { id sku name price { amount currency } quantityAvailable attributes product { slug } }
    userErrors { field code message }
  }
}
"""
UPDATE_VARIANT = """
mutation UpdateVariant($id: ID!, $input: UpdateVariantInput!) {
  updateVariant(id: $id, input: $input) {
    variant { sku name price { amount } attributes }
    userErrors { field code message }
  }
}
"""
REMOVE_VARIANT = """
mutation Remove($id: ID!) {
  removeVariant(id: $id) { deleted variant { sku archived } userErrors { field code message } }
}
"""
CHANGES = """
query Changes($productId: ID!, $first: Int) {
  catalogChanges(productId: $productId, first: $first) {
    totalCount
    edges { node { field oldValue newValue sku actor createdAt } }
  }
}
"""
PRICE_CART = """
query Price($input: CartInput!) {
  priceCart(input: $input) { lines { sku unitPrice { amount } } total { amount } userErrors { field code message } }
}
"""
PUBLIC_VIEW = """
query View($slug: String) {
  products { edges { node { slug } } }
  product(slug: $slug) { slug variants { sku } }
}
"""
ORDER = """
query Order($id: ID!) { order(id: $id) { total { amount } lines { sku unitPrice { amount } } } }
"""


def errors(payload: dict) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


def pid(product: Product) -> str:
    return to_global_id("Product", product.id)


async def vid(sku: str) -> str:
    return to_global_id("Variant", (await Variant.get(sku=sku)).id)


@pytest.fixture
def staff(oms_graphql, oms_accounts):
    return oms_graphql.as_(oms_accounts.staff)


@pytest.fixture
async def ebook(oms_app):
    return await make_product(oms_app, product_type="digital", sku="EBOOK", price="9.99", name="The Book",
                              attributes={"file_name": "book.pdf", "file": "books/book.pdf"})


@pytest.fixture
async def mug(oms_app):
    return await make_product(oms_app, product_type="physical", sku="MUG", price="12.50", name="Mug",
                              attributes={"weight_grams": 350}, stock=5)


# -- products ------------------------------------------------------------------------------


async def test_update_product_changes_the_fields_and_records_each_on_the_trail(staff, ebook):
    data = await staff.query(UPDATE_PRODUCT, {"id": pid(ebook), "input": {
        "name": "The Big Book", "slug": "Big Book!", "description": "Now in colour"}})

    assert data["updateProduct"]["userErrors"] == []
    assert data["updateProduct"]["product"] | {"id": None} == {
        "id": None, "name": "The Big Book", "slug": "big-book", "description": "Now in colour",
        "published": True, "archived": False,
    }
    trail = (await staff.query(CHANGES, {"productId": pid(ebook)}))["catalogChanges"]
    assert {(n["node"]["field"], n["node"]["oldValue"], n["node"]["newValue"], n["node"]["actor"])
            for n in trail["edges"]} == {
        ("name", "The Book", "The Big Book", "staff@example.com"),
        ("slug", "the-book", "big-book", "staff@example.com"),
        ("description", None, "Now in colour", "staff@example.com"),
    }


async def test_update_product_with_nothing_new_records_nothing(staff, ebook):
    data = await staff.query(UPDATE_PRODUCT, {"id": pid(ebook), "input": {"name": "The Book"}})

    assert data["updateProduct"]["userErrors"] == []
    assert await CatalogChange.filter(product_id=ebook.id).count() == 0


@pytest.mark.parametrize(
    ("input_", "expected"),
    [
        pytest.param({"slug": "!!!"}, [(["slug"], "INVALID")], id="slug-without-letters"),
        pytest.param({"slug": "mug"}, [(["slug"], "INVALID")], id="slug-taken"),
        pytest.param({"name": "   "}, [(["name"], "REQUIRED")], id="blank-name"),
        pytest.param({"name": "x" * 201}, [(["name"], "INVALID")], id="long-name"),
    ],
)
async def test_update_product_refuses_bad_input(staff, ebook, mug, input_, expected):
    data = await staff.query(UPDATE_PRODUCT, {"id": pid(ebook), "input": input_})

    assert errors(data["updateProduct"]) == expected
    assert (await Product.get(id=ebook.id)).slug == "the-book"


@pytest.mark.parametrize(
    ("product_id", "expected"),
    [
        pytest.param("garbage", (["id"], "INVALID"), id="garbage"),
        pytest.param(to_global_id("Variant", 1), (["id"], "INVALID"), id="a-variant-id"),
        pytest.param(to_global_id("Product", 999), (["id"], "NOT_FOUND"), id="unknown"),
    ],
)
async def test_update_product_refuses_a_bad_id(staff, ebook, product_id, expected):
    data = await staff.query(UPDATE_PRODUCT, {"id": product_id, "input": {"name": "x"}})

    assert errors(data["updateProduct"]) == [expected]


async def test_archiving_a_product_with_orders_works_and_deleting_it_is_refused(
    oms_app, oms_graphql, staff, ebook
):
    placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 2)], pay=False)

    refused = await staff.query(DELETE_PRODUCT, {"id": pid(ebook)})
    archived = await staff.query(ARCHIVE_PRODUCT, {"id": pid(ebook)})

    assert refused["deleteProduct"]["ok"] is False
    assert errors(refused["deleteProduct"]) == [(["id"], "REFERENCED_BY_ORDERS")]
    assert "archive it instead" in refused["deleteProduct"]["userErrors"][0]["message"]
    assert archived["archiveProduct"] == {"product": {"slug": "the-book", "archived": True}, "userErrors": []}
    # Hidden from the public, still there for staff and on the order.
    public = await oms_graphql.query(PUBLIC_VIEW, {"slug": "the-book"})
    assert public == {"products": {"edges": []}, "product": None}
    seen_by_staff = await staff.query(PUBLIC_VIEW, {"slug": "the-book"})
    assert seen_by_staff["product"] == {"slug": "the-book", "variants": [{"sku": "EBOOK"}]}
    order = await staff.query(ORDER, {"id": placed["order"]["id"]})
    assert order["order"] == {"total": {"amount": "19.98"}, "lines": [{"sku": "EBOOK", "unitPrice": {"amount": "9.99"}}]}
    assert await OrderLine.filter(variant__sku="EBOOK").count() == 1


async def test_an_archived_product_is_refused_in_carts_and_orders(oms_graphql, staff, ebook, mug):
    await staff.query(ARCHIVE_PRODUCT, {"id": pid(ebook)})
    cart = {"lines": [{"sku": "MUG", "quantity": 1}, {"sku": "EBOOK", "quantity": 1}], "email": "a@example.com"}

    quote = await oms_graphql.query(PRICE_CART, {"input": cart})

    assert errors(quote["priceCart"]) == [(["lines", "1", "sku"], "INVALID")]
    assert "no longer for sale" in quote["priceCart"]["userErrors"][0]["message"]


async def test_archive_then_restore(oms_graphql, staff, ebook):
    await staff.query(ARCHIVE_PRODUCT, {"id": pid(ebook)})
    again = await staff.query(ARCHIVE_PRODUCT, {"id": pid(ebook)})  # nothing new
    restored = await staff.query(UPDATE_PRODUCT, {"id": pid(ebook), "input": {"archived": False}})

    assert again["archiveProduct"]["userErrors"] == []
    assert restored["updateProduct"]["product"]["archived"] is False
    assert (await oms_graphql.query(PUBLIC_VIEW, {"slug": "the-book"}))["product"]["slug"] == "the-book"
    rows = await CatalogChange.filter(product_id=ebook.id).order_by("id")
    assert [(row.field, row.old, row.new) for row in rows] == [("archived", False, True), ("archived", True, False)]


async def test_deleting_a_product_no_order_references_deletes_it_and_keeps_the_trail(staff, ebook, mug):
    data = await staff.query(DELETE_PRODUCT, {"id": pid(mug)})

    assert data["deleteProduct"] == {"ok": True, "userErrors": []}
    assert not await Product.exists(id=mug.id)
    assert not await Variant.exists(sku="MUG")
    assert [(row.field, row.old) for row in await CatalogChange.filter(product_id=mug.id)] == [
        ("deleted", "mug")
    ]


async def test_a_draft_is_hidden_and_not_orderable_until_published(oms_graphql, staff):
    created = await staff.query(
        """mutation($input: CreateProductInput!) { createProduct(input: $input) {
             product { id published } userErrors { code } } }""",
        {"input": {"name": "Draft", "productType": "digital", "published": False,
                   "variants": [{"sku": "DRAFT-1", "price": "5.00"}]}},
    )
    product_id = created["createProduct"]["product"]["id"]
    cart = {"lines": [{"sku": "DRAFT-1", "quantity": 1}], "email": "a@example.com"}

    hidden = await oms_graphql.query(PUBLIC_VIEW, {"slug": "draft"})
    refused = await oms_graphql.query(PRICE_CART, {"input": cart})
    await staff.query(UPDATE_PRODUCT, {"id": product_id, "input": {"published": True}})
    shown = await oms_graphql.query(PUBLIC_VIEW, {"slug": "draft"})
    priced = await oms_graphql.query(PRICE_CART, {"input": cart})

    assert created["createProduct"]["product"]["published"] is False
    assert hidden == {"products": {"edges": []}, "product": None}
    assert errors(refused["priceCart"]) == [(["lines", "0", "sku"], "INVALID")]
    assert shown["product"] == {"slug": "draft", "variants": [{"sku": "DRAFT-1"}]}
    assert (priced["priceCart"]["userErrors"], priced["priceCart"]["total"]) == ([], {"amount": "5.00"})


async def test_node_hides_an_archived_product_from_the_public(oms_graphql, staff, ebook):
    await staff.query(ARCHIVE_PRODUCT, {"id": pid(ebook)})
    query = "query($id: ID!) { node(id: $id) { id } }"

    assert (await oms_graphql.query(query, {"id": pid(ebook)}))["node"] is None
    assert (await oms_graphql.query(query, {"id": await vid("EBOOK")}))["node"] is None
    assert (await staff.query(query, {"id": pid(ebook)}))["node"] == {"id": pid(ebook)}


# -- variants ------------------------------------------------------------------------------


async def test_create_variant_adds_a_stock_tracked_variant(staff, mug):
    data = await staff.query(CREATE_VARIANT, {"input": {
        "productId": pid(mug), "sku": "MUG-XL", "price": "15.00", "attributes": {"weight_grams": 500}}})

    assert data["createVariant"] == {
        "variant": {"id": await vid("MUG-XL"), "sku": "MUG-XL", "name": "Mug",
                    "price": {"amount": "15.00", "currency": "USD"}, "quantityAvailable": 0,
                    "attributes": {"weight_grams": 500}, "product": {"slug": "mug"}},
        "userErrors": [],
    }
    assert [(row.field, row.sku, row.new) for row in await CatalogChange.filter(product_id=mug.id)] == [
        ("created", "MUG-XL", "15.00")
    ]


@pytest.mark.parametrize(
    ("input_", "expected"),
    [
        pytest.param({"sku": "MUG"}, [(["sku"], "INVALID")], id="sku-taken"),
        pytest.param({"sku": "has space"}, [(["sku"], "INVALID")], id="bad-sku"),
        pytest.param({"price": "-1"}, [(["price"], "INVALID")], id="negative-price"),
        pytest.param({"price": "1.234"}, [(["price"], "INVALID")], id="too-many-decimals"),
        pytest.param({"attributes": {"weight_grams": "heavy"}}, [(["attributes", "weight_grams"], "INVALID")],
                     id="attributes-against-the-schema"),
        pytest.param({"attributes": {}}, [(["attributes", "weight_grams"], "REQUIRED")], id="attributes-missing"),
        pytest.param({"attributes": [1]}, [(["attributes"], "INVALID")], id="attributes-not-an-object"),
        pytest.param({"productId": to_global_id("Product", 999)}, [(["productId"], "NOT_FOUND")], id="no-product"),
    ],
)
async def test_create_variant_refuses_bad_input(staff, mug, input_, expected):
    base = {"productId": pid(mug), "sku": "MUG-2", "price": "1.00", "attributes": {"weight_grams": 1}}

    data = await staff.query(CREATE_VARIANT, {"input": base | input_})

    assert errors(data["createVariant"]) == expected
    assert await Variant.filter(product_id=mug.id).count() == 1


async def test_create_variant_asks_the_owning_plugin(staff, ebook):
    data = await staff.query(CREATE_VARIANT, {"input": {
        "productId": pid(ebook), "sku": "EBOOK-2", "price": "1.00", "attributes": {"file": "../../etc/passwd"}}})

    assert errors(data["createVariant"]) == [(["attributes", "file"], "INVALID")]


async def test_a_price_change_leaves_a_placed_orders_prices_unchanged(oms_app, oms_graphql, staff, ebook):
    placed = await place_paid_order(oms_app, oms_graphql, [("EBOOK", 3)], pay=False)

    data = await staff.query(UPDATE_VARIANT, {"id": await vid("EBOOK"), "input": {"price": "20.00"}})
    order = await staff.query(ORDER, {"id": placed["order"]["id"]})
    quote = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "EBOOK", "quantity": 3}]}})

    assert data["updateVariant"]["variant"]["price"] == {"amount": "20.00"}
    assert order["order"] == {"total": {"amount": "29.97"}, "lines": [{"sku": "EBOOK", "unitPrice": {"amount": "9.99"}}]}
    assert quote["priceCart"]["lines"] == [{"sku": "EBOOK", "unitPrice": {"amount": "20.00"}}]
    trail = (await staff.query(CHANGES, {"productId": pid(ebook)}))["catalogChanges"]["edges"]
    assert [(e["node"]["field"], e["node"]["sku"], e["node"]["oldValue"], e["node"]["newValue"], e["node"]["actor"])
            for e in trail] == [("price", "EBOOK", "9.99", "20.00", "staff@example.com")]


async def test_update_variant_renames_and_replaces_attributes(staff, mug):
    data = await staff.query(UPDATE_VARIANT, {"id": await vid("MUG"), "input": {
        "name": "Big mug", "sku": "MUG-BIG", "attributes": {"weight_grams": 400}}})

    assert data["updateVariant"] == {
        "variant": {"sku": "MUG-BIG", "name": "Big mug", "price": {"amount": "12.50"},
                    "attributes": {"weight_grams": 400}},
        "userErrors": [],
    }
    fields = set(await CatalogChange.filter(product_id=mug.id).values_list("field", flat=True))
    assert fields == {"name", "sku", "attributes"}


@pytest.mark.parametrize(
    ("input_", "expected"),
    [
        pytest.param({"sku": "EBOOK"}, [(["sku"], "INVALID")], id="sku-taken"),
        pytest.param({"price": "10000000000"}, [(["price"], "INVALID")], id="price-too-high"),
        pytest.param({"name": " "}, [(["name"], "REQUIRED")], id="blank-name"),
        pytest.param({"attributes": {"weight_grams": -1}}, [(["attributes", "weight_grams"], "INVALID")],
                     id="bad-attributes"),
    ],
)
async def test_update_variant_refuses_bad_input(staff, mug, ebook, input_, expected):
    data = await staff.query(UPDATE_VARIANT, {"id": await vid("MUG"), "input": input_})

    assert errors(data["updateVariant"]) == expected
    variant = await Variant.get(product_id=mug.id)
    assert (variant.sku, str(variant.price), variant.attributes) == ("MUG", "12.50", {"weight_grams": 350})
    assert await CatalogChange.all().count() == 0


async def test_remove_variant_deletes_one_no_order_references(staff, mug):
    await staff.query(CREATE_VARIANT, {"input": {
        "productId": pid(mug), "sku": "MUG-XL", "price": "15.00", "attributes": {"weight_grams": 500}}})

    data = await staff.query(REMOVE_VARIANT, {"id": await vid("MUG-XL")})

    assert data["removeVariant"] == {"deleted": True, "variant": None, "userErrors": []}
    assert not await Variant.exists(sku="MUG-XL")


async def test_remove_variant_archives_one_orders_reference(oms_app, oms_graphql, staff, ebook):
    await staff.query(CREATE_VARIANT, {"input": {"productId": pid(ebook), "sku": "EBOOK-2", "price": "3.00"}})
    await place_paid_order(oms_app, oms_graphql, [("EBOOK-2", 1)], pay=False)

    data = await staff.query(REMOVE_VARIANT, {"id": await vid("EBOOK-2")})
    public = await oms_graphql.query(PUBLIC_VIEW, {"slug": "the-book"})
    refused = await oms_graphql.query(PRICE_CART, {"input": {"lines": [{"sku": "EBOOK-2", "quantity": 1}]}})

    assert data["removeVariant"] == {"deleted": False, "variant": {"sku": "EBOOK-2", "archived": True}, "userErrors": []}
    assert public["product"]["variants"] == [{"sku": "EBOOK"}]
    assert errors(refused["priceCart"]) == [(["lines", "0", "sku"], "INVALID")]


async def test_remove_variant_keeps_a_products_last_variant(staff, ebook):
    data = await staff.query(REMOVE_VARIANT, {"id": await vid("EBOOK")})

    assert errors(data["removeVariant"]) == [(["id"], "INVALID")]
    assert await Variant.exists(sku="EBOOK")


# -- permissions ---------------------------------------------------------------------------


@pytest.fixture
async def orders_clerk(oms_app) -> str:
    """A staff token without MANAGE_CATALOG."""
    from oms.accounts import services as accounts
    from oms.accounts.permissions import Viewer

    staff = await accounts.create_staff(email="clerk@example.com", password="clerk-pass-1", permissions=["MANAGE_ORDERS"])
    return await accounts.issue_token(Viewer(staff=staff), secret=oms_app.state.settings.secret_key, ttl_seconds=600)


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff-without-catalog"])
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        pytest.param(UPDATE_PRODUCT, lambda p, v: {"id": p, "input": {"name": "Mine"}}, id="updateProduct"),
        pytest.param(ARCHIVE_PRODUCT, lambda p, v: {"id": p}, id="archiveProduct"),
        pytest.param(DELETE_PRODUCT, lambda p, v: {"id": p}, id="deleteProduct"),
        pytest.param(CREATE_VARIANT, lambda p, v: {"input": {"productId": p, "sku": "X", "price": "1"}},
                     id="createVariant"),
        pytest.param(UPDATE_VARIANT, lambda p, v: {"id": v, "input": {"price": "0"}}, id="updateVariant"),
        pytest.param(REMOVE_VARIANT, lambda p, v: {"id": v}, id="removeVariant"),
    ],
)
async def test_only_catalog_staff_edit(oms_graphql, oms_accounts, orders_clerk, ebook, who, query, variables):
    tokens = {"anonymous": None, "customer": oms_accounts.customer, "staff-without-catalog": orders_clerk}
    client = oms_graphql.as_(tokens[who])

    data = await client.query(query, variables(pid(ebook), await vid("EBOOK")))

    (payload,) = data.values()
    assert [e["code"] for e in payload["userErrors"]] == ["PERMISSION_DENIED"]
    variant = await Variant.get(sku="EBOOK").select_related("product")
    assert (variant.product.name, str(variant.price), variant.product.archived_at) == ("The Book", "9.99", None)


async def test_only_catalog_staff_read_the_trail(oms_graphql, oms_accounts, ebook):
    body = await oms_graphql.as_(oms_accounts.customer).execute(CHANGES, {"productId": pid(ebook)})

    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
