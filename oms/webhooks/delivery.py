"""One attempt of a webhook delivery (the ``webhook.deliver`` job).

An attempt is idempotent and safe to run twice: it sends only a delivery that is PENDING
or FAILED, due, not held by another attempt (``locked_until``) and not waiting for an
earlier delivery of its endpoint and order. The result is recorded in one transaction,
with the next attempt's job (exponential backoff over about a day, then DEAD) or, once the
delivery is final, the job of the next delivery of its order (in order per order).

Whoever sets a delivery's ``next_attempt_at`` in the future queues a job for that moment
in the same transaction, so a job that finds its delivery not yet due just ends.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import json
import logging
import ssl
import time
from typing import Any

import httpx
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from oms.clock import utcnow
from oms.jobs.services import enqueue
from oms.orders.models import Order, OrderEvent
from oms.webhooks.guard import AddressRefused, resolve_public
from oms.webhooks.models import FINAL_STATUSES, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from oms.webhooks.services import ENDPOINT_DISABLED_JOB, enqueue_attempt
from oms.webhooks.signing import message_id, signed_headers

logger = logging.getLogger("oms.webhooks")

# Seconds from a failed attempt to the next: 5 s, 5 min, 30 min, 2 h, 5 h, 8 h, 8 h. The
# 8th attempt comes ~23.6 h after the first; when it fails the delivery is DEAD.
RETRY_DELAYS = (5, 300, 1800, 7200, 18000, 28800, 28800)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# An endpoint whose every attempt failed for this long is disabled (staff enable it again).
DISABLE_AFTER = dt.timedelta(hours=20)
# A delivery waits for an earlier one of its order at most this long (longer than the
# earlier one's whole retry schedule), so a lost job cannot hold an order's events forever.
MAX_ORDER_WAIT = dt.timedelta(hours=26)
# While blocked by an earlier delivery: look again this long after that one's next attempt
# (its completion also wakes the next delivery at once).
ORDER_WAIT_POLL = dt.timedelta(seconds=60)
# An attempt holds its delivery this long (longer than TOTAL_TIMEOUT_SECONDS).
ATTEMPT_LEASE = dt.timedelta(seconds=60)
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
TOTAL_TIMEOUT_SECONDS = 15.0
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "oms-webhooks/1"


@dataclasses.dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every attempt (building one reads the CA bundle: ~10 ms)."""
    return httpx.create_ssl_context()


def event_body(event: OrderEvent, order: Order) -> bytes:
    """The JSON body of an event's message (Standard Webhooks' ``type``/``timestamp``/``data``);
    the same bytes on every attempt."""
    message: dict[str, Any] = {
        "type": event.type,
        "timestamp": event.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "event_id": event.id,
            "order_id": order.id,
            "order_number": order.number,
            "message": event.message,
            "actor": event.actor,
            "data": event.data or {},
        },
    }
    return json.dumps(message, separators=(",", ":"), sort_keys=True, default=str).encode()


async def send(url: str, headers: dict[str, str], body: bytes, *, allow_private: bool) -> Outcome:
    """POST ``body`` to ``url``, connecting to the address the SSRF guard checked (the
    ``Host`` header and, for https, TLS SNI and the certificate check keep the name).
    No redirects, a bounded wait, at most :data:`MAX_RESPONSE_BYTES` of the answer read."""
    started = time.perf_counter()

    def outcome(ok: bool, status_code: int | None, error: str | None) -> Outcome:
        return Outcome(ok, status_code, error, int((time.perf_counter() - started) * 1000))

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        return outcome(False, None, f"invalid URL: {exc}")
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        address = await resolve_public(host, port, allow_private=allow_private)
    except AddressRefused as exc:
        return outcome(False, None, f"refused: {exc}")
    request_headers = {
        **headers,
        "host": parsed.netloc.decode("ascii"),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    timeout = httpx.Timeout(READ_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)
    try:
        async with asyncio.timeout(TOTAL_TIMEOUT_SECONDS):
            async with httpx.AsyncClient(
                timeout=timeout, follow_redirects=False, trust_env=False, verify=_ssl_context()
            ) as client:
                request = client.build_request(
                    "POST",
                    parsed.copy_with(host=str(address)),
                    content=body,
                    headers=request_headers,
                    extensions=extensions,
                )
                response = await client.send(request, stream=True)
                try:
                    read = 0
                    async for chunk in response.aiter_raw():
                        read += len(chunk)
                        if read >= MAX_RESPONSE_BYTES:
                            break
                finally:
                    await response.aclose()
    except TimeoutError:
        return outcome(False, None, f"no answer within {TOTAL_TIMEOUT_SECONDS:g} s")
    except (httpx.HTTPError, OSError) as exc:
        return outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return outcome(True, response.status_code, None)
    return outcome(False, response.status_code, f"HTTP {response.status_code}")


async def attempt(delivery_id: int, *, allow_private: bool) -> str:
    """Run the delivery's attempt if it is due; what happened, as one word (for logs and
    tests): gone, final, disabled, not-due, held, waiting, succeeded, failed, dead."""
    now = utcnow()
    delivery = await WebhookDelivery.get_or_none(id=delivery_id).select_related("endpoint")
    if delivery is None:
        return "gone"
    if delivery.status in FINAL_STATUSES:
        return "final"
    endpoint = delivery.endpoint
    if not endpoint.active:
        # Enabling the endpoint again queues every unfinished delivery.
        await WebhookDelivery.filter(id=delivery.id).update(next_attempt_at=None)
        return "disabled"
    if delivery.status == DeliveryStatus.FAILED and (
        delivery.next_attempt_at is None or delivery.next_attempt_at > now + dt.timedelta(seconds=1)
    ):
        return "not-due"  # its retry's job comes at next_attempt_at
    # A PENDING delivery goes whenever a job for it runs (its first, a look-again after
    # waiting, or the wake-up by the earlier delivery of its order) unless it must wait.
    if await _wait_for_earlier(delivery, now):
        return "waiting"
    lease_end = now + ATTEMPT_LEASE
    claimed = await WebhookDelivery.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        id=delivery.id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
    ).update(locked_until=lease_end)
    if not claimed:
        # Another attempt holds it; look again when its lease ends (if it died meanwhile).
        await enqueue_attempt(delivery.id, at=lease_end + dt.timedelta(seconds=1))
        return "held"
    event = await OrderEvent.get(id=delivery.event_id).select_related("order")
    body = event_body(event, event.order)
    headers = signed_headers(endpoint.secret, message_id(event.id), body, now=utcnow())
    result = await send(endpoint.url, headers, body, allow_private=allow_private)
    return await _record(delivery, endpoint, result)


async def _wait_for_earlier(delivery: WebhookDelivery, now: dt.datetime) -> bool:
    """True (and a job queued for later) while an earlier delivery of the same endpoint and
    order is unfinished, unless this one has waited :data:`MAX_ORDER_WAIT` already."""
    if delivery.created_at < now - MAX_ORDER_WAIT:
        return False
    earlier = (
        await WebhookDelivery.filter(
            endpoint_id=delivery.endpoint_id,
            order_id=delivery.order_id,
            event_id__lt=delivery.event_id,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        )
        .order_by("event_id")
        .first()
    )
    if earlier is None:
        return False
    base = earlier.next_attempt_at if earlier.next_attempt_at and earlier.next_attempt_at > now else now
    look_again = base + ORDER_WAIT_POLL
    async with in_transaction():
        await WebhookDelivery.filter(id=delivery.id).update(next_attempt_at=look_again)
        await enqueue_attempt(delivery.id, at=look_again)
    return True


async def _record(delivery: WebhookDelivery, endpoint: WebhookEndpoint, result: Outcome) -> str:
    """Write the attempt's outcome, the next attempt or the endpoint's disabling, and wake
    the next delivery of the order once this one is final: one transaction."""
    now = utcnow()
    attempts = delivery.attempts + 1
    values: dict[str, Any] = dict(
        attempts=attempts,
        response_code=result.status_code,
        duration_ms=result.duration_ms,
        last_error=result.error,
        locked_until=None,
        updated_at=now,
    )
    if result.ok:
        values.update(status=DeliveryStatus.SUCCEEDED, next_attempt_at=None, delivered_at=now)
        outcome = "succeeded"
    elif attempts >= MAX_ATTEMPTS:
        values.update(status=DeliveryStatus.DEAD, next_attempt_at=None)
        outcome = "dead"
    else:
        values.update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=now + dt.timedelta(seconds=RETRY_DELAYS[attempts - 1]),
        )
        outcome = "failed"
    async with in_transaction():
        await WebhookDelivery.filter(id=delivery.id).update(**values)
        if outcome == "failed":
            await enqueue_attempt(delivery.id, at=values["next_attempt_at"])
        else:
            await _wake_next(delivery)
        if result.ok:
            if endpoint.failing_since is not None:
                await WebhookEndpoint.filter(id=endpoint.id).update(failing_since=None)
        else:
            await _note_failure(endpoint, result, now)
    log = logger.info if result.ok else logger.warning
    log(
        "webhook delivery %s (event %s) to endpoint %s: %s after %d ms%s",
        delivery.id,
        delivery.event_type,
        endpoint.id,
        outcome,
        result.duration_ms,
        f" ({result.error})" if result.error else "",
    )
    return outcome


async def _wake_next(delivery: WebhookDelivery) -> None:
    """Queue the next waiting delivery of the same endpoint and order now."""
    following = (
        await WebhookDelivery.filter(
            endpoint_id=delivery.endpoint_id,
            order_id=delivery.order_id,
            event_id__gt=delivery.event_id,
            status=DeliveryStatus.PENDING,
        )
        .order_by("event_id")
        .first()
    )
    if following is not None:
        await WebhookDelivery.filter(id=following.id).update(next_attempt_at=utcnow())
        await enqueue_attempt(following.id)


async def _note_failure(endpoint: WebhookEndpoint, result: Outcome, now: dt.datetime) -> None:
    """Start the endpoint's run of failures, or disable it when the run is long enough."""
    await WebhookEndpoint.filter(id=endpoint.id, failing_since__isnull=True).update(failing_since=now)
    since = now - DISABLE_AFTER
    reason = (
        f"Disabled automatically at {now:%Y-%m-%d %H:%M} UTC: every delivery failed for "
        f"{DISABLE_AFTER.total_seconds() / 3600:g} hours (last: {result.error}). "
        "Fix the receiver, then enable the endpoint again (updateWebhookEndpoint active: true)."
    )
    disabled = await WebhookEndpoint.filter(id=endpoint.id, active=True, failing_since__lte=since).update(
        active=False, disabled_reason=reason, disabled_at=now
    )
    if disabled:
        logger.error("webhook endpoint %s (%s) disabled: %s", endpoint.id, endpoint.url, reason)
        # In the disabling's transaction: staff hear of it once, and only if it happened.
        await enqueue(
            ENDPOINT_DISABLED_JOB,
            {"endpoint_id": endpoint.id},
            dedupe_key=f"{ENDPOINT_DISABLED_JOB}:{endpoint.id}:{now.isoformat()}",
        )
