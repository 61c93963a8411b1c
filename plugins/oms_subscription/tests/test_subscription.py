"""The subscription plugin: a plan with a billing interval, bought without options."""

from __future__ import annotations

import pytest

from oms.testing import make_product

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) { product { slug } userErrors { field code message } }
}
"""

PLAN = {"interval": "month", "interval_count": 1, "trial_days": 14, "grace_days": 3}


async def create_plan(graphql, attributes):
    variables = {"input": {"name": "Pro plan", "productType": "subscription",
                           "variants": [{"sku": "PLAN-PRO", "price": "19.00", "attributes": attributes}]}}
    return (await graphql.query(CREATE_PRODUCT, variables))["createProduct"]


async def test_attributes_are_validated(oms_graphql, oms_accounts):
    created = await create_plan(oms_graphql.as_(oms_accounts.staff), PLAN)
    assert created == {"product": {"slug": "pro-plan"}, "userErrors": []}


@pytest.mark.parametrize(
    "attributes, field, code",
    [
        ({"interval_count": 1}, ["interval"], "REQUIRED"),
        ({"interval": "fortnight"}, ["interval"], "INVALID"),
        ({"interval": "month", "interval_count": 0}, ["interval_count"], "INVALID"),
        ({"interval": "month", "seats": 5}, [], "INVALID"),
    ],
    ids=["interval-missing", "interval-unknown", "interval-count-zero", "unknown-key"],
)
async def test_bad_attributes_are_refused(oms_graphql, oms_accounts, attributes, field, code):
    created = await create_plan(oms_graphql.as_(oms_accounts.staff), attributes)
    assert created["product"] is None
    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        (["variants", "0", "attributes", *field], code)
    ]


async def test_plans_are_bought_without_options_or_shipping(oms_app, oms_graphql):
    await make_product(oms_app, product_type="subscription", sku="PLAN-PRO", attributes=PLAN)
    query = """query Price($input: CartInput!) {
      priceCart(input: $input) { requiresShipping userErrors { field code } }
    }"""
    plain = await oms_graphql.query(query, {"input": {"lines": [{"sku": "PLAN-PRO", "quantity": 1}]}})
    assert plain["priceCart"] == {"requiresShipping": False, "userErrors": []}

    with_options = {"lines": [{"sku": "PLAN-PRO", "quantity": 1, "options": {"seats": 3}}]}
    refused = await oms_graphql.query(query, {"input": with_options})
    assert refused["priceCart"]["userErrors"] == [{"field": ["lines", "0", "options"], "code": "INVALID"}]


async def test_plan_attributes_are_public(oms_app, oms_graphql):
    await make_product(oms_app, product_type="subscription", sku="PLAN-PRO", attributes=PLAN)
    data = await oms_graphql.query('{ product(slug: "product-plan-pro") { variants { attributes } } }')
    assert data["product"]["variants"][0]["attributes"] == PLAN
