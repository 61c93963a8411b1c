"""The digital plugin: a file under the media root, whose path the public never sees."""

from __future__ import annotations

import pytest

from oms.testing import make_product

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) { product { slug } userErrors { field code message } }
}
"""

EBOOK = {"file": "books/guide.pdf", "file_name": "guide.pdf", "content_type": "application/pdf",
         "download_limit": 5, "link_lifetime_hours": 72}


async def create_ebook(graphql, attributes):
    variables = {"input": {"name": "Guide", "productType": "digital",
                           "variants": [{"sku": "EBOOK", "price": "9.00", "attributes": attributes}]}}
    return (await graphql.query(CREATE_PRODUCT, variables))["createProduct"]


async def test_attributes_are_validated(oms_graphql, oms_accounts):
    created = await create_ebook(oms_graphql.as_(oms_accounts.staff), EBOOK)
    assert created == {"product": {"slug": "guide"}, "userErrors": []}


@pytest.mark.parametrize(
    "file", ["/etc/passwd", "../secret.pdf", "books/../../etc/passwd", "books/.."],
)
async def test_file_must_stay_under_the_media_root(oms_graphql, oms_accounts, file):
    created = await create_ebook(oms_graphql.as_(oms_accounts.staff), {**EBOOK, "file": file})
    assert created == {"product": None, "userErrors": [{
        "field": ["variants", "0", "attributes", "file"], "code": "INVALID",
        "message": "The file must be a relative path under the media root.",
    }]}


@pytest.mark.parametrize(
    "attributes, field",
    [({**EBOOK, "download_limit": 0}, ["download_limit"]), ({**EBOOK, "price": 3}, [])],
    ids=["download-limit-zero", "unknown-key"],
)
async def test_bad_attributes_are_refused(oms_graphql, oms_accounts, attributes, field):
    created = await create_ebook(oms_graphql.as_(oms_accounts.staff), attributes)
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", *field], "INVALID")
    ]


async def test_file_path_is_not_public(oms_app, oms_graphql, oms_accounts):
    await make_product(oms_app, product_type="digital", sku="EBOOK", attributes=EBOOK)
    query = '{ product(slug: "product-ebook") { variants { attributes } } }'

    public = (await oms_graphql.query(query))["product"]["variants"][0]["attributes"]
    assert public == {key: value for key, value in EBOOK.items() if key != "file"}

    staff = (await oms_graphql.query(query, token=oms_accounts.staff))["product"]["variants"][0]["attributes"]
    assert staff["file"] == "books/guide.pdf"


async def test_nothing_to_ship_and_no_options(oms_app, oms_graphql):
    await make_product(oms_app, product_type="digital", sku="EBOOK", attributes=EBOOK)
    query = """query Price($input: CartInput!) {
      priceCart(input: $input) { requiresShipping shippingMethods { code } userErrors { field code } }
    }"""
    plain = await oms_graphql.query(query, {"input": {"lines": [{"sku": "EBOOK", "quantity": 1}]}})
    assert plain["priceCart"] == {"requiresShipping": False, "shippingMethods": [], "userErrors": []}

    with_options = {"lines": [{"sku": "EBOOK", "quantity": 1, "options": {"format": "epub"}}]}
    refused = await oms_graphql.query(query, {"input": with_options})
    assert refused["priceCart"]["userErrors"] == [{"field": ["lines", "0", "options"], "code": "INVALID"}]
