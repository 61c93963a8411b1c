"""The core's GraphQL types and helpers a plugin's schema uses: the context (``Info``),
relay ids, ``UserError``, the ``mutation`` decorator that turns a DomainError into
``userErrors``, and the core types a plugin field returns or extends."""

from __future__ import annotations

from oms.graphql.catalog import Variant
from oms.graphql.common import Node, PageInfo, UserError, parse_id, to_global_id, user_errors
from oms.graphql.context import Info
from oms.graphql.fulfillment import Fulfillment, FulfillmentPayload, FulfillmentStatus
from oms.graphql.fulfillment_status import FULFILLMENT_STATUS_DESCRIPTION, fulfillment_status_of
from oms.graphql.mutations import mutation
from oms.graphql.orders import Order
from oms.graphql.selection import selects
from oms.pagination import page_size

__all__ = [
    "FULFILLMENT_STATUS_DESCRIPTION",
    "Fulfillment",
    "FulfillmentPayload",
    "FulfillmentStatus",
    "Info",
    "Node",
    "Order",
    "PageInfo",
    "UserError",
    "Variant",
    "fulfillment_status_of",
    "mutation",
    "page_size",
    "parse_id",
    "selects",
    "to_global_id",
    "user_errors",
]
