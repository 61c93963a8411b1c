"""The input shapes of the order operations: the staff's order filter and placeOrder's
input, each turned into the services' plain dataclasses."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

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
