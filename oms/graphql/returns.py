"""Returns (RMA): the Return type and requestReturn, approveReturn, rejectReturn,
receiveReturn, refundReturn. The work is in :mod:`oms.orders.returns`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from oms.accounts.permissions import Permission
from oms.errors import DomainError, ErrorCode
from oms.graphql.common import Node, UserError, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.orders import Order, OrderLine
from oms.graphql.payments import Refund
from oms.orders import access, returns
from oms.orders import models as order_models
from oms.orders.status import ReturnStatus as DomainReturnStatus
from oms.payments.models import Refund as RefundModel

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type.
strawberry.enum(DomainReturnStatus, name="ReturnStatus")
ReturnStatus = DomainReturnStatus


@strawberry.type
class ReturnLine:
    model: strawberry.Private[order_models.ReturnLine]
    quantity: int
    reason: str | None
    restock: bool

    @classmethod
    def from_model(cls, row: order_models.ReturnLine) -> ReturnLine:
        return cls(model=row, quantity=row.quantity, reason=row.reason, restock=row.restock)

    @strawberry.field
    async def order_line(self) -> OrderLine:
        return OrderLine.from_model(await order_models.OrderLine.get(id=self.model.order_line_id))


@strawberry.type
class Return(Node):
    model: strawberry.Private[order_models.Return]
    id: strawberry.ID
    number: str
    status: ReturnStatus
    reason: str | None
    rejection_reason: str | None = strawberry.field(description="Why staff rejected it (REJECTED).")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_model(cls, rma: order_models.Return) -> Return:
        return cls(
            model=rma,
            id=to_global_id("Return", rma.id),
            number=rma.number,
            status=rma.status,
            reason=rma.reason,
            rejection_reason=rma.rejection_reason,
            created_at=rma.created_at,
            updated_at=rma.updated_at,
        )

    @classmethod
    async def resolve_node(cls, info: Info, pk: int) -> Return | None:
        """``node(id)``: staff with MANAGE_RETURNS, or whoever may see the order."""
        rma = await order_models.Return.get_or_none(id=pk)
        if rma is None:
            return None
        viewer = info.context.viewer
        if not viewer.has(Permission.MANAGE_RETURNS):
            order = await order_models.Order.get(id=rma.order_id)
            if not access.can_access(viewer, order):
                return None
        return cls.from_model(rma)

    @strawberry.field
    async def order(self) -> Order:
        return Order.from_model(await order_models.Order.get(id=self.model.order_id))

    @strawberry.field(description="The money given back for it (refundReturn); null before.")
    async def refund(self, info: Info) -> Refund | None:
        if self.model.refund_id is None:
            return None
        row = await RefundModel.get_or_none(id=self.model.refund_id)
        staff = info.context.viewer.has(Permission.MANAGE_ORDERS)
        return Refund.from_model(row, staff=staff) if row is not None else None

    @strawberry.field
    async def lines(self) -> list[ReturnLine]:
        rows = await order_models.ReturnLine.filter(rma_id=self.model.id).order_by("id")
        return [ReturnLine.from_model(row) for row in rows]


@strawberry.type
class ReturnPayload:
    return_: Return | None = strawberry.field(default=None, name="return")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ReturnLineInput:
    line_id: strawberry.ID
    quantity: int
    reason: str | None = None


@strawberry.input
class RequestReturnInput:
    order_id: strawberry.ID
    order_token: str | None = strawberry.field(default=None, description="Needed by guests.")
    lines: list[ReturnLineInput]
    reason: str | None = None


async def order_returns(order: order_models.Order) -> list[Return]:
    """``Order.returns``: the order's returns, oldest first."""
    rows = await order_models.Return.filter(order_id=order.id).order_by("id")
    return [Return.from_model(row) for row in rows]


def _payload(rma: order_models.Return) -> ReturnPayload:
    return ReturnPayload(return_=Return.from_model(rma))


@strawberry.type
class ReturnsMutation:
    @mutation(
        description="Ask to return delivered units: customers for their own orders, guests with the "
        "order token, staff. RETURN_NOT_ALLOWED with the reason when the product's policy refuses."
    )
    async def request_return(self, info: Info, input: RequestReturnInput) -> ReturnPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        order_id = parse_id(input.order_id, "Order", ["orderId"])
        token = input.order_token
        if context.viewer.has(Permission.MANAGE_RETURNS) and not token:
            order = await order_models.Order.get_or_none(id=order_id)
        else:
            order = await context.find_by_token(
                token, lambda: access.find_order(context.viewer, order_id=order_id, token=token), ["orderToken"]
            )
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Order not found.", ["orderId"])
        lines = [
            returns.ReturnLineRequest(
                line_id=parse_id(line.line_id, "OrderLine", ["lines", str(index), "lineId"]),
                quantity=line.quantity,
                reason=line.reason,
            )
            for index, line in enumerate(input.lines)
        ]
        actor = order.email if context.viewer.is_anonymous else context.viewer.actor
        rma = await returns.request_return(order, lines, reason=input.reason, actor=actor, plugins=context.plugins)
        return _payload(rma)

    @mutation(description="Staff: approve a requested return; units that do not ship are reversed at once.")
    async def approve_return(self, info: Info, id: strawberry.ID) -> ReturnPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_RETURNS)
        rma = await returns.approve_return(
            parse_id(id, "Return", ["id"]), actor=context.viewer.actor, plugins=context.plugins
        )
        return _payload(rma)

    @mutation(description="Staff: refuse a requested return, with the reason the customer reads.")
    async def reject_return(self, info: Info, id: strawberry.ID, reason: str) -> ReturnPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_RETURNS)
        rma = await returns.reject_return(parse_id(id, "Return", ["id"]), reason=reason, actor=context.viewer.actor)
        return _payload(rma)

    @mutation(
        description="Staff: the parcel of an approved return arrived; restock (default true) puts "
        "its units back in the warehouse they left."
    )
    async def receive_return(self, info: Info, id: strawberry.ID, restock: bool | None = None) -> ReturnPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_RETURNS)
        rma = await returns.receive_return(
            parse_id(id, "Return", ["id"]),
            restock=restock is not False,
            actor=context.viewer.actor,
            plugins=context.plugins,
        )
        return _payload(rma)

    @mutation(
        description="Staff: refund an approved (nothing to ship back) or received return; amount "
        "defaults to the returned units' share (plus shipping when everything shipped came back)."
    )
    async def refund_return(self, info: Info, id: strawberry.ID, amount: Decimal | None = None) -> ReturnPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_RETURNS)
        rma = await returns.refund_return(
            parse_id(id, "Return", ["id"]), amount=amount, actor=context.viewer.actor, plugins=context.plugins
        )
        return _payload(rma)
