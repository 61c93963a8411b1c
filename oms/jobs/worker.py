"""The job worker: claims due jobs in batches, runs their handlers, records the outcome.

One worker runs inside ``oms serve`` (``OMS_RUN_WORKER``); ``oms worker`` runs one alone.
Any number may run against one PostgreSQL database: a claim takes a batch with
``FOR UPDATE SKIP LOCKED`` and a lease (``locked_until``), so concurrent workers never
take the same job, and a job whose worker died is claimed again once the lease expires.
While a handler runs its lease is renewed.

A job a handler enqueues outside a transaction (a mail job of an ``order.event``), due
now and of a kind this worker handles, is written already claimed by it and runs next in
the same batch (:class:`oms.jobs.services.RunsHere`): no claim to wait for.

Jobs run **at least once** (a worker can die after the handler's effect committed and
before the job is marked DONE), so handlers must be idempotent.

Outcomes:

- success: DONE, recorded for many jobs in one statement (in :meth:`Worker.run` on
  PostgreSQL, the next claim's statement: see ``queue._CLAIM_CARRYING_DONE``);
- an exception: QUEUED again after an exponential backoff with jitter, with the error in
  ``last_error``; after ``max_attempts`` runs, DEAD (staff can retry it);
- no handler for the kind: DEAD at once, with an error saying so;
- a lease that expired on its last attempt: DEAD without another run.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any

from oms.config import Settings
from oms.jobs import queue
from oms.jobs.held import HeldJobs
from oms.jobs.outcomes import Failure, backoff_seconds, describe_error, job_fields  # noqa: F401 (backoff_seconds: imported from here)
from oms.jobs.periodic import PeriodicScheduler, periodic_handlers
from oms.jobs.queue import ClaimedJob
from oms.jobs.registry import DeadHandler, Handler, JobRegistry
from oms.jobs.services import RunsHere, runs_here, utcnow
from oms.plugins import await_me_maybe

logger = logging.getLogger("oms.jobs")

# How often the loop records outcomes while jobs are running, and how often it looks for
# due periodic jobs.
FLUSH_INTERVAL = 0.1
PERIODIC_CHECK_INTERVAL = 1.0


def default_worker_id() -> str:
    """host:pid:random -- unique per Worker object, readable in ``job.locked_by``."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker(HeldJobs):
    """Runs jobs; see the module docstring.

    :param registry: handlers by kind and periodic jobs (:meth:`JobRegistry.build`).
    :param dead_handlers: called once a job of their kind is DEAD, with its payload and
        last error (default: the registry's ``dead_handlers``).
    :param batch_size: jobs claimed by one statement; also the most this worker holds.
    :param concurrency: handlers running at once (on PostgreSQL each holds a connection
        of the pool while in a transaction: keep it below the pool's ``maxsize``, 5 unless
        the database URL says ``?maxsize=N``).
    :param lease_seconds: how long a claim holds a job without renewal.
    :param poll_interval: seconds between polls when there is nothing to do.
    :param job_timeout: seconds an async handler may run before it counts as failed.
    :param shutdown_timeout: seconds :meth:`stop` lets running handlers finish; the rest
        are cancelled and given back to the queue.
    :param clock: the current UTC time (tests move it).
    """

    def __init__(
        self,
        registry: JobRegistry,
        *,
        dead_handlers: Mapping[str, DeadHandler] | None = None,
        worker_id: str | None = None,
        batch_size: int = 100,
        concurrency: int = 4,
        lease_seconds: float = 30,
        poll_interval: float = 0.25,
        job_timeout: float = 600,
        shutdown_timeout: float = 10,
        clock: Callable[[], dt.datetime] = utcnow,
    ):
        if batch_size < 1 or concurrency < 1 or lease_seconds <= 0:
            raise ValueError("batch_size, concurrency and lease_seconds must be positive")
        self.handlers: dict[str, Handler] = {
            **registry.handlers,
            **periodic_handlers(registry.periodic),
        }
        self.dead_handlers: dict[str, DeadHandler] = dict(
            registry.dead_handlers if dead_handlers is None else dead_handlers
        )
        self.scheduler = PeriodicScheduler(registry.periodic)
        self.worker_id = worker_id or default_worker_id()
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.lease_seconds = lease_seconds
        self.poll_interval = poll_interval
        self.job_timeout = job_timeout
        self.shutdown_timeout = shutdown_timeout
        self.clock = clock
        # Claimed by this worker and not yet recorded as finished in the database.
        self._held: dict[int, ClaimedJob] = {}
        self._done: list[int] = []
        self._failed: collections.deque[Failure] = collections.deque()
        self._queue: asyncio.Queue[ClaimedJob] = asyncio.Queue()
        # Claimed and not finished: waiting in _queue or running.
        self._unfinished = 0
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._stopping = asyncio.Event()
        self._hurry = asyncio.Event()
        # time.monotonic() deadlines of the loop.
        self._renew_at = 0.0
        self._periodic_at = 0.0
        self._claim_at = 0.0
        self._runs_here = RunsHere(self.worker_id, self._lease_until, self._handles_here, self._adopt)
        # Inside claiming(): claims on a connection of this worker's own (PostgreSQL).
        self._own: queue.ClaimConnection | None = None

    @classmethod
    def from_settings(cls, registry: JobRegistry, settings: Settings, **overrides) -> Worker:
        options: dict[str, Any] = dict(
            batch_size=settings.job_batch_size,
            concurrency=settings.job_concurrency,
            lease_seconds=settings.job_lease_seconds,
            poll_interval=settings.job_poll_interval_ms / 1000,
            job_timeout=settings.job_timeout_seconds,
        )
        options.update(overrides)
        return cls(registry, **options)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- one job ------------------------------------------------------------------------

    async def _execute(self, job: ClaimedJob) -> None:
        """Run one claimed job and note its outcome; :meth:`_flush` records it."""
        handler = self.handlers.get(job.kind)
        if job.attempts > job.max_attempts:
            self._failed.append(
                Failure(
                    job,
                    (
                        f"The worker running attempt {job.max_attempts} of {job.max_attempts} stopped "
                        "without finishing (its lease expired); no attempts are left."
                    ),
                    final=True,
                )
            )
            return
        if handler is None:
            self._failed.append(
                Failure(
                    job,
                    (
                        f"No handler for job kind {job.kind!r}: no installed plugin (nor the core) "
                        "handles it. Install the plugin that enqueues it, then retry the job."
                    ),
                    final=True,
                )
            )
            return
        started = time.perf_counter()
        here = runs_here.set(self._runs_here)
        try:
            try:
                async with asyncio.timeout(self.job_timeout):
                    await await_me_maybe(handler(job.payload))
            except asyncio.CancelledError as exc:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # the worker is stopping: the job is given back
                # The handler's own work was cancelled: a failure like any other.
                raise RuntimeError("The handler was cancelled") from exc
        except Exception as exc:  # any failure of a handler is what retries are for
            final = job.attempts >= job.max_attempts
            logger.warning(
                "Job %s (%s) failed on attempt %s/%s%s: %r",
                job.id,
                job.kind,
                job.attempts,
                job.max_attempts,
                "; it is DEAD" if final else "",
                exc,
                extra={"fields": job_fields(job, "dead" if final else "retry", started)},
            )
            self._failed.append(Failure(job, describe_error(exc), final))
        else:
            logger.info("job", extra={"fields": job_fields(job, "done", started)})
            self._done.append(job.id)
        finally:
            runs_here.reset(here)

    def _handles_here(self, kind: str) -> bool:
        return kind in self.handlers and not self._stopping.is_set()

    def _lease_until(self) -> dt.datetime:
        return self.clock() + dt.timedelta(seconds=self.lease_seconds)

    @contextlib.asynccontextmanager
    async def claiming(self) -> AsyncIterator[None]:
        """Inside the block, claims run on a connection of this worker's own on PostgreSQL
        (:class:`oms.jobs.queue.ClaimConnection`: one round trip a claim instead of three),
        closed on leaving. :meth:`run` claims inside it; :meth:`run_once` alone, on the pool."""
        own = self._own = queue.ClaimConnection()
        try:
            yield
        finally:
            self._own = None
            await own.close()

    def _carries_done(self) -> bool:
        """Whether a claim here records DONE in its statement (on the worker's own
        connection, PostgreSQL): :meth:`_step` then leaves DONE to its claim."""
        return self._own is not None and self._own.carries_done

    async def _claim(self, limit: int) -> list[ClaimedJob]:
        arguments: dict[str, Any] = dict(
            worker=self.worker_id, limit=limit, now=self.clock(), lease_seconds=self.lease_seconds
        )
        if self._done and self._own is not None and self._carries_done():
            done = self._done[:]
            jobs, kept = await self._own.claim_and_mark_done(done, **arguments)
            self._recorded_done(done, kept)
        else:
            claim = self._own.claim if self._own is not None else queue.claim_jobs
            jobs = await claim(**arguments)
        # A job already held here can come back only if renewing its lease failed (the
        # database was unreachable); it is still running here, so it must not run twice.
        jobs = [job for job in jobs if job.id not in self._held]
        for job in jobs:
            self._held[job.id] = job
        return jobs

    # -- one step, for tests and scripts ---------------------------------------------------

    async def run_once(self, *, done_with_next_claim: bool = False) -> int:
        """Enqueue due periodic jobs, claim one batch, run it to the end (with the jobs its
        handlers wrote already claimed here, see :class:`oms.jobs.services.RunsHere`) and
        record the outcomes. Returns how many jobs ran. ``done_with_next_claim`` (inside
        :meth:`claiming`, PostgreSQL): DONE is left to the next claim, as :meth:`run` does
        (bench/round_trips.py)."""
        await self.scheduler.enqueue_due(self.clock())
        jobs = await self._claim(self.batch_size)
        slots = asyncio.Semaphore(self.concurrency)

        async def run(job: ClaimedJob) -> None:
            async with slots:
                await self._execute(job)

        ran = 0
        while jobs:
            await asyncio.gather(*(run(job) for job in jobs))
            ran += len(jobs)
            # Then the jobs those handlers wrote already claimed here (see _adopt).
            jobs = []
            while not self._queue.empty():
                jobs.append(self._queue.get_nowait())
                self._unfinished -= 1
        await self._flush(done=not (done_with_next_claim and self._carries_done()))
        return ran

    # -- the loop ----------------------------------------------------------------------------

    def stop(self, *, now: bool = False) -> None:
        """Ask :meth:`run` to return: no more claims, unstarted jobs go back to the queue,
        running handlers get ``shutdown_timeout`` seconds (none with ``now=True``)."""
        self._stopping.set()
        if now:
            self._hurry.set()

    async def run(self) -> None:
        """Claim and run jobs until :meth:`stop` is called."""
        self._stopping.clear()
        self._hurry.clear()
        consumers = [asyncio.create_task(self._consume(), name=f"oms-job-{i}") for i in range(self.concurrency)]
        logger.info(
            "Job worker %s started (batch %s, concurrency %s, lease %ss, %s kinds, %s periodic)",
            self.worker_id,
            self.batch_size,
            self.concurrency,
            self.lease_seconds,
            len(self.handlers),
            len(self.scheduler.jobs),
        )
        try:
            async with self.claiming():
                await self._loop()
        finally:
            await self._shut_down(consumers)
            logger.info("Job worker %s stopped", self.worker_id)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                busy = await self._step()
            except Exception:
                # The database went away or refused a statement: keep what we hold
                # (outcomes are recorded on a later step) and try again.
                logger.exception("Job worker %s: a step failed; retrying", self.worker_id)
                await self._pause(max(self.poll_interval, 1.0))
                continue
            if busy:
                await self._pause(FLUSH_INTERVAL, self._wake)
            else:
                await self._pause(self.poll_interval)

    async def _step(self) -> bool:
        """Record outcomes, renew leases, enqueue due periodic jobs, claim when few jobs
        are left. Returns whether jobs are in hand. On the worker's own connection DONE
        goes with the claim (one statement), or alone when this step does not claim."""
        carry = self._carries_done()
        await self._flush(done=not carry)
        clock = time.monotonic()
        running = [job_id for job_id in self._held if job_id not in self._done] if carry else list(self._held)
        if running and clock >= self._renew_at:
            await queue.renew_leases(
                running,
                worker=self.worker_id,
                now=self.clock(),
                lease_seconds=self.lease_seconds,
            )
            self._renew_at = clock + self.lease_seconds / 3
        if self.scheduler.jobs and clock >= self._periodic_at:
            await self.scheduler.enqueue_due(self.clock())
            self._periodic_at = clock + PERIODIC_CHECK_INTERVAL
        # Claim again once no claimed job waits for a free handler slot; while jobs run,
        # not sooner than the poll interval after a claim that found nothing (when idle,
        # the loop's pause is that interval).
        room = self.batch_size - len(running)
        may_poll = not running or clock >= self._claim_at
        if self._unfinished <= self.concurrency and room > 0 and may_poll:
            if not running:
                self._renew_at = clock + self.lease_seconds / 3
            try:
                jobs = await self._claim(room)
            except Exception:
                if self._done:  # the claim's connection failed: DONE on the pool all the same
                    await self._flush()
                raise
            for job in jobs:
                self._unfinished += 1
                self._idle.clear()
                self._queue.put_nowait(job)
            self._claim_at = 0.0 if jobs else clock + self.poll_interval
        if self._done:  # not carried by a claim in this step
            await self._flush()
        return bool(self._held)

    async def _consume(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._execute(job)
            finally:
                self._unfinished -= 1
                if self._unfinished <= self.concurrency:
                    self._wake.set()
                if self._unfinished == 0:
                    self._idle.set()

    async def _pause(self, seconds: float, *events: asyncio.Event) -> None:
        """Sleep up to ``seconds``; wake early on stop or any of ``events``."""
        waits = [asyncio.ensure_future(e.wait()) for e in (self._stopping, *events)]
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()

    async def _shut_down(self, consumers: Iterable[asyncio.Task]) -> None:
        """Give back what has not started, let running handlers finish (up to
        ``shutdown_timeout``), record outcomes, give back what was cut short."""
        unstarted: list[int] = []
        while not self._queue.empty():
            unstarted.append(self._queue.get_nowait().id)
            self._unfinished -= 1
        if self._unfinished == 0:
            self._idle.set()
        await self._give_back(unstarted)
        if self._unfinished and not self._hurry.is_set():
            waits = [asyncio.ensure_future(e.wait()) for e in (self._idle, self._hurry)]
            await asyncio.wait(waits, timeout=self.shutdown_timeout, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()
        for consumer in consumers:
            consumer.cancel()
        await asyncio.gather(*consumers, return_exceptions=True)
        try:
            await self._flush()
        except Exception:
            logger.exception("Job worker %s: could not record outcomes on stopping", self.worker_id)
        cut_short = [job_id for job_id in self._held if job_id not in self._done]
        await self._give_back(cut_short)
