"""Typed options: each built-in product type publishes complete JSON schemas
(`productTypes { optionsSchema attributesSchema }`) that clients can generate types from,
and what they publish is what the server enforces."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from oms.testing import make_product

BUILT_IN = {"physical", "digital", "subscription", "consultation"}
SCHEMAS = "{ productTypes { name optionsSchema attributesSchema } }"
# A valid variant of each type (what make_product stores as attributes).
ATTRIBUTES = {
    "physical": {"weight_grams": 500},
    "digital": {},
    "subscription": {"interval": "month"},
}


def closed_objects(schema: dict) -> list[dict]:
    """Every object schema inside ``schema`` (itself included)."""
    found, stack = [], [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


async def test_built_in_types_publish_valid_closed_schemas(oms_graphql):
    types = {t["name"]: t for t in (await oms_graphql.query(SCHEMAS))["productTypes"]}
    assert BUILT_IN <= set(types)
    for name in BUILT_IN:
        published = [s for s in (types[name]["attributesSchema"], types[name]["optionsSchema"]) if s is not None]
        assert types[name]["attributesSchema"] is not None, name
        for schema in published:
            Draft202012Validator.check_schema(schema)
            objects = closed_objects(schema)
            assert objects and objects[0] is schema, name
            # Closed: declared properties only, or a map whose keys are an enum (weekdays),
            # so generated types are exact.
            assert all(
                (o.get("additionalProperties") is False and "properties" in o) or "enum" in o.get("propertyNames", {})
                for o in objects
            ), name
    # Only consultation lines take options (a slot).
    assert types["consultation"]["optionsSchema"]["required"] == ["slot"]
    assert {n for n in BUILT_IN if types[n]["optionsSchema"] is None} == BUILT_IN - {"consultation"}


@pytest.mark.parametrize("product_type", sorted(ATTRIBUTES))
async def test_a_null_options_schema_means_no_options(oms_app, oms_graphql, product_type):
    await make_product(
        oms_app,
        product_type=product_type,
        sku=f"{product_type}-1",
        attributes=ATTRIBUTES[product_type],
        stock=5 if product_type == "physical" else None,
    )
    query = """query($sku: String!, $options: JSON) {
      priceCart(input: {lines: [{sku: $sku, quantity: 1, options: $options}]}) { userErrors { field code } } }"""
    plain = await oms_graphql.query(query, {"sku": f"{product_type}-1", "options": None})
    assert plain["priceCart"]["userErrors"] == []
    refused = await oms_graphql.query(query, {"sku": f"{product_type}-1", "options": {"colour": "red"}})
    errors = refused["priceCart"]["userErrors"]
    assert errors and all(e["field"][:3] == ["lines", "0", "options"] for e in errors), errors


async def test_published_attributes_schema_is_what_the_server_enforces(oms_graphql):
    types = {t["name"]: t for t in (await oms_graphql.query(SCHEMAS))["productTypes"]}
    for name, attributes in ATTRIBUTES.items():
        validator = Draft202012Validator(types[name]["attributesSchema"])
        assert validator.is_valid(attributes), name
        assert not validator.is_valid({**attributes, "unknown": 1}), name
