"""The outbox and its worker, in-process, on the database under test (SQLite or PostgreSQL).

Workers here are driven step by step (``Worker.run_once``) with a clock the test moves;
the loop (``Worker.run``), the app's in-process worker and real ``oms worker`` processes
are covered at the end and in test_worker_processes.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import pytest
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from oms import hookimpl
from oms.accounts import services as accounts
from oms.accounts.permissions import Viewer
from oms.graphql.common import to_global_id
from oms.jobs import queue
from oms.jobs.models import Job, JobStatus, PeriodicSchedule
from oms.jobs.periodic import following_run, periodic_kind
from oms.jobs.registry import JobRegistry
from oms.jobs.services import enqueue, enqueue_deduped, retry_job, utcnow
from oms.jobs.worker import Worker, backoff_seconds
from oms.plugin_types import PeriodicJob

pytestmark = pytest.mark.usefixtures("oms_app")


class Clock:
    """The workers' idea of now; starts a little after the real now, so that jobs the test
    enqueues (due at the real now by default) are due."""

    def __init__(self) -> None:
        self.now = utcnow() + dt.timedelta(seconds=5)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


class Calls:
    """A handler that records its payloads, optionally failing."""

    def __init__(self, error: Exception | None = None) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.error = error

    async def __call__(self, payload: dict[str, Any]) -> None:
        self.payloads.append(payload)
        if self.error is not None:
            raise self.error


def worker(handlers=None, periodic=(), **options) -> Worker:
    return Worker(JobRegistry(handlers=dict(handlers or {}), periodic=list(periodic)), **options)


async def fresh(job: Job) -> Job:
    return await Job.get(id=job.id)


# -- enqueue ---------------------------------------------------------------------------------


async def test_enqueue_in_a_rolled_back_transaction_leaves_no_job():
    with pytest.raises(RuntimeError, match="the change failed"):
        async with in_transaction():
            await enqueue("mail.send", {"to": "a@example.com"})
            raise RuntimeError("the change failed")
    assert await Job.all().count() == 0

    async with in_transaction():
        job = await enqueue("mail.send", {"to": "a@example.com"})
    stored = await fresh(job)
    assert (stored.kind, stored.payload) == ("mail.send", {"to": "a@example.com"})
    assert stored.status == JobStatus.QUEUED


async def test_enqueue_with_a_dedupe_key_makes_one_job():
    first = await enqueue("deliver", {"order_id": 1}, dedupe_key="deliver:1")
    again = await enqueue("deliver", {"order_id": 1}, dedupe_key="deliver:1")
    assert again.id == first.id
    assert await Job.filter(dedupe_key="deliver:1").count() == 1


async def test_losing_a_dedupe_race_does_not_abort_the_callers_transaction(monkeypatch):
    existing = await enqueue("deliver", {"order_id": 1}, dedupe_key="deliver:1")
    async with in_transaction():
        with monkeypatch.context() as patched:
            # As if another transaction inserted the key between our look-up and insert.
            patched.setattr(Job, "get_or_none", lambda **kw: _none())
            duplicate = await enqueue("deliver", {"order_id": 1}, dedupe_key="deliver:1")
        # On PostgreSQL a failed INSERT outside a savepoint would abort this transaction.
        other = await enqueue("mail.send", {})
    assert duplicate.id == existing.id
    assert await Job.filter(id=other.id).exists()
    assert await Job.all().count() == 2


async def _none() -> None:
    return None


async def test_enqueue_refuses_a_naive_run_at():
    with pytest.raises(ValueError, match="naive"):
        await enqueue("x", {}, run_at=dt.datetime(2030, 1, 1, 12, 0))


@pytest.mark.parametrize("offset_hours", [0, 2, -5])
@pytest.mark.parametrize("run_at_micro,now_delta_us", [
    (0, -1), (0, 0), (0, 1), (500_000, -1), (500_000, 0), (500_000, 1), (999_999, 1),
])
async def test_due_times_compare_in_sql_as_they_do_in_python(clock, offset_hours, run_at_micro, now_delta_us):
    """SQLite stores times as text: a whole second ("...:05+00:00") and a fraction
    ("...:05.5+00:00"), and times given in another zone, must still compare as times."""
    run_at = (clock.now + dt.timedelta(seconds=10)).replace(microsecond=run_at_micro)
    zone = dt.timezone(dt.timedelta(hours=offset_hours))
    job = await enqueue("x", {}, run_at=run_at.astimezone(zone))
    now = run_at + dt.timedelta(microseconds=now_delta_us)
    claimed = await queue.claim_jobs(worker="w", limit=10, now=now, lease_seconds=30)
    assert [j.id for j in claimed] == ([job.id] if run_at <= now else [])
    assert (await fresh(job)).run_at == run_at


# -- running -----------------------------------------------------------------------------------


async def test_a_handler_runs_once_and_its_job_is_done(clock):
    calls = Calls()
    jobs = [await enqueue("mail.send", {"n": n}) for n in range(3)]
    w = worker({"mail.send": calls}, clock=clock)

    assert await w.run_once() == 3
    assert sorted(p["n"] for p in calls.payloads) == [0, 1, 2]
    for job in jobs:
        done = await fresh(job)
        assert done.status == JobStatus.DONE
        assert done.attempts == 1
        assert done.finished_at == clock.now
        assert done.locked_by == w.worker_id and done.last_error is None

    clock.advance(3600)
    assert await w.run_once() == 0
    assert len(calls.payloads) == 3


async def test_a_worker_id_of_any_characters_marks_its_jobs_done(clock):
    """DONE writes a plain worker id into its statement; any other is passed as a parameter."""
    job = await enqueue("mail.send", {})
    w = worker({"mail.send": Calls()}, clock=clock, worker_id="host 'a'\\b:1")
    assert await w.run_once() == 1
    done = await fresh(job)
    assert done.status == JobStatus.DONE and done.locked_by == "host 'a'\\b:1" and done.finished_at == clock.now


async def test_sync_handlers_are_called_too(clock):
    seen = []
    await enqueue("sync", {"x": 1})
    assert await worker({"sync": seen.append}, clock=clock).run_once() == 1
    assert seen == [{"x": 1}]


async def test_jobs_are_claimed_in_batches_oldest_first(clock):
    for n in range(5):
        await enqueue("k", {"n": n}, run_at=clock.now - dt.timedelta(seconds=10 - n))
    calls = Calls()
    w = worker({"k": calls}, clock=clock, batch_size=2, concurrency=1)
    assert [await w.run_once() for _ in range(4)] == [2, 2, 1, 0]
    assert [p["n"] for p in calls.payloads] == [0, 1, 2, 3, 4]


async def test_a_failing_job_is_retried_with_backoff_then_dead_with_its_error(clock):
    calls = Calls(ValueError("card declined"))
    job = await enqueue("charge", {"order_id": 7}, max_attempts=3)
    w = worker({"charge": calls}, clock=clock)

    for attempt in (1, 2):
        assert await w.run_once() == 1
        failed = await fresh(job)
        assert failed.status == JobStatus.QUEUED
        assert failed.attempts == attempt
        assert "ValueError: card declined" in failed.last_error
        assert "Traceback" in failed.last_error
        assert failed.locked_by is None and failed.locked_until is None
        delay = (failed.run_at - clock.now).total_seconds()
        assert 0.75 * 2**attempt <= delay <= 1.25 * 2**attempt
        # Not due before its backoff is over.
        clock.advance(delay - 0.01)
        assert await w.run_once() == 0
        clock.advance(0.01)

    assert await w.run_once() == 1
    dead = await fresh(job)
    assert dead.status == JobStatus.DEAD
    assert dead.attempts == 3
    assert "ValueError: card declined" in dead.last_error
    assert dead.finished_at == clock.now

    clock.advance(7200)
    assert await w.run_once() == 0
    assert len(calls.payloads) == 3


def test_backoff_grows_exponentially_up_to_an_hour():
    for attempts in range(1, 20):
        delay = backoff_seconds(attempts)
        base = min(2**attempts, 3600)
        assert 0.75 * base <= delay <= 1.25 * base


async def test_a_job_of_an_unknown_kind_is_dead_at_once(clock):
    job = await enqueue("nobody.handles", {}, max_attempts=5)
    assert await worker({}, clock=clock).run_once() == 1
    dead = await fresh(job)
    assert dead.status == JobStatus.DEAD
    assert dead.attempts == 1
    assert "No handler for job kind 'nobody.handles'" in dead.last_error


async def test_a_handler_that_runs_too_long_fails(clock):
    async def hang(payload):
        await asyncio.sleep(30)

    job = await enqueue("hang", {})
    assert await worker({"hang": hang}, clock=clock, job_timeout=0.05).run_once() == 1
    failed = await fresh(job)
    assert failed.status == JobStatus.QUEUED
    assert "TimeoutError" in failed.last_error


async def test_dead_handlers_hear_of_a_dead_job_once(clock):
    told = []

    async def on_dead(payload, error):
        told.append((payload, error))

    await enqueue("charge", {"order_id": 7}, max_attempts=2)
    w = worker({"charge": Calls(ValueError("no"))}, dead_handlers={"charge": on_dead}, clock=clock)
    await w.run_once()
    assert told == []
    clock.advance(10)
    await w.run_once()
    assert len(told) == 1
    assert told[0][0] == {"order_id": 7} and "ValueError: no" in told[0][1]


# -- leases ----------------------------------------------------------------------------------------


async def test_an_expired_lease_is_claimed_again_and_the_old_worker_cannot_clobber(clock):
    job = await enqueue("k", {})
    # A worker claims the job and dies without a word.
    [claimed] = await queue.claim_jobs(worker="crashed", limit=10, now=clock.now, lease_seconds=30)
    calls = Calls()
    w = worker({"k": calls}, clock=clock, lease_seconds=30)

    clock.advance(29)
    assert await w.run_once() == 0, "the lease still holds"
    clock.advance(2)
    assert await w.run_once() == 1
    done = await fresh(job)
    assert (done.status, done.attempts, done.locked_by) == (JobStatus.DONE, 2, w.worker_id)
    assert len(calls.payloads) == 1

    # The first worker wakes up and reports: nothing changes.
    assert await queue.mark_done([claimed.id], worker="crashed", now=clock.now) == 0
    assert await queue.mark_failed(claimed.id, worker="crashed", now=clock.now, error="x", retry_at=None) == 0
    assert (await fresh(job)).status == JobStatus.DONE


def on_postgres() -> bool:
    return get_connection("default").capabilities.dialect == "postgres"


async def test_enqueue_deduped_writes_each_key_once():
    await enqueue("mail", {"n": 0}, dedupe_key="m:0")
    await enqueue_deduped([("mail", {"n": 0}, "m:0", 3), ("mail", {"n": 1}, "m:1", 3)])
    await enqueue_deduped([("mail", {"n": 1}, "m:1", 3)])
    jobs = await Job.all().order_by("id")
    assert [(j.dedupe_key, j.payload, j.status) for j in jobs] == [
        ("m:0", {"n": 0}, JobStatus.QUEUED),
        ("m:1", {"n": 1}, JobStatus.QUEUED),
    ]
    assert jobs[1].max_attempts == 3 and jobs[1].attempts == 0


async def test_a_job_a_handler_writes_outside_a_transaction_runs_in_the_same_batch(clock):
    """On PostgreSQL the mail job an order.event job writes is claimed by the worker as it
    is written (one claim and one batch fewer); it is a job like any other: DONE with one
    attempt, and retried with backoff when it fails."""
    mails = Calls(RuntimeError("SMTP down"))

    async def event(payload):
        await enqueue_deduped([("mail", {"for": payload["n"]}, f"mail:{payload['n']}", 5)])

    await enqueue("event", {"n": 1})
    w = worker({"event": event, "mail": mails}, clock=clock)
    if on_postgres():
        assert await w.run_once() == 2
        assert mails.payloads == [{"for": 1}]
    else:  # SQLite writes it in a transaction: claimed by the next batch
        assert await w.run_once() == 1
        assert await w.run_once() == 1
    mail = await Job.get(kind="mail")
    assert mail.status == JobStatus.QUEUED and mail.attempts == 1 and "SMTP down" in mail.last_error
    assert mail.locked_by is None and mail.run_at > clock.now
    assert (await Job.get(kind="event")).status == JobStatus.DONE
    assert w._held == {} and w._unfinished == 0


async def test_a_job_written_in_a_transaction_is_not_run_before_its_commit(clock):
    mails = Calls()

    async def event(payload):
        async with in_transaction():
            await enqueue_deduped([("mail", {}, "mail:1", 5)])
            raise RuntimeError("rolled back")

    await enqueue("event", {})
    w = worker({"event": event, "mail": mails}, clock=clock)
    assert await w.run_once() == 1
    assert mails.payloads == [] and not await Job.exists(kind="mail")


async def test_a_job_claimed_as_it_was_written_is_claimed_again_when_its_worker_dies(clock):
    if not on_postgres():
        pytest.skip("written claimed on PostgreSQL only")
    mails = Calls()
    dying = worker({"event": lambda p: enqueue_deduped([("mail", {}, "mail:1", 5)]), "mail": mails}, clock=clock)
    dying._runs_here = dataclasses.replace(dying._runs_here, adopt=lambda *job: None)  # dies before running it
    await enqueue("event", {})
    assert await dying.run_once() == 1
    mail = await Job.get(kind="mail")
    assert mail.status == JobStatus.RUNNING and mail.locked_by == dying.worker_id and mail.attempts == 1
    other = worker({"mail": mails}, clock=clock)
    assert await other.run_once() == 0  # still under the dead worker's lease
    clock.advance(31)
    assert await other.run_once() == 1
    assert mails.payloads == [{}]
    mail = await fresh(mail)
    assert mail.status == JobStatus.DONE and mail.attempts == 2 and mail.locked_by == other.worker_id


async def test_a_lease_that_expires_on_the_last_attempt_makes_the_job_dead(clock):
    job = await enqueue("k", {}, max_attempts=1)
    await queue.claim_jobs(worker="crashed", limit=10, now=clock.now, lease_seconds=30)
    calls = Calls()
    clock.advance(31)
    assert await worker({"k": calls}, clock=clock).run_once() == 1
    dead = await fresh(job)
    assert dead.status == JobStatus.DEAD
    assert "lease expired" in dead.last_error
    assert calls.payloads == []


async def test_concurrent_claims_never_share_a_job(clock):
    jobs = [await enqueue("k", {"n": n}) for n in range(100)]
    batches = await asyncio.gather(*(
        queue.claim_jobs(worker=f"w{i}", limit=15, now=clock.now, lease_seconds=30) for i in range(8)
    ))
    ids = [job.id for batch in batches for job in batch]
    assert len(ids) == len(set(ids)) == 100
    assert set(ids) == {job.id for job in jobs}


# -- periodic jobs -----------------------------------------------------------------------------------


def test_the_schedule_keeps_its_phase_and_skips_missed_periods():
    due = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert following_run(due, 60, due) == due + dt.timedelta(seconds=60)
    assert following_run(due, 60, due + dt.timedelta(seconds=59)) == due + dt.timedelta(seconds=60)
    assert following_run(due, 60, due + dt.timedelta(seconds=200)) == due + dt.timedelta(seconds=240)


async def test_a_periodic_job_runs_once_per_period_with_two_workers_polling(clock):
    runs = []

    async def tick():
        runs.append(clock.now)

    periodic = [PeriodicJob(name="tick", every_seconds=60, run=tick)]
    workers = [worker(periodic=periodic, clock=clock, worker_id=f"w{i}") for i in range(2)]
    start = clock.now
    for _ in range(18):  # three minutes in steps of 10 s
        for _ in range(3):
            await asyncio.gather(*(w.run_once() for w in workers))
        clock.advance(10)

    assert runs == [start, start + dt.timedelta(seconds=60), start + dt.timedelta(seconds=120)]
    assert await Job.filter(kind=periodic_kind("tick"), status=JobStatus.DONE).count() == 3
    row = await PeriodicSchedule.get(name="tick")
    assert row.next_run_at == start + dt.timedelta(seconds=180)


async def test_a_periodic_job_is_a_job_with_retries(clock):
    async def broken():
        raise RuntimeError("report server down")

    w = worker(periodic=[PeriodicJob(name="report", every_seconds=3600, run=broken)], clock=clock)
    await w.run_once()
    job = await Job.get(kind=periodic_kind("report"))
    assert job.status == JobStatus.QUEUED and "report server down" in job.last_error
    assert job.payload["name"] == "report"


class Ticker:
    def __init__(self) -> None:
        self.runs = 0

    @hookimpl
    def oms_periodic_jobs(self):
        async def run():
            self.runs += 1

        return [PeriodicJob(name="ticker.tick", every_seconds=60, run=run)]


@pytest.mark.parametrize("oms_extra_plugins", [[Ticker()]], ids=["ticker"])
async def test_hook_oms_periodic_jobs(oms_app, oms_extra_plugins, clock):
    [ticker] = oms_extra_plugins
    registry = JobRegistry.build(oms_app.state.plugins, oms_app.state.settings)
    w = Worker(registry, clock=clock)
    await w.run_once()
    await w.run_once()
    assert ticker.runs == 1
    clock.advance(60)
    await w.run_once()
    assert ticker.runs == 2


class Greeter:
    def __init__(self) -> None:
        self.greeted: list[str] = []

    @hookimpl
    def oms_job_handlers(self):
        async def greet(payload):
            self.greeted.append(payload["name"])

        return {"greeter.greet": greet}


@pytest.mark.parametrize("oms_extra_plugins", [[Greeter()]], ids=["greeter"])
async def test_hook_oms_job_handlers(oms_app, oms_extra_plugins, clock):
    [greeter] = oms_extra_plugins
    job = await enqueue("greeter.greet", {"name": "Ada"})
    registry = JobRegistry.build(oms_app.state.plugins, oms_app.state.settings)
    await Worker(registry, clock=clock).run_once()
    assert greeter.greeted == ["Ada"]
    assert (await fresh(job)).status == JobStatus.DONE


# -- the loop ----------------------------------------------------------------------------------------


async def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_the_loop_runs_jobs_as_they_come_and_stops():
    calls = Calls()
    w = worker({"k": calls}, poll_interval=0.02, batch_size=7, concurrency=3)
    task = asyncio.create_task(w.run())
    for n in range(40):
        await enqueue("k", {"n": n})
    await wait_for(lambda: _count(status=JobStatus.DONE, expected=40))
    w.stop()
    await asyncio.wait_for(task, 10)
    assert sorted(p["n"] for p in calls.payloads) == list(range(40))


async def _count(expected: int, **filters) -> bool:
    return await Job.filter(**filters).count() == expected


async def test_stopping_finishes_running_jobs_and_gives_back_the_rest():
    started = asyncio.Event()

    async def slow(payload):
        started.set()
        await asyncio.sleep(0.3)

    jobs = [await enqueue("slow", {"n": n}) for n in range(5)]
    w = worker({"slow": slow}, poll_interval=0.02, batch_size=5, concurrency=1)
    task = asyncio.create_task(w.run())
    await asyncio.wait_for(started.wait(), 10)
    w.stop()
    await asyncio.wait_for(task, 10)

    statuses = [(await fresh(job)) for job in jobs]
    done = [j for j in statuses if j.status == JobStatus.DONE]
    queued = [j for j in statuses if j.status == JobStatus.QUEUED]
    assert len(done) == 1 and len(queued) == 4
    assert all(j.attempts == 0 and j.locked_by is None for j in queued)


async def test_stopping_now_cuts_a_running_job_short_and_gives_it_back():
    started = asyncio.Event()

    async def slow(payload):
        started.set()
        await asyncio.sleep(30)

    job = await enqueue("slow", {})
    w = worker({"slow": slow}, poll_interval=0.02, concurrency=1)
    task = asyncio.create_task(w.run())
    await asyncio.wait_for(started.wait(), 10)
    w.stop(now=True)
    await asyncio.wait_for(task, 10)
    back = await fresh(job)
    assert (back.status, back.attempts, back.locked_by) == (JobStatus.QUEUED, 0, None)


async def test_a_long_job_keeps_its_lease():
    release = asyncio.Event()

    async def long(payload):
        await release.wait()

    job = await enqueue("long", {})
    w = worker({"long": long}, poll_interval=0.02, lease_seconds=0.3)
    task = asyncio.create_task(w.run())
    await wait_for(lambda: _count(status=JobStatus.RUNNING, expected=1))
    for _ in range(6):  # twice the lease, checked often
        await asyncio.sleep(0.1)
        held = await fresh(job)
        assert held.locked_until > utcnow(), "the lease ran out while the job was running"
    release.set()
    await wait_for(lambda: _count(status=JobStatus.DONE, expected=1))
    w.stop()
    await asyncio.wait_for(task, 10)
    assert (await fresh(job)).attempts == 1


class TestTheAppsWorker:
    @pytest.fixture
    def oms_settings(self, oms_settings):
        return dataclasses.replace(oms_settings, run_worker=True, job_poll_interval_ms=20)

    @pytest.fixture
    def oms_extra_plugins(self):
        return [Greeter()]

    async def test_the_app_runs_a_worker_when_settings_say_so(self, oms_app, oms_extra_plugins):
        [greeter] = oms_extra_plugins
        assert oms_app.state.worker is not None
        await enqueue("greeter.greet", {"name": "Grace"})
        await wait_for(lambda: _count(kind="greeter.greet", status=JobStatus.DONE, expected=1))
        assert greeter.greeted == ["Grace"]


async def test_the_test_app_runs_no_worker(oms_app):
    assert not oms_app.state.settings.run_worker
    assert getattr(oms_app.state, "worker", None) is None


# -- GraphQL ------------------------------------------------------------------------------------------

JOBS = """
query Jobs($status: JobStatus, $first: Int, $after: String) {
  jobs(status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind status attempts maxAttempts lastError payload runAt finishedAt } }
  }
}
"""

RETRY = """
mutation Retry($id: ID!) {
  retryJob(id: $id) { job { id status attempts lastError } userErrors { field code message } }
}
"""


async def dead_job(clock) -> Job:
    job = await enqueue("charge", {"order_id": 9}, max_attempts=1)
    await worker({"charge": Calls(ValueError("card declined"))}, clock=clock).run_once()
    assert (await fresh(job)).status == JobStatus.DEAD
    return job


async def staff_token(oms_app, *permissions: str) -> str:
    staff = await accounts.create_staff(
        email=f"ops-{len(permissions)}@example.com", password="ops-pass-123", permissions=list(permissions)
    )
    return await accounts.issue_token(
        Viewer(staff=staff), secret=oms_app.state.settings.secret_key, ttl_seconds=3600
    )


async def test_staff_retry_a_dead_job_and_it_runs_again(oms_app, oms_graphql, clock):
    job = await dead_job(clock)
    token = await staff_token(oms_app, "MANAGE_JOBS")

    dead = await oms_graphql.query(JOBS, {"status": "DEAD"}, token=token)
    [edge] = dead["jobs"]["edges"]
    assert edge["node"]["id"] == to_global_id("Job", job.id)
    assert edge["node"]["attempts"] == 1 and "ValueError: card declined" in edge["node"]["lastError"]

    retried = (await oms_graphql.query(RETRY, {"id": edge["node"]["id"]}, token=token))["retryJob"]
    assert retried["userErrors"] == []
    assert retried["job"]["status"] == "QUEUED" and retried["job"]["attempts"] == 0
    assert "card declined" in retried["job"]["lastError"]  # kept until a new failure

    calls = Calls()
    assert await worker({"charge": calls}, clock=clock).run_once() == 1
    assert calls.payloads == [{"order_id": 9}]
    assert (await fresh(job)).status == JobStatus.DONE


async def test_retry_job_refuses_what_is_not_dead(oms_graphql, oms_accounts, clock):
    job = await enqueue("charge", {})
    answer = await oms_graphql.query(RETRY, {"id": to_global_id("Job", job.id)}, token=oms_accounts.staff)
    assert answer["retryJob"]["job"] is None
    errors = answer["retryJob"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_TRANSITION", ["id"])]

    for bad_id, code in [
        (to_global_id("Job", 999_999), "NOT_FOUND"),
        (to_global_id("Order", job.id), "INVALID"),
        ("garbage", "INVALID"),
    ]:
        answer = await oms_graphql.query(RETRY, {"id": bad_id}, token=oms_accounts.staff)
        assert [e["code"] for e in answer["retryJob"]["userErrors"]] == [code]


async def test_only_staff_with_manage_jobs_see_and_retry_jobs(oms_app, oms_graphql, oms_accounts, clock):
    job = await dead_job(clock)
    job_id = to_global_id("Job", job.id)
    other_staff = await staff_token(oms_app, "MANAGE_ORDERS")
    for token, code in [(None, "PERMISSION_DENIED"), (oms_accounts.customer, "PERMISSION_DENIED"),
                        (other_staff, "PERMISSION_DENIED")]:
        client = oms_graphql.as_(token)
        answer = await client.query(RETRY, {"id": job_id})
        assert [e["code"] for e in answer["retryJob"]["userErrors"]] == [code]
        body = await client.execute(JOBS, {})
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
        node = await client.query("query($id: ID!) { node(id: $id) { id } }", {"id": job_id})
        assert node["node"] is None
    assert (await fresh(job)).status == JobStatus.DEAD

    node = await oms_graphql.query(
        "query($id: ID!) { node(id: $id) { ... on Job { kind status } } }", {"id": job_id},
        token=oms_accounts.staff,
    )
    assert node["node"] == {"kind": "charge", "status": "DEAD"}


async def test_the_jobs_query_filters_by_status_and_pages(oms_graphql, oms_accounts):
    now = utcnow()
    for status, count in [(JobStatus.DONE, 5), (JobStatus.DEAD, 3), (JobStatus.QUEUED, 2)]:
        for n in range(count):
            await Job.create(kind=f"k.{status.value.lower()}", payload={"n": n}, status=status, run_at=now)
    client = oms_graphql.as_(oms_accounts.staff)

    everything = await client.query(JOBS, {"first": 100})
    assert everything["jobs"]["totalCount"] == 10

    first = (await client.query(JOBS, {"status": "DONE", "first": 2}))["jobs"]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    seen = [e["node"]["payload"]["n"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while after:
        page = (await client.query(JOBS, {"status": "DONE", "first": 2, "after": after}))["jobs"]
        assert all(e["node"]["status"] == "DONE" for e in page["edges"])
        seen += [e["node"]["payload"]["n"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == [4, 3, 2, 1, 0]  # newest first, each once

    dead = (await client.query(JOBS, {"status": "DEAD"}))["jobs"]
    assert dead["totalCount"] == 3 and {e["node"]["kind"] for e in dead["edges"]} == {"k.dead"}

    too_many = await client.execute(JOBS, {"first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID"


async def test_retry_job_service_says_what_is_wrong(clock):
    from oms.errors import DomainError, ErrorCode

    with pytest.raises(DomainError) as missing:
        await retry_job(123456)
    assert missing.value.code == ErrorCode.NOT_FOUND
