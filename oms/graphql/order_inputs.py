"""The input shapes of the order operations: the staff's order filter and placeOrder's
input, each turned into the services' plain dataclasses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional, has_object_definition
from strawberry.types.unset import UNSET

from oms.graphql.cart import CartLineInput
from oms.graphql.common import AddressInput
from oms.orders import inputs, search
from oms.orders.status import OrderStatus as DomainOrderStatus
from oms.orders.status import PaymentStatus as DomainPaymentStatus

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainOrderStatus, name="OrderStatus")
OrderStatus = DomainOrderStatus
strawberry.enum(DomainPaymentStatus, name="PaymentStatus")
PaymentStatus = DomainPaymentStatus
strawberry.enum(search.SortField, name="OrderSortField")
OrderSortField = search.SortField


@strawberry.enum
class OrderSortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="How to sort orders; the id breaks ties. Default: newest first (NUMBER, DESC).")
class OrderSort:
    field: OrderSortField
    direction: OrderSortDirection = OrderSortDirection.DESC

    def to_domain(self) -> search.OrderSort:
        return search.OrderSort(field=self.field, descending=self.direction is OrderSortDirection.DESC)


@strawberry.input
class OrderFilter:
    status: list[OrderStatus] | None = None
    payment_status: list[PaymentStatus] | None = None
    product_type: str | None = None
    email: str | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Matches order number, email (its start), customer name (its start), sku or tracking number.",
    )
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    needs_review: bool | None = strawberry.field(
        default=None, description="Orders flagged for staff (a payment after expiry, an amount mismatch)."
    )

    awaiting_fulfillment: bool | None = strawberry.field(
        default=None,
        description='Paid orders with units in no fulfillment yet; with productType: "physical", '
        "the orders awaiting shipment.",
    )
    number: str | None = strawberry.field(default=None, description='The order number, e.g. "1042" or "#1042".')
    customer_name: str | None = strawberry.field(
        default=None, description="Orders whose customer's name starts with this (case and extra spaces ignored)."
    )
    sku: str | None = strawberry.field(default=None, description="Orders with a line of this sku.")
    tracking_number: str | None = strawberry.field(default=None, description="Orders with a parcel of this number.")

    def to_domain(self) -> inputs.OrderFilter:
        return inputs.OrderFilter(
            status=[s.value for s in self.status] if self.status else None,
            payment_status=[s.value for s in self.payment_status] if self.payment_status else None,
            product_type=self.product_type,
            email=self.email,
            search=self.search,
            created_after=self.created_after,
            created_before=self.created_before,
            needs_review=self.needs_review,
            awaiting_fulfillment=self.awaiting_fulfillment,
            number=self.number,
            customer_name=self.customer_name,
            sku=self.sku,
            tracking_number=self.tracking_number,
        )


@strawberry.input
class PlaceOrderInput:
    lines: list[CartLineInput]
    email: str | None = strawberry.field(
        default=None, description="Required for guests; customers default to their account email."
    )
    shipping_address: AddressInput | None = None
    billing_address: AddressInput | None = None
    shipping_method: str | None = None
    idempotency_key: str = strawberry.field(
        description="The same key returns the same order; the same key with another cart is IDEMPOTENCY_CONFLICT."
    )
    note: str | None = None
    discount_codes: list[str] | None = None
    shipping_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="A saved address of the signed-in customer (instead of shippingAddress)."
    )
    billing_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="A saved address of the signed-in customer (instead of billingAddress)."
    )


# placeOrder's input built without Strawberry's generic conversion, which walks the input
# (~45 calls of `convert_argument` for 3 lines and an address) asking of each value's type
# what kind it is. The plan below asks once per input type, on the first request, and
# builds the same instances: graphql-core has already coerced and validated every leaf
# (strings, ints, IDs, JSON), lists of leaves are copied as Strawberry copies them, and a
# field whose type the plan doesn't know (an enum, a GlobalID, Maybe...) goes through
# Strawberry's own conversion. Nothing here can raise a conversion error of its own.
_LEAVES: tuple[object, ...] = (str, int, float, bool, strawberry.ID, JSON)
_Plan = list[tuple[str, str, str, Any]]  # (python name, GraphQL name, kind, nested input or type)


def _field_kind(type_: Any) -> tuple[str, Any]:
    resolved = type_
    if isinstance(type_, StrawberryMaybe):  # a StrawberryOptional too: first
        return "convert", resolved
    if isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    if isinstance(type_, StrawberryList):
        inner = type_.of_type
        if isinstance(inner, StrawberryOptional) and not isinstance(inner, StrawberryMaybe):
            inner = inner.of_type
        if inner in _LEAVES:
            return "leaf list", None
        if _is_input(inner):
            return "input list", inner
        return "convert", resolved
    if type_ in _LEAVES:
        return "leaf", None
    if _is_input(type_):
        return "input", type_
    return "convert", resolved


def _is_input(type_: Any) -> bool:
    return has_object_definition(type_) and type_.__strawberry_definition__.is_input


def _plan(cls: type, context: InputContext) -> tuple[dict[str, None], _Plan]:
    plan = _PLANS.get(cls)
    if plan is None:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        nulls = {
            field.python_name: None
            for field in definition.fields
            if field.default_value is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        }
        fields: _Plan = []
        for field in definition.fields:
            kind, nested = _field_kind(field.resolve_type(type_definition=definition))
            fields.append((field.python_name, context.config.name_converter.from_field(field), kind, nested))
        plan = _PLANS[cls] = (nulls, fields)
    return plan


_PLANS: dict[type, tuple[dict[str, None], _Plan]] = {}


def _build(cls: type, value: Mapping[str, Any], context: InputContext, path: tuple[str | int, ...]) -> Any:
    nulls, fields = _plan(cls, context)
    kwargs: dict[str, Any] = dict(nulls)
    for python_name, name, kind, nested in fields:
        if name not in value:
            continue
        item = value[name]
        if item is None or item is UNSET or kind == "leaf":
            kwargs[python_name] = item
        elif kind == "leaf list":
            kwargs[python_name] = list(item)
        elif kind == "input":
            kwargs[python_name] = _build(nested, item, context, (*path, name))
        elif kind == "input list":
            kwargs[python_name] = [
                None if entry is None else _build(nested, entry, context, (*path, name, index))
                for index, entry in enumerate(item)
            ]
        else:  # resolved type: Strawberry's conversion, keyed by the path below this input
            kwargs[python_name] = context.convert(item, nested, *path[len(context.path) :], name)
    return cls(**kwargs)


def _place_order_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
    return _build(cls, value, context, context.path)


PlaceOrderInput.__strawberry_definition__.from_input = _place_order_input  # type: ignore[attr-defined]
