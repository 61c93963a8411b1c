"""The subscription plugin's part of the GraphQL schema: ``SubscriptionContract``, the
``SubscriptionActivation`` member of ``FulfillmentDetails``, ``me { subscriptions }``,
``cancelSubscription`` and the staff's ``entitlement`` check."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import strawberry

from oms.api import DomainError, ErrorCode, Permission, Viewer, access
from oms.api.graphql import (
    FULFILLMENT_STATUS_DESCRIPTION,
    FulfillmentStatus,
    Info,
    Node,
    UserError,
    fulfillment_status_of,
    mutation,
    parse_id,
    to_global_id,
)
from oms.api.models import Fulfillment as FulfillmentModel
from oms.api.models import Order as OrderModel
from oms_subscription import services
from oms_subscription.models import SubscriptionContract as ContractModel
from oms_subscription.models import SubscriptionPeriod
from oms_subscription.models import SubscriptionStatus as DomainSubscriptionStatus

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(DomainSubscriptionStatus, name="SubscriptionStatus")
SubscriptionStatus = DomainSubscriptionStatus


@strawberry.type
class SubscriptionContract(Node):
    model: strawberry.Private[ContractModel]
    id: strawberry.ID
    status: SubscriptionStatus
    sku: str
    interval: str
    interval_count: int
    current_period_start: dt.datetime
    current_period_end: dt.datetime
    cancel_at_period_end: bool
    access_key: str | None = strawberry.field(
        description="Key the subscribed software or service checks to grant access."
    )
    renewals: int

    @classmethod
    def from_model(cls, contract: ContractModel) -> SubscriptionContract:
        return cls(
            model=contract,
            id=to_global_id("SubscriptionContract", contract.id),
            status=contract.status,
            sku=contract.sku,
            interval=contract.interval,
            interval_count=contract.interval_count,
            current_period_start=contract.current_period_start,
            current_period_end=contract.current_period_end,
            cancel_at_period_end=contract.cancel_at_period_end,
            access_key=contract.access_key,
            renewals=contract.renewals,
        )

    @classmethod
    async def resolve_node(cls, info: Info, pk: int) -> SubscriptionContract | None:
        """``node(id:)``: for staff and whoever may see the order that started it."""
        contract = await _visible_contract(info.context.viewer, pk, None)
        return cls.from_model(contract) if contract else None

    @strawberry.field(description="Until when access is granted now; null when it is not.")
    def access_until(self) -> dt.datetime | None:
        return services.access_until(self.model)


@strawberry.type(description="An activated subscription: the subscription plugin's fulfillment details.")
class SubscriptionActivation:
    subscription: SubscriptionContract
    fulfillment_id: strawberry.Private[int | None] = None

    @strawberry.field(description=FULFILLMENT_STATUS_DESCRIPTION)
    async def fulfillment_status(self, info: Info) -> FulfillmentStatus:
        return await fulfillment_status_of(info, self.fulfillment_id)

    @classmethod
    async def from_fulfillments(cls, fulfillments: list[FulfillmentModel]) -> list[SubscriptionActivation | None]:
        """The details of a page of fulfillments: one query for all their periods."""
        ours = [f.id for f in fulfillments if f.product_type == services.TYPE_NAME]
        periods = (
            await SubscriptionPeriod.filter(fulfillment_id__in=ours).select_related("contract").order_by("id")
            if ours else []
        )
        found: dict[int, SubscriptionActivation] = {}
        for period in periods:
            contract = SubscriptionContract.from_model(period.contract)
            found.setdefault(period.fulfillment_id, cls(subscription=contract, fulfillment_id=period.fulfillment_id))
        return [found.get(f.id) for f in fulfillments]

    @classmethod
    async def from_fulfillment(cls, fulfillment: FulfillmentModel) -> SubscriptionActivation | None:
        return (await cls.from_fulfillments([fulfillment]))[0]


@strawberry.type
class SubscriptionPayload:
    subscription: SubscriptionContract | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="What GET /entitlements/{accessKey} answers.")
class Entitlement:
    active: bool
    status: SubscriptionStatus
    sku: str
    until: dt.datetime | None


async def _visible_contract(viewer: Viewer, contract_id: int, token: str | None) -> ContractModel | None:
    """The contract, if the viewer may act on it: staff, its customer, or a guest holding
    the token of the order that started it."""
    contract = await ContractModel.get_or_none(id=contract_id)
    if contract is None:
        return None
    if viewer.has(Permission.MANAGE_ORDERS):
        return contract
    order = await OrderModel.get(id=contract.order_id)
    return contract if access.can_access(viewer, order, token) else None


@strawberry.type
class SubscriptionQuery:
    @strawberry.field(description="Staff: the access check of GET /entitlements/{accessKey}.")
    async def entitlement(self, info: Info, access_key: str) -> Entitlement | None:
        info.context.require_permission(Permission.MANAGE_ORDERS)
        found = await services.entitlement(access_key)
        if found is None:
            return None
        return Entitlement(active=found.active, status=DomainSubscriptionStatus(found.status), sku=found.sku,
                           until=found.until)


@strawberry.type
class SubscriptionMutation:
    @mutation(description="The subscriber (a guest with the order's token) or staff: end a subscription "
                         "now, or at the end of its period (atPeriodEnd, the default).")
    async def cancel_subscription(
        self, info: Info, id: strawberry.ID, at_period_end: bool | None = True, token: str | None = None
    ) -> SubscriptionPayload:
        context = info.context
        if context.auth_error is not None:
            raise context.auth_error
        contract = await _visible_contract(context.viewer, parse_id(id, "SubscriptionContract", ["id"]), token)
        if contract is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "Subscription not found.", ["id"])
        actor = context.viewer.actor if not context.viewer.is_anonymous else contract.email
        contract = await services.cancel_subscription(
            contract.id, at_period_end=at_period_end is not False, actor=actor, plugins=context.plugins
        )
        return SubscriptionPayload(subscription=SubscriptionContract.from_model(contract))


@strawberry.type
class SubscriptionsOfMe:
    if TYPE_CHECKING:  # the schema puts these fields on Me: ``self`` is the core's Me object
        viewer: Viewer

    @strawberry.field(description="The signed-in customer's subscriptions, newest first.")
    async def subscriptions(self) -> list[SubscriptionContract]:
        customer = self.viewer.customer
        if customer is None:
            return []
        rows = await ContractModel.filter(customer_id=customer.id).order_by("-id")
        return [SubscriptionContract.from_model(row) for row in rows]
