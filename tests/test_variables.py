"""oms.graphql.variables coerces operation variables by a plan per input type and leaves
everything else to graphql-core: for valid and invalid values alike, the answer must be
graphql-core's own (issue 15)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from graphql import parse
from graphql.execution import executor, values

from oms.graphql import variables
from oms.graphql.schema import schema

PLACE = parse(
    """mutation Place($input: PlaceOrderInput!, $first: Int, $codes: [String!]) {
      placeOrder(input: $input) { orderToken } }"""
)
WITH_DEFAULT = parse("query Q($first: Int = 5) { __typename }")
NODES = PLACE.definitions[0].variable_definitions  # type: ignore[attr-defined]

ADDRESS = {"name": "Ada", "line1": "1 Road", "city": "Berlin", "postalCode": "10115", "country": "DE"}


def order(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "TEE", "quantity": 1, "options": {"size": "M"}}],
        "email": "ada@example.com",
        "shippingAddress": ADDRESS,
        "shippingMethod": "standard",
        "idempotencyKey": "k-1",
    }
    value.update(changes)
    return value


VALID = [
    {"input": order(), "first": 3, "codes": ["A", "B"]},
    {"input": order(), "first": None, "codes": None},
    {"input": order(lines={"sku": "MUG", "quantity": 1}), "first": 1, "codes": "ONE"},  # lists of one
    {"input": order(note=None, billingAddress={**ADDRESS, "line2": None}), "first": 0, "codes": []},
    {"input": order(lines=[{"sku": "MUG", "quantity": 1, "options": [1, {"a": None}]}]), "first": 2, "codes": []},
]
INVALID = [
    {"input": order(), "codes": []},  # a nullable variable not given: graphql-core's path
    {"input": None, "first": 1, "codes": []},
    {"input": order(lines=[{"sku": "MUG", "quantity": "two"}]), "first": 1, "codes": []},
    {"input": order(lines=[{"sku": "MUG", "quantity": 2**40}]), "first": 1, "codes": []},
    {"input": order(lines=[{"sku": "MUG"}]), "first": 1, "codes": []},
    {"input": order(lines=None), "first": 1, "codes": []},
    {"input": order(lines=[None]), "first": 1, "codes": []},
    {"input": order(colour="blue"), "first": 1, "codes": []},
    {"input": order(shippingAddress={**ADDRESS, "name": None}), "first": 1, "codes": []},
    {"input": order(shippingAddress="Berlin"), "first": 1, "codes": []},
    {"input": order(idempotencyKey=7), "first": 1, "codes": []},
    {"input": order(), "first": 1.5, "codes": [None]},
    {"input": order(), "first": "3", "codes": [1]},
    {"input": [order()], "first": 1, "codes": []},
]


def both(nodes: Any, inputs: dict[str, Any], **options: Any) -> tuple[Any, Any]:
    ours = variables.get_variable_values(schema._schema, nodes, copy.deepcopy(inputs), **options)
    theirs = values.get_variable_values(schema._schema, nodes, copy.deepcopy(inputs), **options)
    return ours, theirs


def answer(result: Any) -> Any:
    if isinstance(result, list):
        return [(error.message, error.locations) for error in result]
    # A signature's type is a new wrapper (NonNull, List) each time graphql-core makes it.
    return result.coerced, {
        name: (s.signature.name, str(s.signature.type), s.signature.default, s.signature.default_value, s.value)
        for name, s in result.sources.items()
    }


@pytest.mark.parametrize("inputs", VALID)
def test_valid_values_are_coerced_as_graphql_core_coerces_them(inputs):
    ours, theirs = both(NODES, inputs)
    assert not isinstance(theirs, list)
    assert answer(ours) == answer(theirs)
    assert repr(ours.coerced) == repr(theirs.coerced)  # the same types, too


@pytest.mark.parametrize("inputs", INVALID)
def test_invalid_values_get_graphql_cores_errors(inputs):
    ours, theirs = both(NODES, inputs, max_errors=50)
    assert answer(ours) == answer(theirs)


def test_defaults_and_deep_values_take_graphql_cores_path():
    nodes = WITH_DEFAULT.definitions[0].variable_definitions  # type: ignore[attr-defined]
    for inputs in ({}, {"first": 9}, {"first": "x"}):
        ours, theirs = both(nodes, inputs)
        assert answer(ours) == answer(theirs)
    deep: Any = {"a": 1}
    for _ in range(200):
        deep = [deep]
    inputs = {"input": order(lines=[{"sku": "MUG", "quantity": 1, "options": deep}]), "first": 1, "codes": []}
    assert answer(both(NODES, inputs)[0]) == answer(both(NODES, inputs)[1])


def test_the_plan_answers_a_valid_placement_without_graphql_cores_coercion(monkeypatch):
    variables.install()
    assert executor.get_variable_values is variables.get_variable_values  # type: ignore[attr-defined]
    calls: list[object] = []
    original = values.get_variable_values
    monkeypatch.setattr(values, "get_variable_values", lambda *a, **k: calls.append(a) or original(*a, **k))
    result = variables.get_variable_values(schema._schema, NODES, VALID[0])
    assert not isinstance(result, list) and calls == []
    variables.get_variable_values(schema._schema, NODES, INVALID[2])
    assert len(calls) == 1
