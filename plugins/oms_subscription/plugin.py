"""Subscriptions: activated on payment, renewed each period."""

from __future__ import annotations

from oms import hookimpl
from oms.plugin_types import ProductType

TYPE_NAME = "subscription"

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "interval": {"enum": ["day", "week", "month", "year"]},
        "interval_count": {"type": "integer", "minimum": 1, "maximum": 36},
        "trial_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "grace_days": {"type": "integer", "minimum": 0, "maximum": 90},
    },
    "required": ["interval"],
    "additionalProperties": False,
}

SUBSCRIPTION = ProductType(
    name=TYPE_NAME,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=("interval", "interval_count", "trial_days", "grace_days"),
    description="A plan activated on payment and renewed every period.",
)


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [SUBSCRIPTION]
