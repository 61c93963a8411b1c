"""What a job's run comes to: the backoff before a retry, the error kept for staff, the
fields of its log line, and a failure waiting to be recorded (:mod:`oms.jobs.worker`)."""

from __future__ import annotations

import dataclasses
import random
import time
import traceback

from oms.jobs.queue import ClaimedJob

MAX_BACKOFF_SECONDS = 3600
MAX_ERROR_CHARS = 4000


def backoff_seconds(attempts: int) -> float:
    """Delay before the next attempt after ``attempts`` failed runs: 2, 4, 8... seconds up
    to an hour, each within +-25% so that jobs failing together spread out."""
    return min(2.0**attempts, MAX_BACKOFF_SECONDS) * random.uniform(0.75, 1.25)


def describe_error(exc: BaseException) -> str:
    """The traceback, cut from the front (the innermost frames and message are kept)."""
    text = "".join(traceback.format_exception(exc)).strip()
    if len(text) > MAX_ERROR_CHARS:
        text = "..." + text[-(MAX_ERROR_CHARS - 3) :]
    return text


def job_fields(job: ClaimedJob, outcome: str, started: float) -> dict[str, object]:
    """The fields of a job's log line (oms.logs formats them)."""
    return {
        "kind": job.kind,
        "job_id": job.id,
        "attempt": job.attempts,
        "outcome": outcome,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }


@dataclasses.dataclass(frozen=True)
class Failure:
    job: ClaimedJob
    error: str
    # No retry: DEAD.
    final: bool
