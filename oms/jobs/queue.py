"""The statements a worker runs against the ``job`` table: claim a batch, renew leases,
record outcomes, give jobs back.

Every statement that records an outcome is guarded by ``locked_by = <this worker>``: a
worker that lost its lease (another worker claimed the job after ``locked_until``)
changes nothing.

Times are passed in from the worker's clock, always in UTC (see
:func:`oms.jobs.services.as_utc`): SQLite stores them as ISO text and compares them as
text, which orders correctly only when every value has the same offset.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from oms.jobs.models import Job, JobStatus
from oms.sql import fetch, render

# One statement claims a batch: RUNNING jobs whose worker let the lease expire (it
# crashed or hung) first, then due QUEUED jobs, oldest first. The two are looked up apart
# so that each is an ordered index scan that stops after ``limit`` rows (an OR of both
# would sort every due job on each claim: slow with a backlog). On PostgreSQL each lookup
# locks its rows FOR UPDATE SKIP LOCKED, so concurrent workers claim disjoint batches
# without waiting for one another; ARRAY(...) runs each lookup exactly once, and [1:limit]
# keeps at most ``limit`` (rows locked but not kept are free again at the commit, right
# after; see _planned_for_now). SQLite runs one statement at a time: no locking clause.
_EXPIRED = """
    SELECT id FROM job WHERE status = 'RUNNING' AND locked_until < :now
    ORDER BY locked_until LIMIT :limit
"""
_DUE = """
    SELECT id FROM job WHERE status = 'QUEUED' AND run_at <= :now
    ORDER BY run_at, id LIMIT :limit
"""
_SET_CLAIMED = """
UPDATE job SET status = 'RUNNING', locked_by = :worker, locked_until = :lease_until,
       attempts = attempts + 1, updated_at = :now
"""
# DONE on PostgreSQL: one simple-protocol query, so one round trip in all. Its values are
# written in the statement (job ids, a time, the worker's id when it is plain: host:pid:hex),
# so it is planned for them every time, like an unprepared statement: no generic plan to
# fear; and SET LOCAL applies to the implicit transaction the query runs in (see below).
_MARK_DONE = (
    "SET LOCAL enable_bitmapscan = off; "
    "UPDATE job SET status = 'DONE', locked_until = NULL, finished_at = '{now}', updated_at = '{now}' "
    "WHERE id = ANY('{{{ids}}}'::bigint[]) AND locked_by = '{worker}'"
)
_PLAIN_WORKER_ID = re.compile(r"[A-Za-z0-9._:@-]{1,100}")
_MARK_DONE_PARAMETERISED = """
UPDATE job SET status = 'DONE', locked_until = NULL, finished_at = :now, updated_at = :now
WHERE id = ANY(:ids) AND locked_by = :worker
"""
_RETURNING = "RETURNING id, kind, payload, attempts, max_attempts"
_CLAIM = {
    "postgres": f"""{_SET_CLAIMED}
WHERE id = ANY((ARRAY({_EXPIRED} FOR UPDATE SKIP LOCKED)
                || ARRAY({_DUE} FOR UPDATE SKIP LOCKED))[1:(:limit)])
{_RETURNING}
""",
    "sqlite": f"""{_SET_CLAIMED}
WHERE id IN (
    SELECT id FROM (
        SELECT id, 0 AS part FROM ({_EXPIRED})
        UNION ALL
        SELECT id, 1 AS part FROM ({_DUE})
    ) ORDER BY part, id LIMIT :limit)
{_RETURNING}
""",
}


# The claim that also records DONE (Worker.run's loop on its own connection, PostgreSQL):
# one statement where DONE and the next claim took two. DONE of this worker's finished jobs
# in one data-modifying CTE, the claim as above, both in the statement's one transaction.
# The expired-lease lookup skips the ids being marked DONE (a statement cannot update one
# row twice, and they are finished). One row at least: DONE's count, with the claimed jobs'
# columns (NULL when the claim found nothing).
_EXPIRED_NOT_DONE = """
    SELECT id FROM job WHERE status = 'RUNNING' AND locked_until < :now AND id <> ALL(:done)
    ORDER BY locked_until LIMIT :limit
"""
_CLAIM_CARRYING_DONE = f"""
WITH done AS (
    UPDATE job SET status = 'DONE', locked_until = NULL, finished_at = :now, updated_at = :now
    WHERE id = ANY(:done) AND locked_by = :worker RETURNING id
), claimed AS ({_SET_CLAIMED}
WHERE id = ANY((ARRAY({_EXPIRED_NOT_DONE} FOR UPDATE SKIP LOCKED)
                || ARRAY({_DUE} FOR UPDATE SKIP LOCKED))[1:(:limit)])
{_RETURNING}
)
SELECT (SELECT count(*) FROM done) AS done, claimed.* FROM (SELECT 1) AS one LEFT JOIN claimed ON true
"""


@dataclasses.dataclass(frozen=True)
class ClaimedJob:
    """A job this worker holds: ``attempts`` counts this run."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


# Run the hot statements (the claim; DONE unless written as below) so that PostgreSQL plans them for the table as it is
# now: each in a short transaction that forbids a cached generic plan and bitmap scans.
#
# Why: asyncpg prepares statements, and after five runs PostgreSQL may keep a generic plan
# made while the queue was empty (a worker polls an empty queue most of its life): a
# sequential scan and a sort, kept after a burst of jobs arrives until the next ANALYZE.
# Stale statistics likewise make it sort every due job in a bitmap scan. Either way a claim
# costs O(backlog) instead of O(batch): measured ~2 600 instead of ~16 000 no-op jobs/s
# with 20 000 queued, in some runs.
#
# BEGIN and both SET LOCALs go in one round trip (one simple-protocol query of three
# statements: the transaction block it opens stays open), then the statement, then COMMIT:
# three round trips where BEGIN, the SETs, the statement and COMMIT took four.
_PLANNED_FOR_NOW = "BEGIN; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off"


async def _run_planned_for_now(template: str, params: dict[str, Any], *, rows: bool) -> Any:
    """Run one statement on PostgreSQL as described above; its rows (``rows``) or its row
    count."""
    client = get_connection("default")
    sql_text, values = render(template, "postgres", params)
    if isinstance(client, TransactionalDBClient):  # not expected: the worker runs these alone
        async with in_transaction() as conn:
            await conn.execute_script(_PLANNED_FOR_NOW.removeprefix("BEGIN; "))
            if rows:
                return await conn.execute_query_dict(sql_text, values)
            return (await conn.execute_query(sql_text, values))[0]
    async with client.acquire_connection() as connection:
        await connection.execute(_PLANNED_FOR_NOW)
        try:
            if rows:
                result: Any = [dict(row) for row in await connection.fetch(sql_text, *values)]
            else:
                result = int((await connection.execute(sql_text, *values)).rsplit(" ", 1)[-1])
            await connection.execute("COMMIT")
        except BaseException:
            # Released with the transaction open, asyncpg's pool would roll it back too.
            with contextlib.suppress(Exception):
                if not connection.is_closed():
                    await connection.execute("ROLLBACK")
            raise
    return result


# A connection of the worker's own for its claims on PostgreSQL (Worker.claiming): opened
# with _PLANNED_FOR_NOW's settings as its session settings, so a claim is the one statement
# in its implicit transaction: one round trip instead of three (BEGIN and the SETs, the
# statement, COMMIT). Outside Tortoise's pool, because oms keeps no session state on pooled
# connections (oms/dbclients.py); nothing else runs on it.
_CLAIM_SESSION = {"plan_cache_mode": "force_custom_plan", "enable_bitmapscan": "off"}
# What asyncpg.connect takes of the pool's arguments (not the pool's own: sizes, reset...).
_CONNECT_ARGS = ("timeout", "command_timeout", "ssl", "statement_cache_size", "direct_tls")
CLOSE_TIMEOUT = 5.0


async def open_claim_connection() -> Any | None:
    """A new connection for claims, as the pool's connections are made but with the
    claim's session settings; None when the database is not PostgreSQL."""
    client: Any = get_connection("default")
    if client.capabilities.dialect != "postgres" or not hasattr(client, "server_settings"):
        return None
    import asyncpg

    extra = {name: client.extra[name] for name in _CONNECT_ARGS if name in client.extra}
    return await asyncpg.connect(
        host=client.host,
        port=client.port,
        user=client.user,
        password=client.password,
        database=client.database,
        server_settings={**client.server_settings, **_CLAIM_SESSION},
        **extra,
    )


class ClaimConnection:
    """Claims on a connection of one worker's own (PostgreSQL; the pool elsewhere): opened
    at the first claim, again after a claim failed on it (dropped, timed out, cancelled)."""

    def __init__(self) -> None:
        self._connection: Any | None = None
        self._dialect = get_connection("default").capabilities.dialect

    async def claim(self, **arguments: Any) -> list[ClaimedJob]:
        if self._dialect != "postgres":
            return await claim_jobs(**arguments)
        if self._connection is None or self._connection.is_closed():
            self._connection = await open_claim_connection()
        connection = self._connection
        try:
            return await claim_jobs(**arguments, connection=connection)
        except BaseException:
            self._connection = None
            if connection is not None:
                connection.terminate()
            raise

    @property
    def carries_done(self) -> bool:
        """Whether :meth:`claim` can record DONE in the claim's statement."""
        return self._dialect == "postgres"

    async def claim_and_mark_done(
        self, done: Sequence[int], *, worker: str, limit: int, now: dt.datetime, lease_seconds: float
    ) -> tuple[list[ClaimedJob], int]:
        """DONE for ``done`` (held by ``worker``) and a claim of up to ``limit`` jobs, in one
        statement (PostgreSQL); the claimed jobs and how many of ``done`` were still held."""
        params = dict(
            worker=worker,
            now=now,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            limit=limit,
            done=[int(job_id) for job_id in done],
        )
        sql_text, values = render(_CLAIM_CARRYING_DONE, "postgres", params)
        if self._connection is None or self._connection.is_closed():
            self._connection = await open_claim_connection()
        connection: Any = self._connection
        try:
            rows = [dict(row) for row in await connection.fetch(sql_text, *values)]
        except BaseException:
            self._connection = None
            connection.terminate()
            raise
        return _claimed([row for row in rows if row["id"] is not None]), int(rows[0]["done"])

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(connection.close(), CLOSE_TIMEOUT)
        if not connection.is_closed():
            connection.terminate()


def _payload(value: Any) -> dict[str, Any]:
    # Raw statements return JSON as text on both dialects.
    if isinstance(value, (str, bytes)):
        value = json.loads(value)
    return value if isinstance(value, dict) else {"value": value}


async def claim_jobs(
    *, worker: str, limit: int, now: dt.datetime, lease_seconds: float, connection: Any | None = None
) -> list[ClaimedJob]:
    """Claim up to ``limit`` due jobs for ``worker`` until ``now + lease_seconds``; on
    ``connection`` (from :func:`open_claim_connection`) when given."""
    if limit <= 0:
        return []
    params = dict(worker=worker, now=now, lease_until=now + dt.timedelta(seconds=lease_seconds), limit=limit)
    if connection is not None:
        sql_text, values = render(_CLAIM["postgres"], "postgres", params)
        rows = [dict(row) for row in await connection.fetch(sql_text, *values)]
    elif get_connection("default").capabilities.dialect == "postgres":
        rows = await _run_planned_for_now(_CLAIM["postgres"], params, rows=True)
    else:  # one statement at a time, no plan cache: nothing to guard against
        rows = await fetch(_CLAIM["sqlite"], **params)
    return _claimed(rows)


def _claimed(rows: list[dict[str, Any]]) -> list[ClaimedJob]:
    jobs = [
        ClaimedJob(
            id=row["id"],
            kind=row["kind"],
            payload=_payload(row["payload"]),
            attempts=row["attempts"],
            max_attempts=row["max_attempts"],
        )
        for row in rows
    ]
    return sorted(jobs, key=lambda job: job.id)


def _held(ids: Sequence[int], worker: str):
    # locked_by is this worker's claim: set by the claim, cleared whenever the job goes
    # back to QUEUED, replaced when another worker claims it after the lease. (Not also
    # ``status = 'RUNNING'``: the planner would then read the status index, whose entries
    # for finished jobs pile up until vacuum, instead of the primary key.)
    return Job.filter(id__in=list(ids), locked_by=worker)


async def renew_leases(ids: Sequence[int], *, worker: str, now: dt.datetime, lease_seconds: float) -> int:
    """Extend the lease of jobs still running here; returns how many were extended."""
    if not ids:
        return 0
    return (
        await _held(ids, worker)
        .filter(status=JobStatus.RUNNING)
        .update(locked_until=now + dt.timedelta(seconds=lease_seconds), updated_at=now)
    )


async def mark_done(ids: Sequence[int], *, worker: str, now: dt.datetime) -> int:
    """DONE, in one statement; returns how many this worker still held."""
    if not ids:
        return 0
    client = get_connection("default")
    if client.capabilities.dialect != "postgres":
        return await _held(ids, worker).update(
            status=JobStatus.DONE, locked_until=None, finished_at=now, updated_at=now
        )
    ids = [int(job_id) for job_id in ids]
    if _PLAIN_WORKER_ID.fullmatch(worker) and not isinstance(client, TransactionalDBClient):
        statement = _MARK_DONE.format(
            now=now.astimezone(dt.UTC).isoformat(), ids=",".join(map(str, ids)), worker=worker
        )
        async with client.acquire_connection() as connection:
            return int((await connection.execute(statement)).rsplit(" ", 1)[-1])
    params = dict(now=now, worker=worker, ids=ids)
    return await _run_planned_for_now(_MARK_DONE_PARAMETERISED, params, rows=False)


async def mark_failed(job_id: int, *, worker: str, now: dt.datetime, error: str, retry_at: dt.datetime | None) -> int:
    """QUEUED again from ``retry_at``, or DEAD when ``retry_at`` is None; with the error."""
    if retry_at is None:
        values: dict[str, Any] = dict(status=JobStatus.DEAD, finished_at=now)
    else:
        values = dict(status=JobStatus.QUEUED, run_at=retry_at, locked_by=None)
    return await _held([job_id], worker).update(**values, locked_until=None, last_error=error, updated_at=now)


async def release(ids: Sequence[int], *, worker: str, now: dt.datetime) -> int:
    """Give jobs back unrun (a stopping worker): QUEUED, and the claim is not counted."""
    if not ids:
        return 0
    return (
        await _held(ids, worker)
        .filter(status=JobStatus.RUNNING)
        .update(
            status=JobStatus.QUEUED,
            attempts=F("attempts") - 1,
            locked_by=None,
            locked_until=None,
            updated_at=now,
        )
    )
