"""Order mutations: placing, paying for and cancelling orders, and marking one paid."""

from __future__ import annotations

import strawberry

from oms.accounts.permissions import Permission
from oms.errors import DomainError, ErrorCode
from oms.graphql.address_book import saved_address, with_saved_shipping
from oms.graphql.cart import cart_input
from oms.graphql.common import UserError, parse_id, user_errors
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.order_inputs import PlaceOrderInput
from oms.graphql.orders import Order, OrderPayload
from oms.graphql.payments import PaymentSession
from oms.orders import access, inputs
from oms.orders import services as orders
from oms.payments import services as payments


@strawberry.type
class PlaceOrderPayload:
    order: Order | None = None
    order_token: str | None = strawberry.field(
        default=None, description="Lets a guest read, follow, cancel and return this order."
    )
    payment: PaymentSession | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayOrderPayload:
    order: Order | None = None
    payment: PaymentSession | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CancelLineInput:
    line_id: strawberry.ID
    quantity: int


@strawberry.type
class OrdersMutation:
    @mutation
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        data = inputs.PlaceOrderInput(
            cart=await with_saved_shipping(cart_input(input), input, context.viewer),
            idempotency_key=input.idempotency_key,
            billing_address=await saved_address(
                context.viewer, input.billing_address, input.billing_address_id, "billingAddress"
            ),
            note=input.note,
        )
        placed = await orders.place_order(
            data,
            viewer=context.viewer,
            plugins=context.plugins,
            settings=context.settings,
            gateway=context.gateway,
        )
        return PlaceOrderPayload(
            order=Order.from_model(placed.order),
            order_token=placed.token,
            payment=PaymentSession.from_domain(placed.payment) if placed.payment else None,
            user_errors=user_errors(placed.payment_error) if placed.payment_error else [],
        )

    @mutation(
        description="The payment session of an order awaiting payment (a subscription renewal, a retry "
        "with another card): customers for their own orders, guests with the order token."
    )
    async def pay_order(self, info: Info, id: strawberry.ID, token: str | None = None) -> PayOrderPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        order_id = parse_id(id, "Order", ["id"])
        order = await context.find_by_token(
            token, lambda: access.find_order(context.viewer, order_id=order_id, token=token), ["token"]
        )
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["id"])
        if context.gateway is None:
            raise DomainError.of(ErrorCode.PAYMENT_FAILED, "No payment gateway is running.")
        session = await orders.open_order_payment(order, plugins=context.plugins, gateway=context.gateway)
        return PayOrderPayload(
            order=Order.from_model(order), payment=PaymentSession.from_domain(session) if session else None
        )

    @mutation(description="Staff: record a payment taken outside Stripe.")
    async def mark_order_paid(self, info: Info, id: strawberry.ID, reference: str | None = None) -> OrderPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_ORDERS)
        order_id = parse_id(id, "Order", ["id"])
        order = await payments.mark_order_paid_by_id(order_id, reference=reference, actor=context.viewer.actor)
        return OrderPayload(order=Order.from_model(order))

    @mutation(
        description="Cancel an order. Unpaid: whole. Paid: customers and guests (token) cancel the whole "
        "order while nothing is shipped or delivered; staff cancel what is not shipped or delivered, "
        "or some units of some lines. The canceled units are refunded."
    )
    async def cancel_order(
        self,
        info: Info,
        id: strawberry.ID,
        token: str | None = None,
        reason: str | None = None,
        lines: list[CancelLineInput] | None = None,
    ) -> OrderPayload:
        context = info.context
        order_id = parse_id(id, "Order", ["id"])
        order = await context.find_by_token(
            token, lambda: access.find_order(context.viewer, order_id=order_id, token=token), ["token"]
        )
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["id"])
        staff = context.viewer.has(Permission.MANAGE_ORDERS)
        quantities = None
        if lines is not None:
            quantities = {}
            for index, line in enumerate(lines):
                line_id = parse_id(line.line_id, "OrderLine", ["lines", str(index), "lineId"])
                if line_id in quantities:
                    raise DomainError.of(ErrorCode.INVALID, "This line is listed twice.", ["lines", index, "lineId"])
                quantities[line_id] = line.quantity
        # A guest is named by the order's email, as on order.placed (never "guest").
        actor = order.email if context.viewer.is_anonymous else context.viewer.actor
        order = await orders.cancel_order(
            order, actor=actor, reason=reason, plugins=context.plugins, lines=quantities, staff=staff
        )
        return OrderPayload(order=Order.from_model(order))
