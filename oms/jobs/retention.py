"""Retention: deleting old rows in small batches that never hold a table for long.

:func:`purge_batches` deletes the rows of a model matching some filters, ``batch_size``
ids per ``DELETE`` (each statement its own short transaction: no lock is held between
batches, so workers claiming jobs and requests writing rows wait at most one batch). The
ids are read first and the ``DELETE`` repeats the filters, so a row that changed in
between (a DEAD job retried a moment ago) is kept. :func:`purge_jobs` applies it to the
job table; the webhook records' purges (their own domains' tables) are declared with the
periodic job in :mod:`oms.retention`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from typing import Any

from tortoise.models import Model

from oms.jobs.models import Job, JobStatus

logger = logging.getLogger("oms.jobs")

DEFAULT_BATCH_SIZE = 1000
# One run deletes at most this many batches per kind of record; the next run goes on
# (a run stays well inside the job timeout, and a backlog of years is cleared in steps).
DEFAULT_MAX_BATCHES = 200


async def purge_batches(
    model: type[Model],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batches: int = DEFAULT_MAX_BATCHES,
    **filters: Any,
) -> int:
    """Delete the rows of ``model`` matching ``filters`` (Tortoise lookups), at most
    ``batch_size`` per statement and ``max_batches`` statements; returns how many."""
    if batch_size < 1 or max_batches < 1:
        raise ValueError("batch_size and max_batches must be at least 1")
    deleted = 0
    for _ in range(max_batches):
        ids = await model.filter(**filters).limit(batch_size).values_list("id", flat=True)
        if not ids:
            break
        deleted += await model.filter(id__in=list(ids), **filters).delete()
        if len(ids) < batch_size:
            break
        await asyncio.sleep(0)  # let the loop serve others between batches
    return deleted


def cutoff(now: dt.datetime, days: int) -> dt.datetime | None:
    """The moment before which records ``days`` old are purged; ``None`` when ``days`` is 0
    (kept forever)."""
    if days < 0:
        raise ValueError("days must not be negative")
    return now - dt.timedelta(days=days) if days else None


@dataclasses.dataclass(frozen=True)
class JobsPurged:
    done: int = 0
    dead: int = 0


async def purge_jobs(
    *,
    now: dt.datetime,
    done_days: int,
    dead_days: int,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batches: int = DEFAULT_MAX_BATCHES,
) -> JobsPurged:
    """Delete DONE jobs finished more than ``done_days`` ago and DEAD jobs (the dead
    letters staff may retry) finished more than ``dead_days`` ago; 0 keeps them. QUEUED
    and RUNNING jobs are never touched."""
    done = dead = 0
    done_before = cutoff(now, done_days)
    if done_before is not None:
        done = await purge_batches(
            Job,
            batch_size=batch_size,
            max_batches=max_batches,
            status=JobStatus.DONE,
            finished_at__lt=done_before,
        )
    dead_before = cutoff(now, dead_days)
    if dead_before is not None:
        dead = await purge_batches(
            Job,
            batch_size=batch_size,
            max_batches=max_batches,
            status=JobStatus.DEAD,
            finished_at__lt=dead_before,
        )
    if done or dead:
        logger.info("Retention: deleted %s finished and %s dead job(s)", done, dead)
    return JobsPurged(done=done, dead=dead)
