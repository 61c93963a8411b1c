"""Outbound webhooks for staff with MANAGE_WEBHOOKS: endpoints, their delivery log and
redelivery. The signing secret is in the create payload only."""

from __future__ import annotations

import datetime as dt

import strawberry

from oms.accounts.permissions import Permission
from oms.graphql.accounts import ResultPayload
from oms.graphql.common import Node, UserError, parse_id, to_global_id
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.webhooks import models
from oms.webhooks import services as webhooks


@strawberry.type(description="One event sent (or to be sent) to one endpoint.")
class WebhookDelivery:
    id: strawberry.ID
    event_type: str
    status: str = strawberry.field(description="PENDING, SUCCEEDED, FAILED or DEAD.")
    response_code: int | None = strawberry.field(description="The HTTP status of the last attempt's answer.")
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    duration_ms: int | None = strawberry.field(description="How long the last attempt took.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    delivered_at: dt.datetime | None

    @classmethod
    def from_model(cls, delivery: models.WebhookDelivery) -> WebhookDelivery:
        return cls(
            id=to_global_id("WebhookDelivery", delivery.id),
            event_type=delivery.event_type,
            status=delivery.status.value,
            response_code=delivery.response_code,
            attempts=delivery.attempts,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            duration_ms=delivery.duration_ms,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
        )


@strawberry.type(description="A URL that receives signed order events (Standard Webhooks).")
class WebhookEndpoint(Node):
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(
        description='Event types delivered, e.g. order.placed, order.paid, shipment.created ("*": all).'
    )
    active: bool
    created_at: dt.datetime
    description: str | None
    disabled_reason: str | None = strawberry.field(
        description="Why the endpoint is disabled (by staff, or after persistent failure)."
    )
    disabled_at: dt.datetime | None
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, endpoint: models.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            id=to_global_id("WebhookEndpoint", endpoint.id),
            url=endpoint.url,
            events=list(endpoint.events),
            active=endpoint.active,
            created_at=endpoint.created_at,
            description=endpoint.description,
            disabled_reason=endpoint.disabled_reason,
            disabled_at=endpoint.disabled_at,
            pk=endpoint.id,
        )

    @strawberry.field(description="The newest deliveries first (default 50, at most 200).")
    async def deliveries(self, info: Info, first: int | None = None) -> list[WebhookDelivery]:
        info.context.require_permission(Permission.MANAGE_WEBHOOKS)
        limit = webhooks.deliveries_page_size(first)
        rows = await info.context.loaders.batched(deliveries_by_endpoint).load((self.pk, limit))
        return [WebhookDelivery.from_model(d) for d in rows]


async def deliveries_by_endpoint(keys: list[tuple[int, int]]) -> list[list[models.WebhookDelivery]]:
    """Batch function (per-request loader): keys are (endpoint id, page size); one
    statement pair per page size asked for, not one per endpoint."""
    by_limit: dict[int, list[int]] = {}
    for pk, limit in keys:
        by_limit.setdefault(limit, []).append(pk)
    found = {
        (pk, limit): rows
        for limit, pks in by_limit.items()
        for pk, rows in (await webhooks.newest_deliveries(pks, limit)).items()
    }
    return [found[key] for key in keys]


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret, shown once when the endpoint is created."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateWebhookEndpointInput:
    url: str
    events: list[str]
    description: str | None = None


@strawberry.input
class UpdateWebhookEndpointInput:
    url: str | None = None
    events: list[str] | None = None
    active: bool | None = None


async def webhook_endpoint_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a WebhookEndpoint id: staff with MANAGE_WEBHOOKS only."""
    if not info.context.viewer.has(Permission.MANAGE_WEBHOOKS):
        return None
    endpoint = await models.WebhookEndpoint.get_or_none(id=pk)
    return WebhookEndpoint.from_model(endpoint) if endpoint else None


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="Staff with MANAGE_WEBHOOKS.")
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        info.context.require_permission(Permission.MANAGE_WEBHOOKS)
        return [WebhookEndpoint.from_model(e) for e in await webhooks.list_endpoints()]


@strawberry.type
class WebhooksMutation:
    @mutation(description="Staff with MANAGE_WEBHOOKS: the payload shows the signing secret, this once.")
    async def create_webhook_endpoint(self, info: Info, input: CreateWebhookEndpointInput) -> WebhookEndpointPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_WEBHOOKS)
        endpoint, secret = await webhooks.create_endpoint(
            url=input.url,
            events=input.events,
            description=input.description,
            actor=context.viewer.actor,
            allow_private=context.settings.webhooks_allow_private,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint), secret=secret)

    @mutation(description="Staff with MANAGE_WEBHOOKS: active false disables it; true sends what waited.")
    async def update_webhook_endpoint(
        self, info: Info, id: strawberry.ID, input: UpdateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        context = info.context
        context.require_permission(Permission.MANAGE_WEBHOOKS)
        endpoint = await webhooks.update_endpoint(
            parse_id(id, "WebhookEndpoint", ["id"]),
            url=input.url,
            events=input.events,
            active=input.active,
            allow_private=context.settings.webhooks_allow_private,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint))

    @mutation(description="Staff with MANAGE_WEBHOOKS: the endpoint and its delivery log.")
    async def delete_webhook_endpoint(self, info: Info, id: strawberry.ID) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_WEBHOOKS)
        await webhooks.delete_endpoint(parse_id(id, "WebhookEndpoint", ["id"]))
        return ResultPayload(ok=True)

    @mutation(description="Staff with MANAGE_WEBHOOKS: send a delivery again now.")
    async def redeliver_webhook(self, info: Info, id: strawberry.ID) -> ResultPayload:
        info.context.require_permission(Permission.MANAGE_WEBHOOKS)
        await webhooks.redeliver(parse_id(id, "WebhookDelivery", ["id"]))
        return ResultPayload(ok=True)
