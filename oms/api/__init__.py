"""The plugin API: the names a plugin imports from oms, and the only ones the built-in
plugins use (tests/test_architecture.py checks it). Everything else in ``oms`` is the
core's own and may change without notice.

- ``oms.api``: the hook marker, declarations (product types, settings, carriers, jobs,
  commands), errors, money, time, who is asking, the timeline, outbox jobs (``enqueue``),
  statuses, settings and the host;
- ``oms.api.models``: the core's database models a plugin reads or points at;
- ``oms.api.graphql``: the core's GraphQL types and helpers a plugin's schema uses;
- ``oms.api.fulfillment``, ``oms.api.orders``, ``oms.api.payments``,
  ``oms.api.inventory``, ``oms.api.access``: the core services a plugin calls;
- ``oms.api.sql``: one hand-written read statement for both dialects (hot paths only).

See docs/writing_plugins.md ("The plugin API").
"""

from __future__ import annotations

from oms import hookimpl, sql
from oms.accounts.permissions import ANONYMOUS, Permission, Viewer
from oms.clock import utcnow
from oms.config import Settings
from oms.errors import DomainError, ErrorCode, FieldError, PluginErrorCode, RateLimited
from oms.fulfillment.models import FulfillmentStatus
from oms.jobs.services import enqueue
from oms.money import Money, parse_amount
from oms.orders.addresses import check_address
from oms.orders.events import record_event
from oms.orders.inputs import CartInput, LineInput, PlaceOrderInput
from oms.orders.status import OrderStatus, PaymentStatus
from oms.payments.gateway import Gateway, PaymentGatewayError, gateway_for
from oms.plugin_settings import SettingError, read_settings
from oms.plugin_types import (
    Carrier,
    Cart,
    CartLine,
    EmailAttachment,
    EmailContent,
    Parcel,
    PeriodicJob,
    PluginCommand,
    PluginSetting,
    ProductType,
    SettingsDeclaration,
    ShippingLabel,
    ShippingMethodOffer,
    TaxableLine,
    TaxCharge,
    TaxRequest,
    TaxResult,
)
from oms.plugins import PluginConfigError, PluginHost
from oms.ratelimit import token_route_lookup, too_many_requests

__all__ = [
    "ANONYMOUS",
    "Carrier",
    "Cart",
    "CartInput",
    "CartLine",
    "DomainError",
    "EmailAttachment",
    "EmailContent",
    "ErrorCode",
    "FieldError",
    "FulfillmentStatus",
    "Gateway",
    "LineInput",
    "Money",
    "OrderStatus",
    "Parcel",
    "PaymentGatewayError",
    "PaymentStatus",
    "PeriodicJob",
    "Permission",
    "PlaceOrderInput",
    "PluginCommand",
    "PluginConfigError",
    "PluginErrorCode",
    "PluginHost",
    "PluginSetting",
    "ProductType",
    "RateLimited",
    "SettingError",
    "Settings",
    "SettingsDeclaration",
    "ShippingLabel",
    "ShippingMethodOffer",
    "TaxCharge",
    "TaxRequest",
    "TaxResult",
    "TaxableLine",
    "Viewer",
    "check_address",
    "enqueue",
    "gateway_for",
    "hookimpl",
    "parse_amount",
    "read_settings",
    "record_event",
    "sql",
    "token_route_lookup",
    "too_many_requests",
    "utcnow",
]
