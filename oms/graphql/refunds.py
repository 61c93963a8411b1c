"""Refunds in the API: ``node(id:)`` for a Refund and the staff mutation ``refundOrder``.
The Refund type and ``Order.refunds``' loader are in :mod:`oms.graphql.payments`; the
business in :mod:`oms.payments.refunds`."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from oms.graphql.common import Node, parse_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.graphql.orders import Order, OrderPayload
from oms.graphql.payments import Refund
from oms.orders import access
from oms.payments import refunds
from oms.payments.models import Refund as RefundModel
from oms.permissions import Permission


async def refund_node(info: Info, pk: int) -> Node | None:
    refund = await RefundModel.get_or_none(id=pk).select_related("order")
    if refund is None or not access.can_access(info.context.viewer, refund.order):
        return None
    return Refund.from_model(refund, staff=info.context.viewer.has(Permission.MANAGE_ORDERS))


@strawberry.type
class RefundsMutation:
    @mutation(
        description="Staff (MANAGE_PAYMENTS): give money back without a return (goodwill, shipping), "
        "through the gateway that took it; with `reference`, record a refund made elsewhere "
        "(a bank transfer). Never more than paid minus refunds already made (REFUND_EXCEEDS_PAID)."
    )
    async def refund_order(
        self, info: Info, id: strawberry.ID, amount: Decimal, reason: str, reference: str | None = None
    ) -> OrderPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_PAYMENTS)
        order = await refunds.refund_order(
            parse_id(id, "Order", ["id"]), amount, reason=reason, actor=context.viewer.actor, reference=reference
        )
        return OrderPayload(order=Order.from_model(order))
