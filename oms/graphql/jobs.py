"""Jobs of the outbox, for staff with MANAGE_JOBS: list them by status, retry a dead one."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON

from oms.accounts.permissions import Permission
from oms.graphql.common import (
    Node,
    PageInfo,
    UserError,
    connection,
    decode_cursor,
    parse_id,
    to_global_id,
)
from oms.graphql.context import Info
from oms.graphql.mutations import mutation
from oms.jobs import models
from oms.jobs import services as jobs
from oms.pagination import Page

# strawberry.enum registers the class as a GraphQL enum and returns it; the alias is what
# mypy reads as a type (a call's result is only a variable to it).
strawberry.enum(models.JobStatus, name="JobStatus")
JobStatus = models.JobStatus


@strawberry.type(description="A job of the outbox: work done after the change that needed it committed.")
class Job(Node):
    id: strawberry.ID
    kind: str = strawberry.field(description="Which handler runs it, e.g. `order.event`.")
    payload: JSON
    status: JobStatus
    attempts: int = strawberry.field(description="Runs so far, counting one in progress.")
    max_attempts: int = strawberry.field(description="Failed runs before the job is DEAD.")
    run_at: dt.datetime = strawberry.field(description="Due from then (after a failure: the next attempt).")
    locked_by: str | None = strawberry.field(description="The worker running it, or that ran it last.")
    locked_until: dt.datetime | None = strawberry.field(
        description="While RUNNING: the end of the worker's lease; after it another worker takes over."
    )
    last_error: str | None = strawberry.field(description="The traceback of the last failure.")
    dedupe_key: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def from_model(cls, job: models.Job) -> Job:
        return cls(
            id=to_global_id("Job", job.id),
            kind=job.kind,
            payload=JSON(job.payload),
            status=job.status,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            run_at=job.run_at,
            locked_by=job.locked_by,
            locked_until=job.locked_until,
            last_error=job.last_error,
            dedupe_key=job.dedupe_key,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
        )


@strawberry.type
class JobEdge:
    node: Job
    cursor: str


@strawberry.type
class JobConnection:
    edges: list[JobEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(cls, page: Page[models.Job]) -> JobConnection:
        return connection(cls, JobEdge, page, Job.from_model)


@strawberry.type
class JobPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def job_node(info: Info, pk: int) -> Node | None:
    """``node(id:)`` for a Job id: staff with MANAGE_JOBS only."""
    if not info.context.viewer.has(Permission.MANAGE_JOBS):
        return None
    job = await models.Job.get_or_none(id=pk)
    return Job.from_model(job) if job else None


@strawberry.type
class JobsQuery:
    @strawberry.field(description="Staff with MANAGE_JOBS: jobs, newest first, optionally of one status.")
    async def jobs(
        self,
        info: Info,
        status: JobStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> JobConnection:
        info.context.require_permission(Permission.MANAGE_JOBS)
        page = await jobs.list_jobs(
            status=status,
            first=first,
            after_id=decode_cursor(after),
        )
        return JobConnection.from_page(page)


@strawberry.type
class JobsMutation:
    @mutation(description="Staff with MANAGE_JOBS: queue a DEAD job again; its attempts start over.")
    async def retry_job(self, info: Info, id: strawberry.ID) -> JobPayload:
        info.context.require_permission(Permission.MANAGE_JOBS)
        job = await jobs.retry_job(parse_id(id, "Job", ["id"]))
        return JobPayload(job=Job.from_model(job))
