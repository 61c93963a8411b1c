"""The outbox: enqueue jobs inside the caller's transaction; list and retry them.

Jobs run at least once: a worker that dies mid-job (or loses its lease) leaves the job to
be run again by another worker, so every handler must be idempotent -- running it twice
must have the effect of running it once (check what was already done, or key the effect
on the job's payload, e.g. an order id).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

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
INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at)
SELECT kind, payload::jsonb, 'QUEUED', 0, max_attempts, run_at, dedupe_key, $6::timestamptz, $6::timestamptz
FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[])
     AS j(kind, payload, max_attempts, run_at, dedupe_key)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id, dedupe_key
"""


async def _insert_deduped(rows: list[dict[str, Any]]) -> list[Job | None]:
    """PostgreSQL: write jobs in one statement, each unless its dedupe key exists; the new
    Job of each row, or None for a key that existed."""
    now = utcnow()
    params = [
        [row["kind"] for row in rows],
        [json.dumps(row["payload"]) for row in rows],
        [row["max_attempts"] for row in rows],
        [row["run_at"] for row in rows],
        [row["dedupe_key"] for row in rows],
        now,
    ]
    inserted = {
        record["dedupe_key"]: record["id"]
        for record in await get_connection("default").execute_query_dict(_INSERT_DEDUPED, params)
    }
    jobs: list[Job | None] = []
    for row in rows:
        job_id = inserted.get(row["dedupe_key"])
        if job_id is None:
            jobs.append(None)
            continue
        job = Job(id=job_id, status=JobStatus.QUEUED, attempts=0, created_at=now, updated_at=now, **row)
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
