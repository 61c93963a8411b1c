"""placeOrder's input is built by a lean path (oms/graphql/order_inputs.py); it must build
exactly what Strawberry's generic conversion builds."""

from __future__ import annotations

from typing import Any

from strawberry.types.arguments import convert_argument

from oms.graphql.order_inputs import PlaceOrderInput
from oms.graphql.schema import schema

ADDRESS = {"name": "N", "line1": "L", "line2": None, "city": "C", "postalCode": "P", "country": "DE"}
VALUES: list[dict[str, Any]] = [
    {
        "lines": [{"sku": "A", "quantity": 1, "options": {"slot": ["x", 1]}}, {"sku": "B", "quantity": 2}],
        "email": "a@example.com",
        "shippingAddress": ADDRESS,
        "billingAddress": None,
        "shippingMethod": "standard",
        "idempotencyKey": "k",
        "discountCodes": ["X", "Y"],
        "shippingAddressId": "5",
        "note": "n",
    },
    {"lines": [], "idempotencyKey": "k", "note": None, "discountCodes": None, "billingAddress": ADDRESS},
]


def test_the_lean_input_equals_strawberrys_conversion() -> None:
    definition = PlaceOrderInput.__strawberry_definition__  # type: ignore[attr-defined]
    registry = schema.schema_converter.scalar_registry
    lean = definition.from_input
    assert lean is not None
    for value in VALUES:
        built: Any = convert_argument(value, PlaceOrderInput, registry, schema.config, path=("input",))
        definition.from_input = None
        try:
            generic = convert_argument(value, PlaceOrderInput, registry, schema.config, path=("input",))
        finally:
            definition.from_input = lean
        assert repr(built) == repr(generic)
        assert built == generic
        assert built.discount_codes is not value.get("discountCodes") or built.discount_codes is None
