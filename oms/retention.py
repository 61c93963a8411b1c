"""What is purged, and when: the periodic job ``retention.purge``.

Every ``OMS_RETENTION_EVERY_SECONDS`` (default hourly) one worker deletes, in batches of
``OMS_RETENTION_BATCH_SIZE`` ids per statement (:func:`oms.jobs.retention.purge_batches`):

============================================  ==========================  ===================
records                                       older than (by)             setting (default)
============================================  ==========================  ===================
DONE jobs                                     ``finished_at``             JOBS_DAYS (14)
DEAD jobs (dead letters)                      ``finished_at``             DEAD_DAYS (90)
incoming Stripe event records                 ``received_at``             WEBHOOKS_DAYS (30)
SUCCEEDED outgoing webhook deliveries         ``updated_at``              WEBHOOKS_DAYS (30)
DEAD outgoing webhook deliveries              ``updated_at``              DEAD_DAYS (90)
============================================  ==========================  ===================

0 keeps that kind forever. Never purged: QUEUED/RUNNING jobs, PENDING/FAILED deliveries
(still being retried), orders, their timeline (``OrderEvent``), payments and refunds.
Registered with the core's jobs by :mod:`oms.core_plugins`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from oms import hookimpl
from oms.clock import utcnow
from oms.config import Settings
from oms.jobs.retention import cutoff, purge_batches, purge_jobs
from oms.payments.models import ProcessedWebhook
from oms.plugin_types import PeriodicJob
from oms.webhooks.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger("oms.jobs")

PURGE_JOB_NAME = "retention.purge"


@dataclasses.dataclass(frozen=True)
class Purged:
    jobs_done: int = 0
    jobs_dead: int = 0
    stripe_events: int = 0
    deliveries_succeeded: int = 0
    deliveries_dead: int = 0


async def purge(settings: Settings, *, now: dt.datetime | None = None) -> Purged:
    """Delete what the retention settings say is old enough (see the module's table)."""
    now = now or utcnow()
    batch = settings.retention_batch_size
    jobs = await purge_jobs(
        now=now, done_days=settings.retention_jobs_days, dead_days=settings.retention_dead_days, batch_size=batch
    )
    events = succeeded = dead = 0
    webhooks_before = cutoff(now, settings.retention_webhooks_days)
    if webhooks_before is not None:
        events = await purge_batches(ProcessedWebhook, batch_size=batch, received_at__lt=webhooks_before)
        succeeded = await purge_batches(
            WebhookDelivery, batch_size=batch, status=DeliveryStatus.SUCCEEDED, updated_at__lt=webhooks_before
        )
    dead_before = cutoff(now, settings.retention_dead_days)
    if dead_before is not None:
        dead = await purge_batches(
            WebhookDelivery, batch_size=batch, status=DeliveryStatus.DEAD, updated_at__lt=dead_before
        )
    if events or succeeded or dead:
        logger.info(
            "Retention: deleted %s Stripe event record(s), %s succeeded and %s dead webhook deliveries",
            events,
            succeeded,
            dead,
        )
    return Purged(
        jobs_done=jobs.done,
        jobs_dead=jobs.dead,
        stripe_events=events,
        deliveries_succeeded=succeeded,
        deliveries_dead=dead,
    )


@hookimpl
def oms_periodic_jobs(settings: Settings) -> list[PeriodicJob]:
    async def run() -> None:
        await purge(settings)

    return [PeriodicJob(name=PURGE_JOB_NAME, every_seconds=settings.retention_every_seconds, run=run)]
