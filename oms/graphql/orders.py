"""Order types and finding orders (the mutations are in oms/graphql/order_mutations.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql.pyutils import Undefined
from strawberry.scalars import JSON

from oms.accounts.permissions import Permission
from oms.errors import DomainError
from oms.graphql.cart import ShippingMethod
from oms.graphql.common import (
    Address,
    Money,
    Node,
    PageInfo,
    UserError,
    connection,
    parse_id,
    to_global_id,
)
from oms.graphql.context import Info
from oms.graphql.lean import answers_without_info
from oms.graphql.loaders import load_each
from oms.graphql.order_inputs import OrderFilter, OrderSort, OrderStatus, PaymentStatus
from oms.graphql.payments import Payment, Refund, order_refunds
from oms.graphql.selection import selects, selects_path
from oms.graphql.tax_lines import TaxLine
from oms.money import quantize
from oms.orders import access, search
from oms.orders import models as order_models
from oms.orders.amounts import line_paid
from oms.orders.events import customer_view
from oms.orders.status import LineStatus as DomainLineStatus
from oms.pagination import Page

if TYPE_CHECKING:
    from oms.graphql.fulfillment import Fulfillment
    from oms.graphql.returns import Return

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainLineStatus, name="LineStatus")
LineStatus = DomainLineStatus


def _money(amount: Decimal | int, currency: str) -> Money:
    """``Money.of(amount, currency)`` for an amount read from an order or a line, without
    the domain Money made and dropped in between (the same rounding, ``money.quantize``):
    a page of 100 orders with lines makes ~270 of them."""
    currency = currency or ""
    return Money(amount=quantize(Decimal(amount), currency), currency=currency)


@strawberry.type
class Customer(Node):
    id: strawberry.ID
    email: str
    name: str | None


@strawberry.type
class OrderLine(Node):
    model: strawberry.Private[order_models.OrderLine]
    id: strawberry.ID
    sku: str
    name: str
    product_type: str
    options: JSON | None
    quantity: int
    quantity_fulfilled: int
    quantity_canceled: int
    quantity_returned: int
    status: LineStatus

    @classmethod
    def from_model(cls, line: order_models.OrderLine) -> OrderLine:
        return cls(
            model=line,
            id=to_global_id("OrderLine", line.id),
            sku=line.sku,
            name=line.name,
            product_type=line.product_type,
            options=JSON(line.options),
            quantity=line.quantity,
            quantity_fulfilled=line.quantity_fulfilled,
            quantity_canceled=line.quantity_canceled,
            quantity_returned=line.quantity_returned,
            status=line.status,
        )

    @strawberry.field(description="Units neither canceled nor in a fulfillment yet (e.g. still to ship).")
    def quantity_to_fulfill(self) -> int:
        return self.model.quantity - self.model.quantity_canceled - self.model.quantity_allocated

    @strawberry.field
    def unit_price(self) -> Money:
        return _money(self.model.unit_price, self.model.currency)

    @strawberry.field
    def total(self) -> Money:
        return _money(self.model.unit_price * self.model.quantity, self.model.currency)

    @strawberry.field(description="This line's share of the order's discounts.")
    def discount(self) -> Money:
        return _money(self.model.discount or 0, self.model.currency)

    @strawberry.field(description="Tax included in or added to this line, as charged at placement.")
    def tax(self) -> Money:
        return _money(self.model.tax, self.model.currency)

    @strawberry.field(description="Percent; null when the line was not taxed.")
    def tax_rate(self) -> Decimal | None:
        return Decimal(self.model.tax_rate) if self.model.tax_rate is not None else None

    @strawberry.field(description="What the customer paid for the line: less discounts, tax included.")
    def gross(self) -> Money:
        return _money(line_paid(self.model), self.model.currency)

    @strawberry.field(description="gross less tax.")
    def net(self) -> Money:
        return _money(line_paid(self.model) - self.model.tax, self.model.currency)


@strawberry.type(description="One entry of an order's timeline: every change to an order writes one.")
class OrderEvent:
    id: strawberry.ID
    type: str
    message: str
    actor: str | None = strawberry.field(
        description="Who did it: a staff email, a customer email, 'system' or a plugin name."
    )
    data: JSON | None
    created_at: dt.datetime

    @classmethod
    def from_model(cls, event: order_models.OrderEvent) -> OrderEvent:
        return cls(
            id=to_global_id("OrderEvent", event.id),
            type=event.type,
            message=event.message,
            actor=event.actor,
            data=JSON(event.data),
            created_at=event.created_at,
        )


def _prefetched_lines(order: Order) -> list[OrderLine] | Any:
    """``Order.lines`` when the page loaded them (no Info needed), else Undefined."""
    if order.prefetched_lines is None:
        return Undefined
    return [OrderLine.from_model(line) for line in order.prefetched_lines]


@strawberry.type
class Order(Node):
    model: strawberry.Private[order_models.Order]
    id: strawberry.ID
    number: str
    status: OrderStatus
    payment_status: PaymentStatus
    email: str
    currency: str
    note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    paid_at: dt.datetime | None
    completed_at: dt.datetime | None
    canceled_at: dt.datetime | None
    # The order's lines when the resolver that made this node loaded them for a whole page
    # at once (OrdersQuery.orders): `lines` then answers without an await.
    prefetched_lines: strawberry.Private[list[order_models.OrderLine] | None] = None

    @classmethod
    def from_model(cls, order: order_models.Order, lines: list[order_models.OrderLine] | None = None) -> Order:
        assert order.number is not None  # set in the transaction that places the order
        return cls(
            model=order,
            id=to_global_id("Order", order.id),
            number=order.number,
            status=order.status,
            payment_status=order.payment_status,
            email=order.email,
            currency=order.currency,
            note=order.note,
            created_at=order.created_at,
            updated_at=order.updated_at,
            paid_at=order.paid_at,
            completed_at=order.completed_at,
            canceled_at=order.canceled_at,
            prefetched_lines=lines,
        )

    @strawberry.field
    async def customer(self, info: Info) -> Customer | None:
        if self.model.customer_id is None:
            return None
        customer = await info.context.loaders.customer.load(self.model.customer_id)
        if customer is None:
            return None
        return Customer(id=to_global_id("Customer", customer.id), email=customer.email, name=customer.name)

    @strawberry.field(graphql_type=list[OrderLine])
    @answers_without_info(_prefetched_lines)
    def lines(self, info: Info) -> list[OrderLine] | Awaitable[list[OrderLine]]:
        # Synchronous when the page loaded the lines: an awaited field makes graphql-core
        # complete its order, edge and list asynchronously too (a task per order).
        lines = _prefetched_lines(self)
        if lines is not Undefined:
            return lines
        return self._load_lines(info)

    async def _load_lines(self, info: Info) -> list[OrderLine]:
        rows = await info.context.loaders.lines_by_order.load(self.model.id)
        return [OrderLine.from_model(line) for line in rows]

    @strawberry.field
    async def events(self, info: Info) -> list[OrderEvent]:
        rows = await info.context.loaders.events_by_order.load(self.model.id)
        if not info.context.viewer.has(Permission.MANAGE_ORDERS):
            rows = [e for e in (customer_view(event, self.model) for event in rows) if e is not None]
        return [OrderEvent.from_model(event) for event in rows]

    @strawberry.field(description="Staff: something needs attention, e.g. a payment after expiry. Null for others.")
    def needs_review(self, info: Info) -> bool | None:
        if not info.context.viewer.has(Permission.MANAGE_ORDERS):
            return None
        return self.model.needs_review

    @strawberry.field
    async def payments(self, info: Info) -> list[Payment]:
        rows = await info.context.loaders.payments_by_order.load(self.model.id)
        staff = info.context.viewer.has(Permission.MANAGE_ORDERS)
        return [Payment.from_model(payment, show_reference=staff) for payment in rows]

    @strawberry.field(description="Money given back for this order, oldest first.")
    async def refunds(self, info: Info) -> list[Refund]:
        return await order_refunds(info, self.model.id)

    @strawberry.field(description="What the plugins delivered so far: parcels, downloads...")
    async def fulfillments(
        self, info: Info
    ) -> list[Annotated[Fulfillment, strawberry.lazy("oms.graphql.fulfillment")]]:
        from oms.graphql.fulfillment import Fulfillment

        rows = await info.context.loaders.fulfillments_by_order.load(self.model.id)
        return [Fulfillment.from_model(row) for row in rows]

    @strawberry.field(description="Returns asked for on this order, oldest first.")
    async def returns(self) -> list[Annotated[Return, strawberry.lazy("oms.graphql.returns")]]:
        from oms.graphql.returns import order_returns

        return await order_returns(self.model)

    @strawberry.field
    def subtotal(self) -> Money:
        return _money(self.model.subtotal, self.model.currency)

    @strawberry.field
    def shipping_total(self) -> Money:
        return _money(self.model.shipping_total, self.model.currency)

    @strawberry.field
    def total(self) -> Money:
        return _money(self.model.total, self.model.currency)

    @strawberry.field(description="What discount codes took off: the lines' shares plus shippingDiscount.")
    def discount_total(self) -> Money:
        return _money(self.model.discount_total or 0, self.model.currency)

    @strawberry.field(description="What discount codes took off shipping (free shipping).")
    def shipping_discount(self) -> Money:
        return _money(self.model.shipping_discount or 0, self.model.currency)

    @strawberry.field
    def refunded_total(self) -> Money:
        return _money(self.model.refunded_total, self.model.currency)

    @strawberry.field(description="Tax on the lines and shipping; part of total unless pricesIncludeTax.")
    def tax_total(self) -> Money:
        return _money(self.model.tax_total, self.model.currency)

    @strawberry.field(description="Tax on shipping (part of taxTotal).")
    def shipping_tax(self) -> Money:
        return _money(self.model.shipping_tax, self.model.currency)

    @strawberry.field(description="The prices of this order include tax (else taxTotal was added to the total).")
    def prices_include_tax(self) -> bool:
        return self.model.prices_include_tax

    @strawberry.field(description="Tax by rate: the lines' and the shipping's.")
    def tax_lines(self) -> list[TaxLine]:
        return [TaxLine.from_stored(line, self.model.currency) for line in self.model.tax_lines or ()]

    @strawberry.field
    def shipping_address(self) -> Address | None:
        return Address.from_dict(self.model.shipping_address)

    @strawberry.field
    def billing_address(self) -> Address | None:
        return Address.from_dict(self.model.billing_address)

    @strawberry.field
    def shipping_method(self) -> ShippingMethod | None:
        method = self.model.shipping_method
        if not method:
            return None
        return ShippingMethod(
            code=method["code"], name=method["name"], price=Money.of(method["price"], self.model.currency)
        )


@strawberry.type
class OrderEdge:
    node: Order
    cursor: str


@strawberry.type
class OrderConnection:
    edges: list[OrderEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    async def from_page(cls, info: Info, page: Page[order_models.Order]) -> OrderConnection:
        """The connection of a keyset page (``me.orders``), the page's lines loaded ahead
        in one batch when the query selects them (as ``orders`` does)."""
        lines = dict(zip([order.id for order in page.items], await page_lines(info, page.items), strict=True))
        return connection(cls, OrderEdge, page, lambda order: Order.from_model(order, lines=lines[order.id]))


async def page_lines(info: Info, orders: list[order_models.Order]) -> list[list[order_models.OrderLine] | None]:
    """The lines of each order of a page when the query selects ``edges.node.lines``: one
    query for the whole page, through the request's loader (the same rows ``lines`` would
    load order by order), so that ``Order.lines`` answers without an await. None each
    when not selected."""
    if orders and selects_path(info, "edges", "node", "lines"):
        return await load_each(info.context.loaders.lines_by_order, [order.id for order in orders])
    return [None] * len(orders)


@strawberry.type
class OrderPayload:
    order: Order | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrdersQuery:
    @strawberry.field(description="A customer's own order, any order for staff, or a guest's order with its token.")
    async def order(self, info: Info, id: strawberry.ID | None = None, token: str | None = None) -> Order | None:
        try:
            order_id = parse_id(id, "Order", ["id"]) if id is not None else None
        except DomainError:
            return None
        order = await info.context.find_by_token(
            token, lambda: access.find_order(info.context.viewer, order_id=order_id, token=token)
        )
        return Order.from_model(order) if order else None

    @strawberry.field(
        description="Staff only. Every filter given must match; sorted by `sort` (newest first by default). "
        "Cursors belong to their sort. totalCount counts every match: select it only when needed."
    )
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: OrderFilter | None = None,
        sort: OrderSort | None = None,
    ) -> OrderConnection:
        info.context.require_permission(Permission.MANAGE_ORDERS)
        page = await search.find_orders(
            filter.to_domain() if filter else None,
            sort=sort.to_domain() if sort else None,
            first=first,
            after=after,
        )
        total = await page.total() if selects(info, "totalCount") else 0
        lines = await page_lines(info, page.items)
        # An edge's cursor is read only when selected: none made for a query without them.
        cursors = page.cursors if selects_path(info, "edges", "cursor") else [""] * len(page.items)
        start_cursor, end_cursor = page.first_and_last_cursors()
        return OrderConnection(
            edges=[
                OrderEdge(node=Order.from_model(order, lines=order_lines), cursor=cursor)
                for order, order_lines, cursor in zip(page.items, lines, cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=start_cursor,
                end_cursor=end_cursor,
            ),
            total_count=total,
        )
