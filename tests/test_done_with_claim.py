"""DONE carried by the next claim (PostgreSQL, a worker claiming on its own connection as
Worker.run does): one statement records the finished jobs and claims the next batch; the
claim's expired-lease lookup skips the ids it marks DONE; each job still runs once with
workers running at the same time."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt

import pytest

from oms.jobs import queue
from oms.jobs.models import Job, JobStatus
from oms.jobs.registry import JobRegistry
from oms.jobs.services import enqueue, utcnow
from oms.jobs.worker import Worker
from oms.testing import test_database_url
from tests.test_round_trips import sent

pytestmark = [
    pytest.mark.skipif(test_database_url() is None, reason="the worker's own connection: PostgreSQL"),
    pytest.mark.usefixtures("oms_app"),
]


def _worker(handlers, **options) -> Worker:
    return Worker(JobRegistry(handlers=handlers, periodic=[]), **options)


async def _until(predicate, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _all_done(expected: int) -> bool:
    return await Job.filter(status=JobStatus.DONE).count() == expected


async def test_the_loop_records_done_in_its_next_claim():
    ran: list[int] = []

    async def note(payload):
        ran.append(payload["n"])
        if payload["n"] < 3:  # the next job, enqueued while this one runs
            await enqueue("note", {"n": payload["n"] + 1})

    w = _worker({"note": note}, poll_interval=0.02)
    await enqueue("note", {"n": 0})
    with sent() as statements:
        task = asyncio.create_task(w.run())
        await _until(lambda: _all_done(4))
        w.stop()
        await asyncio.wait_for(task, 10)
    assert ran == [0, 1, 2, 3]
    flat = [" ".join(s.split()) for s in statements]
    done = [s for s in flat if "SET status = 'DONE'" in s]
    assert done and all(s.startswith("WITH done AS ( UPDATE job SET status = 'DONE'") for s in done), done
    assert not [s for s in flat if "SET LOCAL enable_bitmapscan = off; UPDATE job" in s]  # no DONE of its own
    assert w._held == {} and w._done == []


async def test_the_claim_skips_the_jobs_it_marks_done_and_counts_them():
    mine, other, stolen = [await enqueue("note", {"n": n}) for n in range(3)]
    now = utcnow()
    own = queue.ClaimConnection()
    try:
        jobs, kept = await own.claim_and_mark_done([], worker="w1", limit=3, now=now, lease_seconds=1)
        assert sorted(job.id for job in jobs) == [mine.id, other.id, stolen.id] and kept == 0
        # Later than every lease: all three are expired. "stolen" is taken by another worker.
        later = now + dt.timedelta(seconds=5)
        await Job.filter(id=stolen.id).update(locked_by="w2", locked_until=later + dt.timedelta(seconds=30))
        jobs, kept = await own.claim_and_mark_done(
            [mine.id, stolen.id], worker="w1", limit=3, now=later, lease_seconds=30
        )
        # mine: DONE, not claimed again though its lease expired; other: claimed again
        # (expired); stolen: not this worker's any more, neither DONE nor counted.
        assert [job.id for job in jobs] == [other.id] and jobs[0].attempts == 2 and kept == 1
        rows = {job.id: job for job in await Job.all()}
        assert rows[mine.id].status == JobStatus.DONE and rows[mine.id].finished_at is not None
        assert rows[mine.id].locked_until is None
        assert (rows[other.id].status, rows[other.id].locked_by) == (JobStatus.RUNNING, "w1")
        assert (rows[stolen.id].status, rows[stolen.id].locked_by) == (JobStatus.RUNNING, "w2")
        # Nothing left to claim: the DONE count all the same.
        jobs, kept = await own.claim_and_mark_done([other.id], worker="w1", limit=3, now=later, lease_seconds=30)
        assert (jobs, kept) == ([], 1) and (await Job.get(id=other.id)).status == JobStatus.DONE
    finally:
        await own.close()


async def test_concurrent_workers_run_each_job_once():
    runs: collections.Counter[int] = collections.Counter()

    async def note(payload):
        runs[payload["n"]] += 1
        await asyncio.sleep(0.001)

    for n in range(120):
        await enqueue("note", {"n": n})
    workers = [_worker({"note": note}, poll_interval=0.02, batch_size=7, concurrency=2) for _ in range(3)]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    await _until(lambda: _all_done(120))
    for w in workers:
        w.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 20)
    assert sorted(runs) == list(range(120)) and set(runs.values()) == {1}
    assert await Job.exclude(status=JobStatus.DONE).count() == 0


async def test_run_once_can_leave_done_to_the_next_claim():
    """As bench/round_trips.py drives a busy worker: DONE waits, then rides the next claim."""
    w = _worker({"note": lambda payload: None})
    first = await enqueue("note", {"n": 1})
    async with w.claiming():
        assert await w.run_once(done_with_next_claim=True) == 1
        assert (await Job.get(id=first.id)).status == JobStatus.RUNNING and w._done == [first.id]
        second = await enqueue("note", {"n": 2})
        with sent() as statements:
            assert await w.run_once() == 1
    assert [job.status for job in await Job.filter(id__in=[first.id, second.id]).order_by("id")] == [
        JobStatus.DONE, JobStatus.DONE]
    flat = [" ".join(s.split()) for s in statements]
    assert [s for s in flat if "SET status = 'DONE'" in s][0].startswith("WITH done AS")
    assert w._held == {} and w._done == []
    # Without the worker's own connection (the pool, SQLite): recorded at the end as before.
    third = await enqueue("note", {"n": 3})
    assert await w.run_once(done_with_next_claim=True) == 1
    assert (await Job.get(id=third.id)).status == JobStatus.DONE and w._done == []


async def test_done_is_recorded_on_the_pool_when_the_carrying_claim_fails(monkeypatch):
    w = _worker({"note": lambda payload: None})
    job = await enqueue("note", {})
    async with w.claiming():
        assert await w.run_once(done_with_next_claim=True) == 1

        async def failing(self, done, **arguments):
            raise ConnectionError("the claim's connection is gone")

        monkeypatch.setattr(queue.ClaimConnection, "claim_and_mark_done", failing)
        with pytest.raises(ConnectionError):
            await w._step()
    assert (await Job.get(id=job.id)).status == JobStatus.DONE and w._done == [] and w._held == {}
