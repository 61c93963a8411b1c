import enum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class JobStatus(str, enum.Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    DEAD = "DEAD"


class Job(Model):
    """A row of the transactional outbox.

    Written in the same transaction as the change that needs it, so an effect is never
    lost between commit and enqueue. Workers claim due rows and run the handler of ``kind``
    (see :mod:`oms.jobs.worker`). Every timestamp is stored in UTC.
    """

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=100)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.QUEUED)
    # Claims so far, counting the one running now.
    attempts = fields.IntField(default=0)
    max_attempts = fields.IntField(default=8)
    run_at = fields.DatetimeField()
    # While RUNNING: the worker ``locked_by`` holds the job until ``locked_until`` (its
    # lease, renewed while the handler runs); after that any worker may claim it again.
    locked_until = fields.DatetimeField(null=True)
    locked_by = fields.CharField(max_length=100, null=True)
    last_error = fields.TextField(null=True)
    # Enqueueing twice with one key makes one job (e.g. "deliver:order:42:physical").
    dedupe_key = fields.CharField(max_length=200, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "job"
        # Claims read due jobs in this order (oms/jobs/queue.py): an index scan that
        # stops after one batch, however long the queue.
        # (status, finished_at): the retention purge finds old DONE and DEAD jobs by a range.
        indexes = (("status", "run_at", "id"), ("status", "finished_at"))


class PeriodicSchedule(Model):
    """When each periodic job is next due, shared by all workers.

    A worker wins a period with one conditional UPDATE of ``next_run_at`` and enqueues a
    job for it in the same transaction, so each period runs once across all workers.
    Rows are created the first time a worker sees the periodic job.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    every_seconds = fields.IntField()
    next_run_at = fields.DatetimeField()
    last_enqueued_at = fields.DatetimeField(null=True)

    class Meta:
        table = "periodic_schedule"
