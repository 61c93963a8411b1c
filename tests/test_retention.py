"""Retention (issue 13 item 8): the periodic purge removes old finished jobs, old Stripe
event records and old finished webhook deliveries, in batches, and nothing else: not
queued or running jobs, not deliveries still being retried, never orders or their timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from decimal import Decimal

import pytest

from oms.clock import utcnow
from oms.config import Settings
from oms.jobs.models import Job, JobStatus
from oms.jobs.periodic import periodic_kind
from oms.jobs.registry import JobRegistry
from oms.jobs.retention import purge_batches
from oms.jobs.worker import Worker
from oms.orders.models import Order, OrderEvent
from oms.payments.models import ProcessedWebhook
from oms.retention import PURGE_JOB_NAME, purge
from oms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.usefixtures("oms_app")

NOW = utcnow()


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


async def job(status: JobStatus, *, finished_days: float | None, created_days: float = 0) -> int:
    row = await Job.create(
        kind="test.kind",
        payload={},
        status=status,
        run_at=days_ago(created_days),
        finished_at=days_ago(finished_days) if finished_days is not None else None,
        locked_until=days_ago(created_days) if status == JobStatus.RUNNING else None,
    )
    return row.id


async def order_with_event() -> tuple[Order, OrderEvent]:
    order = await Order.create(
        token=secrets.token_urlsafe(16),
        email="old@example.com",
        currency="USD",
        subtotal=Decimal("10.00"),
        shipping_total=Decimal("0.00"),
        total=Decimal("10.00"),
        idempotency_key=secrets.token_hex(8),
        cart_fingerprint="x",
    )
    event = await OrderEvent.create(order=order, type="order.placed", message="placed")
    await Order.filter(id=order.id).update(created_at=days_ago(400))
    await OrderEvent.filter(id=event.id).update(created_at=days_ago(400))
    return order, event


async def delivery(endpoint: WebhookEndpoint, status: DeliveryStatus, updated_days: float) -> int:
    _, event = await order_with_event()
    row = await WebhookDelivery.create(
        endpoint=endpoint, event=event, order_id=event.order_id, event_type=event.type, status=status
    )
    await WebhookDelivery.filter(id=row.id).update(updated_at=days_ago(updated_days))
    assert (await WebhookDelivery.get(id=row.id)).updated_at < days_ago(updated_days - 0.5)
    return row.id


async def stripe_event(received_days: float) -> int:
    row = await ProcessedWebhook.create(gateway="stripe", event_id=f"evt_{secrets.token_hex(6)}", type="x")
    await ProcessedWebhook.filter(id=row.id).update(received_at=days_ago(received_days))
    return row.id


def settings(oms_app, **changes: int) -> Settings:
    return dataclasses.replace(oms_app.state.settings, **changes)


async def test_defaults_purge_old_done_and_old_dead_jobs_only(oms_app):
    config = oms_app.state.settings
    assert (config.retention_jobs_days, config.retention_dead_days) == (14, 90)
    old_done = await job(JobStatus.DONE, finished_days=20, created_days=20)
    recent_done = await job(JobStatus.DONE, finished_days=2, created_days=20)
    old_dead = await job(JobStatus.DEAD, finished_days=100, created_days=101)
    younger_dead = await job(JobStatus.DEAD, finished_days=30, created_days=31)
    old_queued = await job(JobStatus.QUEUED, finished_days=None, created_days=200)
    old_running = await job(JobStatus.RUNNING, finished_days=None, created_days=200)
    # A job retried after dying keeps its old finished_at until it runs again: not purged.
    retried = await job(JobStatus.QUEUED, finished_days=200, created_days=201)

    purged = await purge(config, now=NOW)

    left = set(await Job.all().values_list("id", flat=True))
    assert old_done not in left and old_dead not in left
    assert {recent_done, younger_dead, old_queued, old_running, retried} <= left
    assert (purged.jobs_done, purged.jobs_dead) == (1, 1)


async def test_zero_keeps_forever(oms_app):
    old_done = await job(JobStatus.DONE, finished_days=2000)
    old_dead = await job(JobStatus.DEAD, finished_days=2000)
    event = await stripe_event(2000)
    purged = await purge(
        settings(oms_app, retention_jobs_days=0, retention_dead_days=0, retention_webhooks_days=0), now=NOW
    )
    assert purged == type(purged)()
    assert await Job.filter(id__in=[old_done, old_dead]).count() == 2
    assert await ProcessedWebhook.exists(id=event)


async def test_shorter_settings_purge_more(oms_app):
    recent_done = await job(JobStatus.DONE, finished_days=2)
    purged = await purge(settings(oms_app, retention_jobs_days=1), now=NOW)
    assert purged.jobs_done == 1 and not await Job.exists(id=recent_done)


async def test_webhook_records_and_deliveries(oms_app):
    endpoint = await WebhookEndpoint.create(url="https://hooks.example.com/x", events=["*"], secret="s" * 32)
    old_event, recent_event = await stripe_event(40), await stripe_event(5)
    old_ok = await delivery(endpoint, DeliveryStatus.SUCCEEDED, 40)
    recent_ok = await delivery(endpoint, DeliveryStatus.SUCCEEDED, 5)
    old_dead = await delivery(endpoint, DeliveryStatus.DEAD, 100)
    younger_dead = await delivery(endpoint, DeliveryStatus.DEAD, 40)
    old_pending = await delivery(endpoint, DeliveryStatus.PENDING, 400)
    old_failed = await delivery(endpoint, DeliveryStatus.FAILED, 400)
    orders, events = await Order.all().count(), await OrderEvent.all().count()

    purged = await purge(oms_app.state.settings, now=NOW)

    assert set(await ProcessedWebhook.all().values_list("id", flat=True)) == {recent_event}
    assert old_event != recent_event
    left = set(await WebhookDelivery.all().values_list("id", flat=True))
    assert left == {recent_ok, younger_dead, old_pending, old_failed}
    assert old_ok not in left and old_dead not in left
    assert (purged.stripe_events, purged.deliveries_succeeded, purged.deliveries_dead) == (1, 1, 1)
    # The timeline and the orders are never purged, however old.
    assert (await Order.all().count(), await OrderEvent.all().count()) == (orders, events) == (6, 6)
    assert await WebhookEndpoint.exists(id=endpoint.id)


async def test_batches_and_the_cap_per_run(oms_app):
    ids = [await job(JobStatus.DONE, finished_days=30) for _ in range(25)]
    keep = await job(JobStatus.DONE, finished_days=1)
    cutoff = days_ago(14)
    deleted = await purge_batches(Job, batch_size=10, max_batches=2, status=JobStatus.DONE, finished_at__lt=cutoff)
    assert deleted == 20
    assert await Job.filter(id__in=ids).count() == 5
    deleted = await purge_batches(Job, batch_size=10, max_batches=2, status=JobStatus.DONE, finished_at__lt=cutoff)
    assert deleted == 5 and not await Job.filter(id__in=ids).exists()
    assert await Job.exists(id=keep)
    with pytest.raises(ValueError):
        await purge_batches(Job, batch_size=0, status=JobStatus.DONE)


async def test_the_periodic_job_runs_the_purge(oms_app):
    registry = JobRegistry.build(oms_app.state.plugins, oms_app.state.settings)
    [periodic] = [p for p in registry.periodic if p.name == PURGE_JOB_NAME]
    assert periodic.every_seconds == oms_app.state.settings.retention_every_seconds
    old_done = await job(JobStatus.DONE, finished_days=30)
    worker = Worker(registry, clock=lambda: utcnow() + dt.timedelta(seconds=5))
    for _ in range(3):
        await worker.run_once()
    assert await Job.filter(kind=periodic_kind(PURGE_JOB_NAME), status=JobStatus.DONE).exists()
    assert not await Job.exists(id=old_done)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("OMS_RETENTION_WEBHOOKS_DAYS", "3", "at least 7"),
        ("OMS_RETENTION_JOBS_DAYS", "-1", "must be 0"),
        ("OMS_RETENTION_DEAD_DAYS", "-5", "must be 0"),
        ("OMS_RETENTION_BATCH_SIZE", "0", "between 1 and 10000"),
        ("OMS_RETENTION_EVERY_SECONDS", "5", "at least 60"),
        ("OMS_RETENTION_JOBS_DAYS", "two weeks", "cannot read"),
    ],
)
def test_bad_settings_are_refused_in_one_line(name, value, message):
    with pytest.raises(ValueError, match=message) as error:
        Settings.from_env({name: value})
    assert name in str(error.value) and "\n" not in str(error.value)


def test_zero_and_values_are_accepted():
    config = Settings.from_env({"OMS_RETENTION_WEBHOOKS_DAYS": "0", "OMS_RETENTION_JOBS_DAYS": "7"})
    assert (config.retention_webhooks_days, config.retention_jobs_days) == (0, 7)
