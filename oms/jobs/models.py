import enum

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
    lost between commit and enqueue. Workers claim due rows and run the handler of ``kind``.
    """

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=100)
    payload = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.QUEUED)
    attempts = fields.IntField(default=0)
    max_attempts = fields.IntField(default=8)
    run_at = fields.DatetimeField()
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
        indexes = (("status", "run_at"),)
