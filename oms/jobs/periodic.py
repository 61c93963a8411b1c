"""Periodic jobs: each period runs once across all workers.

The ``periodic_schedule`` table holds when each periodic job is next due. A worker that
finds one due wins the period with one conditional UPDATE (``... WHERE next_run_at <=
now``: exactly one concurrent worker changes the row) and, in the same transaction,
enqueues a normal job of kind ``periodic:<name>``; that job gets the lease, retries and
DEAD state of any other. Missed periods (no worker was running) are not caught up: the
job runs once and the schedule moves to the next future period.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.jobs.models import PeriodicSchedule
from oms.jobs.registry import Handler
from oms.jobs.services import enqueue
from oms.plugin_types import PeriodicJob
from oms.plugins import await_me_maybe

logger = logging.getLogger("oms.jobs")

KIND_PREFIX = "periodic:"


def periodic_kind(name: str) -> str:
    """The job kind that runs the periodic job ``name``."""
    return KIND_PREFIX + name


def periodic_handlers(jobs: Sequence[PeriodicJob]) -> dict[str, Handler]:
    """A handler per periodic job; it calls ``run()`` (the payload only says which period)."""

    def handler_for(job: PeriodicJob) -> Handler:
        async def run(payload: dict[str, Any]) -> None:
            await await_me_maybe(job.run())

        return run

    return {periodic_kind(job.name): handler_for(job) for job in jobs}


def following_run(due: dt.datetime, every_seconds: int, now: dt.datetime) -> dt.datetime:
    """The first moment ``due + k * every`` after ``now`` (keeps the schedule's phase)."""
    every = dt.timedelta(seconds=every_seconds)
    return due + every * ((now - due) // every + 1)


class PeriodicScheduler:
    """Enqueues the due periodic jobs of one worker; safe to run in any number of workers."""

    def __init__(self, jobs: Sequence[PeriodicJob]):
        for job in jobs:
            if job.every_seconds < 1:
                raise ValueError(f"Periodic job {job.name!r}: every_seconds must be at least 1")
        self.jobs = {job.name: job for job in jobs}
        self._rows_checked = False

    async def enqueue_due(self, now: dt.datetime) -> list[str]:
        """Enqueue each periodic job whose period this worker wins; returns their names."""
        if not self.jobs:
            return []
        if not self._rows_checked:
            await self._create_rows(now)
            self._rows_checked = True
        won = []
        for row in await PeriodicSchedule.filter(name__in=list(self.jobs), next_run_at__lte=now):
            job = self.jobs[row.name]
            following = following_run(row.next_run_at, job.every_seconds, now)
            async with in_transaction():
                taken = await PeriodicSchedule.filter(id=row.id, next_run_at__lte=now).update(
                    next_run_at=following, last_enqueued_at=now
                )
                if taken:
                    await enqueue(
                        periodic_kind(job.name),
                        {"name": job.name, "due_at": row.next_run_at.isoformat()},
                    )
            if taken:
                won.append(job.name)
                logger.debug("Enqueued periodic job %s (next at %s)", job.name, following)
        return won

    async def _create_rows(self, now: dt.datetime) -> None:
        """A schedule row for each periodic job seen for the first time (due at once); a
        changed period takes effect from now."""
        rows = {r.name: r for r in await PeriodicSchedule.filter(name__in=list(self.jobs))}
        for name, job in self.jobs.items():
            row = rows.get(name)
            if row is None:
                try:
                    await PeriodicSchedule.create(name=name, every_seconds=job.every_seconds, next_run_at=now)
                except IntegrityError:
                    pass  # another worker created it a moment ago
            elif row.every_seconds != job.every_seconds:
                sooner = min(row.next_run_at, now + dt.timedelta(seconds=job.every_seconds))
                await PeriodicSchedule.filter(id=row.id).update(every_seconds=job.every_seconds, next_run_at=sooner)
