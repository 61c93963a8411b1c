"""What the worker sends to PostgreSQL for an order's jobs (issue 15): a claim in one
round trip on the worker's own connection (three on the pool), DONE in one, no lone
statement wrapped in BEGIN/COMMIT, no savepoint to enqueue a mail, the mail an
``order.event`` job queues and the events handlers write (once committed) run in the same
batch, and order.deliver's transaction in three round trips and the plugin's."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from tortoise.transactions import in_transaction

from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.fulfillment.services import _lock_delivery_with_lines
from oms.jobs import queue
from oms.jobs.models import Job, JobStatus
from oms.jobs.registry import JobRegistry
from oms.jobs.services import enqueue
from oms.jobs.worker import Worker
from oms.notifications.lookup import event_order_and_sent
from oms.notifications.models import SentEmail, SentEmailStatus
from oms.orders.events import ORDER_EVENT_JOB, event_and_order, record_event
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.services import mark_order_paid
from oms.testing import make_product, run_jobs, test_database_url
from oms.webhooks.models import WebhookEndpoint
from oms.webhooks.services import WANTING_ENDPOINTS
from tests.conftest import ADDRESS
from tests.test_round_trips import PLACE, sent

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="round trips to PostgreSQL only")

CLAIM = "UPDATE job SET status = 'RUNNING'"


@pytest.fixture
def place(oms_app, oms_graphql):
    """Places an order of physical products made for it (1 unit of the first sku, 2 of the
    second...), after the jobs of making them ran; returns placeOrder's payload."""

    async def place(*skus: str) -> dict:
        for index, sku in enumerate(skus):
            weight = {"weight_grams": 300 - 100 * index}
            await make_product(oms_app, product_type="physical", sku=sku, attributes=weight, stock=5)
        await run_jobs(oms_app)
        variables = {"input": {
            "lines": [{"sku": sku, "quantity": index + 1} for index, sku in enumerate(skus)],
            "email": "ada@example.com", "shippingAddress": ADDRESS, "shippingMethod": "standard",
            "idempotencyKey": uuid.uuid4().hex,
        }}
        placed = (await oms_graphql.query(PLACE, variables))["placeOrder"]
        assert placed["userErrors"] == []
        return placed

    return place


async def test_a_placed_orders_jobs_take_one_batch_without_needless_transactions(oms_app, place):
    await place("MUG")
    with sent() as statements:
        # order.placed's event job, its mail and email.sent's event job, each run as written.
        assert await run_jobs(oms_app) == 3
    flat = [" ".join(s.split()) for s in statements if "periodic_schedule" not in s]  # not the order's
    claims = [s for s in flat if s.startswith(CLAIM)]
    assert len(claims) == 2  # one batch and the empty claim that ends run_jobs
    assert not [s for s in flat if "SAVEPOINT" in s]
    assert flat.count("BEGIN;") == 0  # no transaction block but the claims'
    # The mail's SENT row and its email.sent event, together in one statement.
    marked = [s for s in flat if "UPDATE sent_email SET status" in s]
    assert len(marked) == 1 and "INSERT INTO order_event" in marked[0]
    assert [s for s in flat if s.startswith("BEGIN; SET LOCAL")] == [_GUARD] * 2  # the claims
    done = [s for s in flat if "SET status = 'DONE'" in s]
    assert len(done) == 1 and all(s.startswith("SET LOCAL enable_bitmapscan = off; UPDATE job") for s in done)
    # The webhook endpoints that want each event, read along the event (no read of their own).
    assert not [s for s in flat if s.startswith("SELECT") and 'FROM "webhook_endpoint"' in s], flat
    assert len(flat) <= 10 + 3, flat
    assert [row.status for row in await SentEmail.all()] == [SentEmailStatus.SENT]


_GUARD = "BEGIN; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off"


def _fields(model) -> dict:
    return {name: getattr(model, name) for name in model._meta.fields_db_projection}


async def test_the_mails_one_read_gives_what_the_orm_gives(oms_app, place):
    await place("MUG", "CUP")
    await run_jobs(oms_app)
    (row,) = await SentEmail.all()
    event = await OrderEvent.get(id=row.event_id)
    order = await Order.get(id=event.order_id)

    read = await event_order_and_sent(row.event_id, row.recipient, row.template)
    assert read is not None
    got_event, got_order, got_row, got_lines = read
    assert _fields(got_event) == _fields(event) and _fields(got_order) == _fields(order)
    assert got_event.order is got_order and got_row is not None and _fields(got_row) == _fields(row)
    orm_lines = await OrderLine.filter(order_id=order.id).order_by("position", "id")  # as prepare_context reads
    assert got_lines is not None and [_fields(x) for x in got_lines] == [_fields(x) for x in orm_lines]
    assert len(got_lines) == 2
    # Another recipient or template: no mail yet; an unknown event: None.
    other = await event_order_and_sent(row.event_id, "bob@example.com", row.template)
    assert other is not None and other[2] is None and len(other[3] or []) == 2
    assert (await event_order_and_sent(row.event_id, row.recipient, "shipped") or [None] * 3)[2] is None
    assert await event_order_and_sent(row.event_id + 1000, row.recipient, row.template) is None


async def test_delivery_marked_in_the_events_statement(oms_app, place):
    """order.deliver: the order locked, the Delivery row marked DONE and the delivery.started
    event written by one statement (tests/test_delivery.py::test_a_plugin_error_is_retried:
    rolled back with a plugin error; tests/test_deliver_locks.py: the order locked first)."""
    placed = await place("MUG", "CUP")
    await run_jobs(oms_app)
    order = await Order.get(number=placed["order"]["number"])
    await mark_order_paid(order, reference="cash", actor="staff@example.com")
    # The Delivery and its lines in one statement: what the ORM's two queries read.
    (delivery,) = await Delivery.filter(order_id=order.id)
    delivery_id, status, lines = await _lock_delivery_with_lines(order.id, "physical")
    assert (delivery_id, status) == (delivery.id, DeliveryStatus.PENDING)
    orm_lines = await OrderLine.filter(order_id=order.id, product_type="physical").order_by("position")
    assert [_fields(line) for line in lines] == [_fields(line) for line in orm_lines] and len(lines) == 2
    assert await _lock_delivery_with_lines(order.id, "digital") is None
    with sent() as statements:
        await run_jobs(oms_app)
    flat = [" ".join(s.split()) for s in statements if "periodic_schedule" not in s]
    marked = [s for s in flat if "UPDATE delivery SET status" in s]
    assert len(marked) == 1 and "INSERT INTO order_event" in marked[0]
    assert 'FROM "order" WHERE id = $1 FOR UPDATE' in marked[0]  # the order locked by it too
    # The lines locked and read by it, after the order and the Delivery.
    assert "delivered_lines AS ( SELECT" in marked[0] and "FOR NO KEY UPDATE )" in marked[0]
    assert not [s for s in flat if s.startswith("SELECT") and 'FROM "order_line"' in s]
    # The delivery's transaction: BEGIN, that statement, the plugin's UPDATE, COMMIT (the
    # other jobs' statements run in between: run_jobs runs them concurrently).
    assert flat.count("BEGIN;") == 1 and flat.count("COMMIT;") == 1
    (started,) = [i for i, s in enumerate(flat) if s.startswith('UPDATE "order_line" SET "status"')]
    assert flat.index("BEGIN;") < flat.index(marked[0]) < started < flat.index("COMMIT;")
    assert {d.status for d in await Delivery.filter(order_id=order.id)} == {DeliveryStatus.DONE}
    assert [e.type for e in await OrderEvent.filter(order_id=order.id, type="delivery.started")] == ["delivery.started"]
    # A paid order's jobs (order.paid's event, the delivery, the mail, then the events of
    # delivery.started and email.sent: 13 round trips with Worker.run's claim, 15 with the
    # pool's), the last empty claim (3) included.
    assert len(flat) == 15 + 3, flat


async def test_the_endpoints_read_along_the_event_are_those_the_orm_reads(oms_app, place):
    """notify_observers' one read: the active endpoints that want the event, by id, as
    create_deliveries' own read finds them."""
    await place("MUG")
    (placed,) = await OrderEvent.filter(type="order.placed")
    assert getattr((await event_and_order(placed.id, reads_along=True))[0], WANTING_ENDPOINTS) == []
    url = "https://hooks.example.com/x"
    every = await WebhookEndpoint.create(url=url, events=["*"], secret="s")
    paid = await WebhookEndpoint.create(url=url, events=["order.paid", "order.canceled"], secret="s")
    placing = await WebhookEndpoint.create(url=url, events=["order.placed"], secret="s")
    await WebhookEndpoint.create(url=url, events=["*"], secret="s", active=False)
    await WebhookEndpoint.create(url=url, events=[], secret="s")
    for event_type in ("order.placed", "order.paid", "email.sent"):
        event = await record_event(await Order.get(id=placed.order_id), event_type, "x", actor="system")
        got, _ = await event_and_order(event.id, reads_along=True)
        orm = [e.id for e in await WebhookEndpoint.filter(active=True).order_by("id") if e.wants(event_type)]
        assert getattr(got, WANTING_ENDPOINTS) == orm
        assert orm == {"order.placed": [every.id, placing.id], "order.paid": [every.id, paid.id]}.get(
            event_type, [every.id]
        )
    # Without reads along (any other caller), no attribute: create_deliveries reads itself.
    assert not hasattr((await event_and_order(placed.id))[0], WANTING_ENDPOINTS)


async def test_an_event_a_handler_writes_runs_in_the_same_batch_once_committed(oms_app, place):
    """record_event in a handler's transaction: its order.event job written claimed by the
    worker and run in the same batch after the commit; a rolled-back one never runs (its job
    and event are gone with the transaction)."""
    placed = await place("MUG")
    await run_jobs(oms_app)
    order = await Order.get(number=placed["order"]["number"])
    seen: list[str] = []

    async def note(payload):
        async with in_transaction():
            await record_event(order, "note.kept", "kept", actor="system")
        with contextlib.suppress(RuntimeError):
            async with in_transaction():
                await record_event(order, "note.undone", "undone", actor="system")
                raise RuntimeError("rolled back")
        async with in_transaction():  # a savepoint rolled back in a committed transaction
            with contextlib.suppress(RuntimeError):
                async with in_transaction():
                    await record_event(order, "note.undone", "undone in a savepoint", actor="system")
                    raise RuntimeError("rolled back to the savepoint")
        if payload.get("fail"):
            raise RuntimeError("the handler fails after its commit")

    async def observe(payload):
        seen.append(payload["type"])

    worker = Worker(JobRegistry(handlers={"note": note, ORDER_EVENT_JOB: observe}, periodic=[]), concurrency=1)
    await enqueue("note", {})
    ran = await worker.run_once()
    assert (ran, seen) == (2, ["note.kept"])  # the note and the kept event's job, in one batch
    assert seen == ["note.kept"]
    assert not await OrderEvent.filter(type="note.undone").exists()
    (job,) = [j for j in await Job.filter(kind=ORDER_EVENT_JOB) if j.payload["type"] == "note.kept"]
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.locked_by == worker.worker_id

    # A handler that fails after its transaction committed: the event it wrote still runs.
    seen.clear()
    await enqueue("note", {"fail": True})
    assert await worker.run_once() == 2
    assert seen == ["note.kept"] and await Job.filter(kind="note", status=JobStatus.QUEUED).count() == 1
    assert worker._held == {} and worker._unfinished == 0


async def test_claims_on_the_workers_own_connection_take_one_statement(oms_app, place):
    """Worker.claiming (Worker.run claims inside it): each claim one statement on a
    connection of the worker's own whose session settings are the claim's, closed on leaving;
    pooled connections keep theirs."""
    await place("MUG")
    worker = Worker(JobRegistry.build(oms_app.state.plugins, oms_app.state.settings))
    async with worker.claiming():
        with sent() as statements:
            assert await worker.run_once() == 3
            assert await worker.run_once() == 0
        own = worker._own._connection
        assert own is not None
        assert [await own.fetchval(f"SHOW {name}") for name in ("plan_cache_mode", "enable_bitmapscan")] == [
            "force_custom_plan", "off"]
        async with in_transaction() as conn:
            pooled = await conn.execute_query_dict("SHOW plan_cache_mode")
        assert pooled == [{"plan_cache_mode": "auto"}]
    assert own.is_closed() and worker._own is None
    flat = [" ".join(s.split()) for s in statements if "periodic_schedule" not in s]
    assert len([s for s in flat if s.startswith(CLAIM)]) == 2
    assert not [s for s in flat if "BEGIN" in s], flat  # no transaction block at all
    assert len(flat) <= 8 + 1, flat


async def test_a_claim_connection_that_failed_is_opened_again(oms_app, monkeypatch):
    worker = Worker(JobRegistry.build(oms_app.state.plugins, oms_app.state.settings))
    worker.handlers["note"] = lambda payload: None
    async with worker.claiming():
        while await worker.run_once():  # periodic jobs due at a new worker's start
            pass
        first = worker._own._connection
        # Killed by the server: the next claim fails or sees it closed; a claim after runs.
        async with in_transaction() as conn:
            await conn.execute_query("SELECT pg_terminate_backend($1)", [first.get_server_pid()])
        with contextlib.suppress(Exception):
            await worker.run_once()
        job = await enqueue("note", {"n": 1})
        assert await worker.run_once() >= 1
        second = worker._own._connection
        assert first.is_closed() and second is not None and not second.is_closed()
        assert (await Job.get(id=job.id)).status == JobStatus.DONE
        # A claim failing on its connection (a timeout, a cancellation): dropped, not reused.
        claim_jobs = queue.claim_jobs

        async def failing(**arguments):
            await claim_jobs(**arguments)
            raise TimeoutError

        monkeypatch.setattr(queue, "claim_jobs", failing)
        with pytest.raises(TimeoutError):
            await worker.run_once()
        assert second.is_closed() and worker._own._connection is None
        monkeypatch.setattr(queue, "claim_jobs", claim_jobs)
        assert await worker.run_once() == 0
        assert worker._own._connection not in (None, second)
