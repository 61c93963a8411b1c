"""The schema: root types composed from the per-domain pieces, plus ``node(id:)``."""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, cast

import strawberry
from graphql import GraphQLError
from graphql.validation import MaxIntrospectionDepthRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition
from strawberry.types.field import StrawberryField

from oms.accounts.models import Customer as CustomerModel
from oms.accounts.permissions import Permission
from oms.catalog import models as catalog_models
from oms.config import Settings
from oms.dbfaults import UNAVAILABLE_MESSAGE, is_unavailable
from oms.errors import DomainError, ErrorCode
from oms.fulfillment import models as fulfillment_models
from oms.graphql import accounts as graphql_accounts
from oms.graphql.accounts import AccountsMutation, AccountsQuery
from oms.graphql.address_book import customer_address_node
from oms.graphql.cart import CartQuery
from oms.graphql.catalog import CatalogMutation, CatalogQuery, Product, Variant, sees_hidden
from oms.graphql.catalog_admin import CatalogAdminMutation, CatalogAdminQuery
from oms.graphql.common import Node, UserError, from_global_id, to_global_id
from oms.graphql.context import Context, Info
from oms.graphql.customer_accounts import CustomerAccountsMutation
from oms.graphql.discounts import DiscountsMutation, DiscountsQuery, discount_code_node
from oms.graphql.errors import (
    CLIENT_ERROR,
    UNEXPECTED,
    MaskUnexpected,
    client_message,
    is_client_error,
    is_expected,
    request_id_of,
)
from oms.graphql.execution import OmsExecutionContext, use_lean_resolvers
from oms.graphql.fulfillment import Fulfillment, details_field
from oms.graphql.inventory import InventoryMutation, InventoryQuery, warehouse_node
from oms.graphql.jobs import JobsMutation, JobsQuery, job_node
from oms.graphql.limits import DocumentCache, Limits, ParseWithinLimits, QueryCost
from oms.graphql.loaders import Loaders
from oms.graphql.order_mutations import OrdersMutation
from oms.graphql.orders import Customer, Order, OrderLine, OrdersQuery
from oms.graphql.payments import Payment
from oms.graphql.refunds import RefundsMutation, refund_node
from oms.graphql.reports import ReportsQuery
from oms.graphql.returns import ReturnsMutation
from oms.graphql.shipping_zones import ShippingZonesMutation, ShippingZonesQuery, shipping_zone_node
from oms.graphql.staff import StaffMutation, StaffQuery, staff_node
from oms.graphql.subscriptions import LiveSubscription
from oms.graphql.taxes import TaxesMutation, TaxesQuery, tax_rate_node
from oms.graphql.text import StorableStringLiterals
from oms.graphql.webhooks import WebhooksMutation, WebhooksQuery, webhook_endpoint_node
from oms.orders import access
from oms.orders import models as order_models
from oms.payments.models import Payment as PaymentModel
from oms.plugin_checks import check_graphql_type_names, declared_error_codes
from oms.plugins import PluginConfigError, PluginHost

logger = logging.getLogger("oms.graphql")


async def _product(info: Info, pk: int) -> Node | None:
    product = await catalog_models.Product.get_or_none(id=pk)
    if product is None or not (product.on_sale or sees_hidden(info)):  # drafts and archived: staff only
        return None
    return Product.from_model(product)


async def _variant(info: Info, pk: int) -> Node | None:
    variant = await catalog_models.Variant.get_or_none(id=pk).select_related("product")
    if variant is None:
        return None
    if not (variant.product.on_sale and variant.archived_at is None) and not sees_hidden(info):
        return None
    return Variant.from_model(variant)


async def _order(info: Info, pk: int) -> Node | None:
    order = await access.find_order(info.context.viewer, order_id=pk, token=None)
    return Order.from_model(order) if order else None


async def _order_line(info: Info, pk: int) -> Node | None:
    line = await order_models.OrderLine.get_or_none(id=pk).select_related("order")
    if line is None or not access.can_access(info.context.viewer, line.order):
        return None
    return OrderLine.from_model(line)


async def _customer(info: Info, pk: int) -> Node | None:
    viewer = info.context.viewer
    own = viewer.customer is not None and viewer.customer.id == pk
    if not own and not viewer.has(Permission.MANAGE_ORDERS):
        return None
    customer = await CustomerModel.get_or_none(id=pk)
    if customer is None:
        return None
    return Customer(id=to_global_id("Customer", customer.id), email=customer.email, name=customer.name)


async def _payment(info: Info, pk: int) -> Node | None:
    payment = await PaymentModel.get_or_none(id=pk).select_related("order")
    if payment is None or not access.can_access(info.context.viewer, payment.order):
        return None
    return Payment.from_model(payment, show_reference=info.context.viewer.has(Permission.MANAGE_ORDERS))


async def _fulfillment(info: Info, pk: int) -> Node | None:
    fulfillment = await fulfillment_models.Fulfillment.get_or_none(id=pk).select_related("order")
    if fulfillment is None or not access.can_access(info.context.viewer, fulfillment.order):
        return None
    return Fulfillment.from_model(fulfillment)


NODE_RESOLVERS: dict[str, Callable[[Info, int], Awaitable[Node | None]]] = {
    "Product": _product,
    "Variant": _variant,
    "Order": _order,
    "OrderLine": _order_line,
    "Customer": _customer,
    "Payment": _payment,
    "Refund": refund_node,
    "Job": job_node,
    "StaffMember": staff_node,
    "Fulfillment": _fulfillment,
    "WebhookEndpoint": webhook_endpoint_node,
    "DiscountCode": discount_code_node,
    "TaxRate": tax_rate_node,
    "ShippingZone": shipping_zone_node,
    "CustomerAddress": customer_address_node,
    "Warehouse": warehouse_node,
}


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        parsed = from_global_id(id)
        schema = info.schema
        resolvers = schema.node_resolvers if isinstance(schema, OmsSchema) else NODE_RESOLVERS
        if parsed is None or parsed[0] not in resolvers:
            return None
        return await resolvers[parsed[0]](info, parsed[1])


def _plugin_node_resolvers(
    built: strawberry.Schema, core: Mapping[str, Callable[[Info, int], Awaitable[Node | None]]]
) -> dict[str, Callable[[Info, int], Awaitable[Node | None]]]:
    """Node resolvers of plugin types in the schema: a Node type with a
    ``resolve_node(info, pk)`` classmethod (it checks who may see the row)."""
    resolvers = {}
    for name, concrete in built.schema_converter.type_map.items():
        origin = getattr(concrete.definition, "origin", None)
        resolve = getattr(origin, "resolve_node", None)
        if name not in core and callable(resolve) and isinstance(origin, type) and issubclass(origin, Node):
            resolvers[name] = resolve
    return resolvers


CORE_ROOT_PARTS: dict[str, tuple[type, ...]] = {
    "Query": (
        NodeQuery,
        CatalogQuery,
        CatalogAdminQuery,
        CartQuery,
        OrdersQuery,
        AccountsQuery,
        JobsQuery,
        StaffQuery,
        WebhooksQuery,
        DiscountsQuery,
        TaxesQuery,
        ShippingZonesQuery,
        ReportsQuery,
    ),
    "Mutation": (
        AccountsMutation,
        CustomerAccountsMutation,
        OrdersMutation,
        CatalogMutation,
        CatalogAdminMutation,
        JobsMutation,
        StaffMutation,
        RefundsMutation,
        ReturnsMutation,
        WebhooksMutation,
        DiscountsMutation,
        TaxesMutation,
        ShippingZonesMutation,
        InventoryMutation,
    ),
    "Subscription": (LiveSubscription,),
}
# Warehouses and stock (appended on its own line: parallel branches each add a part here).
CORE_ROOT_PARTS["Query"] += (InventoryQuery,)
# Core object types plugins may add fields to (``oms_graphql_fields``), by GraphQL name.
EXTENSIBLE_TYPES: dict[str, type] = {
    "Me": graphql_accounts.CoreMe,
    "Order": Order,
    "OrderLine": OrderLine,
    "Product": Product,
    "Variant": Variant,
}
FIELD_HOSTS = (*CORE_ROOT_PARTS, *EXTENSIBLE_TYPES)


def _error_code_field(plugin_codes: Iterable[str]) -> StrawberryField:
    """``UserError.code`` of one schema: the ``ErrorCode`` enum of the core's codes and
    then the plugins' (``oms_error_codes``), made for this schema alone."""
    names = [code.value for code in ErrorCode] + [name for name in plugin_codes]
    values = enum.Enum("ErrorCode", [(name, name) for name in names])  # type: ignore[misc]

    def code(root: UserError) -> Any:
        return getattr(root.code, "value", root.code)  # ErrorCode, PluginErrorCode or its name

    field = strawberry.field(resolver=code, graphql_type=strawberry.enum(values, name="ErrorCode"))
    field.python_name = "code"
    return field


def _fields(part: type) -> list[StrawberryField]:
    return list(get_object_definition(part, strict=True).fields)


def _check_parts(name: str, parts: Sequence[type]) -> None:
    """A field of ``name`` defined twice (by the core and a plugin, or two plugins) is a
    start-up error naming both."""
    taken: dict[str, str] = {}
    for part in parts:
        if not hasattr(part, "__strawberry_definition__"):
            raise PluginConfigError(f"oms_graphql_fields: {part!r} is not a Strawberry type.")
        for field in _fields(part):
            if field.python_name in taken and taken[field.python_name] != part.__qualname__:
                raise PluginConfigError(
                    f"oms_graphql_fields: {name}.{field.python_name} is defined by both "
                    f"{taken[field.python_name]} and {part.__qualname__}."
                )
            taken[field.python_name] = part.__qualname__


def _root_type(name: str, plugin_parts: list[type]) -> type:
    """The root type ``name``: the core's parts plus the plugins' (``oms_graphql_fields``).
    A plugin field that would replace another field is a start-up error."""
    core = CORE_ROOT_PARTS[name]
    _check_parts(name, (*core, *plugin_parts))
    # Plugin parts first, so the method resolution order cannot let a core field shadow one.
    return strawberry.type(type(name, (*plugin_parts, *core), {}), name=name)


def _added_fields(name: str, plugin_parts: list[type]) -> list[StrawberryField]:
    """The plugins' fields of the core type ``name``, in the order the plugins give them."""
    _check_parts(name, (EXTENSIBLE_TYPES[name], *plugin_parts))
    return [field for part in plugin_parts for field in _fields(part)]


def _plugin_parts(plugins: PluginHost) -> dict[str, list[type]]:
    parts: dict[str, list[type]] = {name: [] for name in FIELD_HOSTS}
    for contribution in plugins.call_all_sync("oms_graphql_fields"):
        for host, types in (contribution or {}).items():
            if host not in parts:
                raise PluginConfigError(f"oms_graphql_fields: no type {host!r} (use {', '.join(FIELD_HOSTS)}).")
            parts[host].extend(types)
    return parts


class OmsSchema(strawberry.Schema):
    """A schema whose core object types carry the fields one build's plugins add.

    ``added_fields`` maps a core type to the fields to put first in it (the plugins');
    ``appended_fields`` to fields to put last (``Fulfillment.details``);
    ``replaced_fields`` to fields that replace the core's of the same name
    (``UserError.code``, whose enum holds the plugins' codes).
    ``node_resolvers`` answers ``node(id:)`` by type name. All three belong to this
    schema alone: building another schema (other plugins) changes nothing here."""

    def __init__(
        self,
        *args: Any,
        added_fields: Mapping[type, list[StrawberryField]],
        appended_fields: Mapping[type, list[StrawberryField]],
        replaced_fields: Mapping[type, Mapping[str, StrawberryField]],
        node_resolvers: Mapping[str, Callable[[Info, int], Awaitable[Node | None]]],
        **kwargs: Any,
    ) -> None:
        self._added_fields = dict(added_fields)
        self._appended_fields = dict(appended_fields)
        self._replaced_fields = dict(replaced_fields)
        super().__init__(*args, **kwargs)
        self.node_resolvers = {**node_resolvers, **_plugin_node_resolvers(self, node_resolvers)}
        # The documents its requests parsed (oms/graphql/limits.py); build_schema shares
        # this one with the schema's parse and validation extensions.
        self.documents = DocumentCache()
        use_lean_resolvers(self._schema, self)  # oms/graphql/execution.py

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        origin = type_definition.origin
        replaced = self._replaced_fields.get(origin, {})
        return [
            *self._added_fields.get(origin, ()),
            *(replaced.get(field.python_name, field) for field in type_definition.fields),
            *self._appended_fields.get(origin, ()),
        ]

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Give every error a code; log each unexpected one ONCE, with its traceback and
        the request id its (masked) answer carries. Client mistakes are not logged: their
        documents may hold passwords."""
        for error in errors:
            extensions = error.extensions or {}
            if is_unavailable(error.original_error):  # retryable: say so, with a code
                error.message = UNAVAILABLE_MESSAGE
                error.extensions = {**extensions, "code": "SERVICE_UNAVAILABLE"}
                logging.getLogger("oms.db").warning("database unavailable: %s", type(error.original_error).__name__)
            elif is_expected(error):
                domain_error = cast(DomainError, error.original_error)  # is_expected: a DomainError
                error.extensions = {**extensions, "code": domain_error.code.value}
            elif is_client_error(error):
                error.extensions = {"code": CLIENT_ERROR, **extensions}
                error.message = client_message(error) or error.message
            else:
                context = getattr(execution_context, "context", None)
                request_id = request_id_of(getattr(context, "request", None))
                error.extensions = {**extensions, "code": UNEXPECTED, "requestId": request_id}
                operation = getattr(execution_context, "operation_name", None) or "anonymous"
                logger.error(
                    "Unexpected error in GraphQL operation %s at %s (request id %s)",
                    operation,
                    ".".join(str(part) for part in error.path or ()) or "-",
                    request_id,
                    exc_info=error.original_error,
                )


def _mask(error: GraphQLError) -> bool:
    """Hide internals of unexpected failures; keep validation, input coercion (a price of
    "twelve", a variable "ten" for an Int), database outages and domain errors readable."""
    return not is_expected(error) and not is_client_error(error) and not is_unavailable(error.original_error)


class FreshLoaders(SchemaExtension):
    """New DataLoaders for every operation: a websocket keeps one context for all its
    operations, and cached rows must not outlive the operation that loaded them. When the
    operation ends its loaders are released (with the rows and futures they cached), so that
    reference counting frees them at once, also while the context lives on (a websocket's,
    or one something else still refers to; OmsExecutionContext.build_response breaks
    graphql-core's own cycle through it)."""

    def on_operation(self):
        context = self.execution_context.context
        if not isinstance(context, Context):
            yield
            return
        # A context's first operation keeps the loaders it was made with (an HTTP
        # request's only one, usually).
        if context.operations:
            context.loaders = Loaders.create()
        context.operations += 1
        try:
            yield
        finally:
            context.loaders.release()


def build_schema(settings: Settings | None = None, plugins: PluginHost | None = None) -> strawberry.Schema:
    """The schema for ``settings`` with the fields and fulfillment details that
    ``plugins`` contribute (default: the installed plugins)."""
    settings = settings or Settings()
    plugins = plugins or PluginHost.load()
    # Depth, aliases, expanded selections and overlapping-field pairs, measured linearly
    # and checked before graphql-core's own rules (see oms/graphql/limits.py).
    limits = Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_query_aliases,
        max_selections=settings.max_query_selections,
        max_field_pairs=settings.max_query_field_pairs,
    )
    rules: list[Any] = [StorableStringLiterals, MaxIntrospectionDepthRule]
    if not settings.introspection_enabled:  # production default (OMS_INTROSPECTION)
        rules.append(NoSchemaIntrospectionCustomRule)
    # Parsed documents and their verdicts by query text, for this schema alone.
    documents = DocumentCache()
    extensions: list[Any] = [
        lambda: ParseWithinLimits(
            max_bytes=settings.max_query_bytes, max_tokens=settings.max_query_tokens, documents=documents
        ),
        # Introspection is not counted in the depth (GraphiQL's query is deep), so its
        # list nesting is bounded by graphql-core's rule instead: `types { fields { type {
        # fields ...` grows the answer tenfold per level.
        lambda: QueryCost(limits, rules=rules, documents=documents),
        FreshLoaders,
        graphql_accounts.SessionRecheck,
    ]
    if not settings.debug:
        extensions.append(lambda: MaskUnexpected(should_mask_error=_mask))
    parts = _plugin_parts(plugins)
    detail_types = plugins.collect("oms_graphql_types")
    for detail_type in detail_types:
        if not hasattr(detail_type, "__strawberry_definition__") or not (
            callable(getattr(detail_type, "from_fulfillments", None))
            or callable(getattr(detail_type, "from_fulfillment", None))
        ):
            raise PluginConfigError(
                f"oms_graphql_types: {detail_type!r} must be a Strawberry type with a "
                "from_fulfillments (or from_fulfillment) classmethod."
            )
    core_types = [Product, Variant, Order, OrderLine, Customer, Fulfillment, graphql_accounts.CoreMe]
    check_graphql_type_names(plugins, CORE_ROOT_PARTS, core_types)  # a clash names both sides
    added = {EXTENSIBLE_TYPES[name]: _added_fields(name, parts[name]) for name in EXTENSIBLE_TYPES}
    # No plugin describes fulfillments: an empty union is not valid GraphQL, so no field.
    appended: dict[type, list[StrawberryField]] = {Fulfillment: [details_field(detail_types)]} if detail_types else {}
    built = OmsSchema(
        query=_root_type("Query", parts["Query"]),
        mutation=_root_type("Mutation", parts["Mutation"]),
        subscription=_root_type("Subscription", parts["Subscription"]),
        types=[Product, Variant, Order, OrderLine, Customer, Fulfillment, *detail_types],
        extensions=extensions,
        added_fields=added,
        appended_fields=appended,
        replaced_fields={UserError: {"code": _error_code_field(declared_error_codes(plugins))}},
        node_resolvers=NODE_RESOLVERS,
        # Plain scalar fields skip graphql-core's per-field bookkeeping (oms/graphql/execution.py).
        execution_context_class=OmsExecutionContext,
    )
    built.documents = documents
    return built


# For `strawberry export-schema oms.graphql.schema:schema` and the schema-drift test.
schema = build_schema()


def export_sdl() -> str:
    """The SDL committed as ``schema.graphql``."""
    return schema.as_str() + "\n"
