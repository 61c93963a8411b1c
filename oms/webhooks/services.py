"""Webhook endpoints for staff (create, update, disable, delete, list), their delivery
log and manual redelivery; and the deliveries a committed timeline event makes.

Each service is one transaction; sending happens later, in the ``webhook.deliver`` job
(:mod:`oms.webhooks.delivery`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from tortoise.transactions import in_transaction

from oms import sql
from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode, not_found
from oms.jobs.services import enqueue
from oms.orders.models import EVENT_READS_ALONG, Order, OrderEvent
from oms.webhooks.events import ALL_EVENTS, unknown_event_types
from oms.webhooks.guard import check_url
from oms.webhooks.models import FINAL_STATUSES, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from oms.webhooks.signing import new_secret

logger = logging.getLogger("oms.webhooks")

DELIVERY_JOB = "webhook.deliver"
# Mails staff that an endpoint was disabled automatically (oms.webhooks.disabled_mail).
ENDPOINT_DISABLED_JOB = "webhook.endpoint_disabled_email"
MAX_EVENT_TYPES = 100
MAX_DESCRIPTION = 500
DEFAULT_DELIVERIES_PAGE = 50
MAX_DELIVERIES_PAGE = 200

# The ids of the active endpoints that want an event (WebhookEndpoint.wants), read along
# the order.event job's read of the event on PostgreSQL: create_deliveries reads them
# itself otherwise. Fresh for every event, like its own read (an endpoint a webhook.deliver
# job disabled earlier in the same batch is not among them).
WANTING_ENDPOINTS = "wanting_webhook_endpoint_ids"
EVENT_READS_ALONG[WANTING_ENDPOINTS] = (
    "ARRAY(SELECT w.id FROM webhook_endpoint w WHERE w.active"
    " AND (w.events @> '[\"*\"]'::jsonb OR w.events @> jsonb_build_array(\"order_event\".\"type\"))"
    " ORDER BY w.id)"
)


async def enqueue_attempt(delivery_id: int, *, at: dt.datetime | None = None, dedupe_key: str | None = None) -> None:
    """Queue a ``webhook.deliver`` job for the delivery (in the caller's transaction). A
    job that finds nothing to do (already delivered, not yet due) is harmless."""
    await enqueue(DELIVERY_JOB, {"delivery_id": delivery_id}, run_at=at, dedupe_key=dedupe_key)


def _event_types(events: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(event.strip() for event in events))
    if not cleaned or "" in cleaned:
        raise DomainError.of(ErrorCode.INVALID, 'Give at least one event type (or "*" for all).', ["events"])
    if len(cleaned) > MAX_EVENT_TYPES:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_EVENT_TYPES} event types.", ["events"])
    unknown = unknown_event_types(cleaned)
    if unknown:
        raise DomainError.of(ErrorCode.INVALID, f"Unknown event types: {', '.join(sorted(unknown)[:10])}.", ["events"])
    return [ALL_EVENTS] if ALL_EVENTS in cleaned else cleaned


def _description(description: str | None) -> str | None:
    if description is None or not description.strip():
        return None
    if len(description) > MAX_DESCRIPTION:
        raise DomainError.of(ErrorCode.INVALID, f"At most {MAX_DESCRIPTION} characters.", ["description"])
    return description.strip()


async def create_endpoint(
    *, url: str, events: Sequence[str], description: str | None, actor: str | None, allow_private: bool
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (the only time the secret is returned)."""
    endpoint = await WebhookEndpoint.create(
        url=check_url(url, allow_private=allow_private),
        events=_event_types(events),
        description=_description(description),
        secret=new_secret(),
        created_by=actor,
    )
    logger.info("webhook endpoint %s created for %s by %s", endpoint.id, endpoint.url, actor)
    return endpoint, endpoint.secret


async def get_endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = await WebhookEndpoint.get_or_none(id=endpoint_id)
    if endpoint is None:
        raise not_found("Webhook endpoint", ["id"])
    return endpoint


async def update_endpoint(
    endpoint_id: int,
    *,
    url: str | None = None,
    events: Sequence[str] | None = None,
    active: bool | None = None,
    allow_private: bool,
) -> WebhookEndpoint:
    """Change the URL, the event types or ``active``. Disabling stops the deliveries where
    they are; enabling again sends every unfinished one (in order per order)."""
    values: dict[str, Any] = {}
    if url is not None:
        values["url"] = check_url(url, allow_private=allow_private)
    if events is not None:
        values["events"] = _event_types(events)
    async with in_transaction():
        endpoint = await WebhookEndpoint.select_for_update().get_or_none(id=endpoint_id)
        if endpoint is None:
            raise not_found("Webhook endpoint", ["id"])
        now = utcnow()
        if active is False and endpoint.active:
            values.update(active=False, disabled_reason="Disabled by staff.", disabled_at=now)
        elif active is True and not endpoint.active:
            values.update(active=True, disabled_reason=None, disabled_at=None, failing_since=None)
            unfinished = [
                delivery.id
                for delivery in await WebhookDelivery.filter(
                    endpoint_id=endpoint.id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
                ).only("id")
            ]
            await WebhookDelivery.filter(id__in=unfinished).update(next_attempt_at=now)
            for delivery_id in unfinished:
                await enqueue_attempt(delivery_id)
        if values:
            endpoint.update_from_dict(values)
            await endpoint.save(update_fields=[*values, "updated_at"])
    return endpoint


async def delete_endpoint(endpoint_id: int) -> None:
    """Delete the endpoint and its delivery log; its queued attempts find nothing to send."""
    deleted = await WebhookEndpoint.filter(id=endpoint_id).delete()
    if not deleted:
        raise not_found("Webhook endpoint", ["id"])


async def list_endpoints() -> list[WebhookEndpoint]:
    return await WebhookEndpoint.all().order_by("id")


def deliveries_page_size(first: int | None) -> int:
    """How many deliveries ``deliveries(first:)`` lists; INVALID (field first) out of range."""
    limit = DEFAULT_DELIVERIES_PAGE if first is None else first
    if not 0 <= limit <= MAX_DELIVERIES_PAGE:
        raise DomainError.of(ErrorCode.INVALID, f"first must be between 0 and {MAX_DELIVERIES_PAGE}.", ["first"])
    return limit


async def list_deliveries(endpoint_id: int, *, first: int | None = None) -> list[WebhookDelivery]:
    """The endpoint's newest deliveries first."""
    limit = deliveries_page_size(first)
    return await WebhookDelivery.filter(endpoint_id=endpoint_id).order_by("-id").limit(limit)


# Endpoints per statement: one sub-select each, under SQLite's 500-term compound limit.
_ENDPOINTS_PER_STATEMENT = 100


async def newest_deliveries(endpoint_ids: Sequence[int], limit: int) -> dict[int, list[WebhookDelivery]]:
    """The ``limit`` newest deliveries of each endpoint, newest first, in two statements
    for up to 100 endpoints (the ``deliveries`` of a ``webhookEndpoints`` list).

    The ids come from one statement of one sub-select per endpoint (``ORDER BY id DESC
    LIMIT n`` on its own rows) joined by UNION ALL, so each endpoint reads only its own
    newest rows however long its log is; the rows themselves from a second."""
    ids: list[int] = []
    wanted = sorted({int(pk) for pk in endpoint_ids})
    for start in range(0, len(wanted) if limit > 0 else 0, _ENDPOINTS_PER_STATEMENT):
        chunk = wanted[start : start + _ENDPOINTS_PER_STATEMENT]
        # Integers only (ids and a checked page size), so they are written in the statement.
        parts = [
            f"SELECT id FROM (SELECT id FROM webhook_delivery WHERE endpoint_id = {pk} "
            f"ORDER BY id DESC LIMIT {int(limit)}) AS d{pk}"
            for pk in chunk
        ]
        ids.extend(row["id"] for row in await sql.fetch(" UNION ALL ".join(parts)))
    found: dict[int, list[WebhookDelivery]] = {pk: [] for pk in wanted}
    if ids:
        for delivery in await WebhookDelivery.filter(id__in=ids).order_by("-id"):
            found[delivery.endpoint_id].append(delivery)
    return found


async def redeliver(delivery_id: int) -> WebhookDelivery:
    """Send a delivery again now, whatever its status (a new attempt, same ``webhook-id``).
    INVALID_TRANSITION while its endpoint is disabled."""
    async with in_transaction():
        delivery = await WebhookDelivery.select_for_update().get_or_none(id=delivery_id)
        if delivery is None:
            raise not_found("Webhook delivery", ["id"])
        endpoint = await WebhookEndpoint.get(id=delivery.endpoint_id)
        if not endpoint.active:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The endpoint is disabled; enable it first.", ["id"])
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = utcnow()
        await delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
        await enqueue_attempt(delivery.id)
    return delivery


async def create_deliveries(order: Order, event: OrderEvent) -> int:
    """One delivery per active endpoint that wants ``event`` (one transaction), each with
    its job; a second call for the same event adds nothing. The number created."""
    # Read alone, outside the transaction (or along the event, above): most events have no
    # endpoint that wants them, and a lone SELECT needs no BEGIN/COMMIT.
    endpoint_ids: list[int] | None = getattr(event, WANTING_ENDPOINTS, None)
    if endpoint_ids is None:
        endpoint_ids = [e.id for e in await WebhookEndpoint.filter(active=True) if e.wants(event.type)]
    if not endpoint_ids:
        return 0
    created = 0
    async with in_transaction():
        for endpoint_id in endpoint_ids:
            delivery, new = await WebhookDelivery.get_or_create(
                endpoint_id=endpoint_id,
                event_id=event.id,
                defaults={"order_id": order.id, "event_type": event.type, "next_attempt_at": utcnow()},
            )
            if new:
                created += 1
                await enqueue_attempt(delivery.id, dedupe_key=f"webhook:{endpoint_id}:{event.id}")
    return created


def is_final(delivery: WebhookDelivery) -> bool:
    return delivery.status in FINAL_STATUSES
