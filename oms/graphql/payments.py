"""Payment types: what was paid, and the session a storefront pays through."""

from __future__ import annotations

import datetime as dt

import strawberry

from oms.graphql.common import Money, Node, to_global_id
from oms.payments import models
from oms.payments.gateway import PaymentSession as DomainPaymentSession

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
