"""The outbox: enqueue jobs inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oms.jobs.models import Job


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def enqueue(
    kind: str,
    payload: dict[str, Any],
    *,
    run_at: dt.datetime | None = None,
    max_attempts: int = 8,
) -> Job:
    """Write a job row. Call it inside the transaction of the change that needs the job,
    so the job exists if and only if the change committed."""
    return await Job.create(
        kind=kind, payload=payload, run_at=run_at or utcnow(), max_attempts=max_attempts
    )
