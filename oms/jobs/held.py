"""The jobs a worker holds (:class:`oms.jobs.worker.Worker`): those a handler wrote
already claimed by it and that run in the same batch (adoption, see
:class:`oms.jobs.services.RunsHere`), and the outcomes noted but not yet recorded."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from oms.jobs import queue
from oms.jobs.outcomes import Failure, backoff_seconds
from oms.jobs.queue import ClaimedJob
from oms.jobs.registry import DeadHandler
from oms.plugins import await_me_maybe

logger = logging.getLogger("oms.jobs")


class HeldJobs:
    """The worker's bookkeeping of claimed jobs; the worker sets these attributes."""

    worker_id: str
    clock: Callable[[], dt.datetime]
    dead_handlers: dict[str, DeadHandler]
    # Claimed by this worker and not yet recorded as finished in the database.
    _held: dict[int, ClaimedJob]
    _done: list[int]
    _failed: collections.deque[Failure]
    _queue: asyncio.Queue[ClaimedJob]
    # Claimed and not finished: waiting in _queue or running.
    _unfinished: int
    _idle: asyncio.Event

    def _adopt(self, job_id: int, kind: str, payload: dict[str, Any], max_attempts: int) -> None:
        """A job a handler wrote already claimed by this worker (oms.jobs.services.RunsHere):
        held and queued like a claimed one."""
        job = ClaimedJob(id=job_id, kind=kind, payload=payload, attempts=1, max_attempts=max_attempts)
        self._held[job.id] = job
        self._unfinished += 1
        self._idle.clear()
        self._queue.put_nowait(job)

    def _recorded_done(self, ids: list[int], kept: int) -> None:
        """``ids`` (the first of ``_done``) are DONE in the database, ``kept`` of them here."""
        del self._done[: len(ids)]
        for job_id in ids:
            self._held.pop(job_id, None)
        if kept < len(ids):
            logger.warning(
                "%s job(s) finished after their lease expired and were claimed again by "
                "another worker (they run twice: handlers must be idempotent).",
                len(ids) - kept,
            )

    async def _flush(self, *, done: bool = True) -> None:
        """Record the outcomes noted so far (DONE ones in one statement; not with
        ``done=False``: the next claim records them)."""
        now = self.clock()
        if self._done and done:
            ids = self._done[:]
            self._recorded_done(ids, await queue.mark_done(ids, worker=self.worker_id, now=now))
        while self._failed:
            failure = self._failed[0]
            retry_at = None
            if not failure.final:
                retry_at = now + dt.timedelta(seconds=backoff_seconds(failure.job.attempts))
            recorded = await queue.mark_failed(
                failure.job.id,
                worker=self.worker_id,
                now=now,
                error=failure.error,
                retry_at=retry_at,
            )
            self._failed.popleft()
            self._held.pop(failure.job.id, None)
            if failure.final and recorded:
                await self._report_dead(failure)

    async def _report_dead(self, failure: Failure) -> None:
        handler = self.dead_handlers.get(failure.job.kind)
        if handler is None:
            return
        try:
            await await_me_maybe(handler(failure.job.payload, failure.error))
        except Exception:
            logger.exception("The dead-job handler of %r failed (job %s)", failure.job.kind, failure.job.id)

    async def _give_back(self, ids: list[int]) -> None:
        """Unstarted or cut-short jobs back to the queue (the worker is stopping)."""
        if not ids:
            return
        try:
            await queue.release(ids, worker=self.worker_id, now=self.clock())
        except Exception:
            logger.exception(
                "Job worker %s: could not give back %s job(s); they are claimed again when their lease expires",
                self.worker_id,
                len(ids),
            )
        for job_id in ids:
            self._held.pop(job_id, None)
