"""The outbox: enqueue jobs inside the caller's transaction; list and retry them.

Jobs run at least once: a worker that dies mid-job (or loses its lease) leaves the job to
be run again by another worker, so every handler must be idempotent -- running it twice
must have the effect of running it once (check what was already done, or key the effect
on the job's payload, e.g. an order id).
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from oms.clock import utcnow
from oms.errors import DomainError, ErrorCode, not_found
from oms.jobs.models import Job, JobStatus
from oms.pagination import Page, paginate

DEFAULT_MAX_ATTEMPTS = 8


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC. Workers compare stored times in SQL, and SQLite compares them as
    text, so every stored time must carry the same offset (+00:00)."""
    if moment.tzinfo is None:
        raise ValueError(f"A naive datetime ({moment}) has no time zone; pass an aware one.")
    return moment.astimezone(dt.UTC)


async def enqueue(
    kind: str,
    payload: dict[str, Any],
    *,
    run_at: dt.datetime | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    dedupe_key: str | None = None,
) -> Job:
    """Write a job row. Call it inside the transaction of the change that needs the job,
    so the job exists if and only if the change committed.

    :param kind: picks the handler (core or a plugin's ``oms_job_handlers``).
    :param payload: a JSON object handed to the handler.
    :param run_at: not before this moment (default: now).
    :param max_attempts: failed runs before the job is DEAD.
    :param dedupe_key: when a job with this key exists (in any status), return it instead
        of writing a second one.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    values: dict[str, Any] = dict(
        kind=kind,
        payload=payload,
        run_at=as_utc(run_at) if run_at is not None else utcnow(),
        max_attempts=max_attempts,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        return await Job.create(**values)
    if get_connection("default").capabilities.dialect == "postgres":
        # One statement: the insert, or nothing when the key exists (no savepoint needed,
        # the caller's transaction is not aborted by the conflict).
        job = (await _insert_deduped([values]))[0]
        return job if job is not None else await Job.get(dedupe_key=dedupe_key)
    existing = await Job.get_or_none(dedupe_key=dedupe_key)
    if existing is not None:
        return existing
    try:
        # A savepoint inside the caller's transaction: losing a race for the key must not
        # abort the caller's transaction (PostgreSQL would).
        async with in_transaction():
            return await Job.create(**values)
    except IntegrityError:
        return await Job.get(dedupe_key=dedupe_key)


_INSERT_DEDUPED = """
INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at,
                 locked_by, locked_until)
SELECT kind, payload::jsonb, CASE WHEN here THEN 'RUNNING' ELSE 'QUEUED' END, CASE WHEN here THEN 1 ELSE 0 END,
       max_attempts, run_at, dedupe_key, $6::timestamptz, $6::timestamptz,
       CASE WHEN here THEN $7::text END, CASE WHEN here THEN $8::timestamptz END
FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $9::bool[])
     AS j(kind, payload, max_attempts, run_at, dedupe_key, here)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id, dedupe_key
"""


@dataclasses.dataclass(frozen=True)
class RunsHere:
    """Set by the worker while one of its handlers runs (:data:`runs_here`): a job that
    handler enqueues outside a transaction, due now, of a kind this worker handles, can be
    written already claimed by it and run next, without waiting for a claim."""

    worker_id: str
    lease_until: Callable[[], dt.datetime]
    handles: Callable[[str], bool]
    # Called with each job written claimed: (id, kind, payload, max_attempts).
    adopt: Callable[[int, str, dict[str, Any], int], None]


runs_here: contextvars.ContextVar[RunsHere | None] = contextvars.ContextVar("oms_job_runs_here", default=None)


async def _insert_deduped(rows: list[dict[str, Any]]) -> list[Job | None]:
    """PostgreSQL: write jobs in one statement, each unless its dedupe key exists; the new
    Job of each row, or None for a key that existed.

    Outside a transaction (the row is committed when the statement returns) and inside a
    worker's handler (:class:`RunsHere`), a job due now of a kind the worker handles is
    written RUNNING with this worker's lease, its first attempt counted, and handed to the
    worker: one claim and one batch fewer. If the worker dies first, the lease expires and
    any worker claims it again, as for every claimed job."""
    now = utcnow()
    connection = get_connection("default")
    here = runs_here.get()
    if here is not None and isinstance(connection, TransactionalDBClient):
        here = None  # adopted before its commit, a rolled-back job could run
    claimed = [here is not None and row["run_at"] <= now and here.handles(row["kind"]) for row in rows]
    params = [
        [row["kind"] for row in rows],
        [json.dumps(row["payload"]) for row in rows],
        [row["max_attempts"] for row in rows],
        [row["run_at"] for row in rows],
        [row["dedupe_key"] for row in rows],
        now,
        here.worker_id if here is not None else None,
        here.lease_until() if here is not None else None,
        claimed,
    ]
    inserted = {
        record["dedupe_key"]: record["id"] for record in await connection.execute_query_dict(_INSERT_DEDUPED, params)
    }
    jobs: list[Job | None] = []
    for row, mine in zip(rows, claimed, strict=True):
        job_id = inserted.pop(row["dedupe_key"], None)
        if job_id is None:
            jobs.append(None)
            continue
        job = Job(id=job_id, status=JobStatus.QUEUED, attempts=0, created_at=now, updated_at=now, **row)
        if mine and here is not None:
            job.status, job.attempts, job.locked_by = JobStatus.RUNNING, 1, here.worker_id
            here.adopt(job_id, row["kind"], row["payload"], row["max_attempts"])
        job._saved_in_db = True
        jobs.append(job)
    return jobs


async def enqueue_deduped(jobs: list[tuple[str, dict[str, Any], str, int]]) -> None:
    """Write several jobs, each ``(kind, payload, dedupe_key, max_attempts)``, due now;
    each unless a job with its key exists. On PostgreSQL one statement, so no transaction
    is needed around it; elsewhere one :func:`enqueue` each, in a transaction."""
    if not jobs:
        return
    if get_connection("default").capabilities.dialect == "postgres":
        now = utcnow()
        await _insert_deduped(
            [
                dict(kind=kind, payload=payload, run_at=now, max_attempts=attempts, dedupe_key=key)
                for kind, payload, key, attempts in jobs
            ]
        )
        return
    async with in_transaction():
        for kind, payload, key, attempts in jobs:
            await enqueue(kind, payload, dedupe_key=key, max_attempts=attempts)


async def enqueue_many(kind: str, payloads: list[dict[str, Any]], *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
    """Write several jobs of one kind in one statement; same rules as :func:`enqueue`."""
    now = utcnow()
    await Job.bulk_create([Job(kind=kind, payload=p, run_at=now, max_attempts=max_attempts) for p in payloads])


async def list_jobs(
    *, status: JobStatus | None = None, first: int | None = None, after_id: int | None = None
) -> Page[Job]:
    """A page of jobs, newest first, optionally of one status."""
    queryset = Job.all() if status is None else Job.filter(status=status)
    return await paginate(queryset, first=first, after_id=after_id)


async def retry_job(job_id: int, *, now: dt.datetime | None = None) -> Job:
    """Queue a DEAD job again, due now, with its attempts starting over.

    Its ``last_error`` stays until a new failure replaces it. NOT_FOUND for an unknown id,
    INVALID_TRANSITION for a job that is not DEAD.
    """
    now = as_utc(now) if now is not None else utcnow()
    queued = await Job.filter(id=job_id, status=JobStatus.DEAD).update(
        status=JobStatus.QUEUED,
        attempts=0,
        run_at=now,
        locked_by=None,
        locked_until=None,
        finished_at=None,
        updated_at=now,
    )
    job = await Job.get_or_none(id=job_id)
    if job is None:
        raise not_found("Job", ["id"])
    if not queued:
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION,
            f"Only a DEAD job can be retried; this one is {job.status.value}.",
            ["id"],
        )
    return job
