"""Payment types: what was paid, and the session a storefront pays through."""

from __future__ import annotations

import datetime as dt

import strawberry

from oms.graphql.common import Money, Node, to_global_id
from oms.graphql.context import Info
from oms.payments import models
from oms.payments.gateway import PaymentSession as DomainPaymentSession
from oms.permissions import Permission

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(models.PaymentState, name="PaymentState")
PaymentState = models.PaymentState


@strawberry.type
class Payment(Node):
    id: strawberry.ID
    gateway: str
    state: PaymentState
    amount: Money
    external_id: str | None
    created_at: dt.datetime

    @classmethod
    def from_model(cls, payment: models.Payment, *, show_reference: bool = True) -> Payment:
        """``show_reference``: a manual payment's reference is staff bookkeeping (a bank
        reference); the gateway's own id is the customer's receipt too."""
        external_id = payment.external_id
        if payment.gateway == "manual" and not show_reference:
            external_id = None
        return cls(
            id=to_global_id("Payment", payment.id),
            gateway=payment.gateway,
            state=payment.state,
            amount=Money.of(payment.amount, payment.currency),
            external_id=external_id,
            created_at=payment.created_at,
        )


@strawberry.type
class PaymentSession:
    gateway: str
    client_secret: str | None = strawberry.field(
        description="Stripe PaymentIntent client secret; null for gateways with no client step."
    )
    amount: Money

    @classmethod
    def from_domain(cls, session: DomainPaymentSession) -> PaymentSession:
        return cls(gateway=session.gateway, client_secret=session.client_secret, amount=Money.of(session.amount))


strawberry.enum(models.RefundStatus, name="RefundStatus")
RefundStatus = models.RefundStatus


@strawberry.type(description="Money given back for an order, through its gateway or by hand.")
class Refund(Node):
    id: strawberry.ID
    amount: Money
    status: RefundStatus
    reason: str | None
    external_id: str | None = strawberry.field(
        description="The gateway's refund id; staff also see the reference of a refund made by hand."
    )
    failure_message: str | None = strawberry.field(description="Staff: why the refund failed. Null for others.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_model(cls, refund: models.Refund, *, staff: bool) -> Refund:
        external_id = refund.external_id
        if not staff and not (external_id or "").startswith("re_"):
            external_id = None  # a staff reference (a bank transfer) is bookkeeping
        return cls(
            id=to_global_id("Refund", refund.id),
            amount=Money.of(refund.amount, refund.currency),
            status=refund.status,
            reason=refund.reason,
            external_id=external_id,
            failure_message=refund.failure_message if staff else None,
            created_at=refund.created_at,
            updated_at=refund.updated_at,
        )


async def refunds_by_order(order_ids: list[int]) -> list[list[models.Refund]]:
    """A DataLoader batch: each order's refunds, oldest first, in one query."""
    rows = await models.Refund.filter(order_id__in=order_ids).order_by("id")
    found: dict[int, list[models.Refund]] = {}
    for row in rows:
        found.setdefault(row.order_id, []).append(row)
    return [found.get(order_id, []) for order_id in order_ids]


async def order_refunds(info: Info, order_id: int) -> list[Refund]:
    """``Order.refunds``: staff see references and failure messages."""
    rows = await info.context.loaders.batched(refunds_by_order).load(order_id)
    staff = info.context.viewer.has(Permission.MANAGE_ORDERS)
    return [Refund.from_model(row, staff=staff) for row in rows]
