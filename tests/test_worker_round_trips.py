"""What the worker sends to PostgreSQL for an order's jobs (issue 15): a claim in three
round trips, DONE in one, no lone statement wrapped in BEGIN/COMMIT, no savepoint to enqueue
a mail, and the mail an ``order.event`` job queues run in the same batch."""

from __future__ import annotations

import uuid

import pytest

from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.notifications.lookup import event_order_and_sent
from oms.notifications.models import SentEmail, SentEmailStatus
from oms.fulfillment.services import _lock_delivery_with_lines
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.payments.services import mark_order_paid
from oms.testing import make_product, run_jobs, test_database_url
from tests.conftest import ADDRESS
from tests.test_round_trips import PLACE, sent

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="round trips to PostgreSQL only")

CLAIM = "UPDATE job SET status = 'RUNNING'"


async def test_a_placed_orders_jobs_take_two_batches_without_needless_transactions(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    await run_jobs(oms_app)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}
    assert (await oms_graphql.query(PLACE, variables))["placeOrder"]["userErrors"] == []
    with sent() as statements:
        # order.placed's event job and its mail (run as written), then email.sent's event job.
        assert await run_jobs(oms_app) == 3
    flat = [" ".join(s.split()) for s in statements if "periodic_schedule" not in s]  # not the order's
    claims = [s for s in flat if s.startswith(CLAIM)]
    assert len(claims) == 3  # two batches and the empty claim that ends run_jobs
    assert not [s for s in flat if "SAVEPOINT" in s]
    assert flat.count("BEGIN;") == 0  # no transaction block but the claims'
    # The mail's SENT row and its email.sent event, together in one statement.
    marked = [s for s in flat if "UPDATE sent_email SET status" in s]
    assert len(marked) == 1 and "INSERT INTO order_event" in marked[0]
    assert [s for s in flat if s.startswith("BEGIN; SET LOCAL")] == [_GUARD] * 3  # the claims
    done = [s for s in flat if "SET status = 'DONE'" in s]
    assert len(done) == 2 and all(s.startswith("SET LOCAL enable_bitmapscan = off; UPDATE job") for s in done)
    assert len(flat) <= 16 + 3, flat
    assert [row.status for row in await SentEmail.all()] == [SentEmailStatus.SENT]


_GUARD = "BEGIN; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off"


def _fields(model) -> dict:
    return {name: getattr(model, name) for name in model._meta.fields_db_projection}


async def test_the_mails_one_read_gives_what_the_orm_gives(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    await make_product(oms_app, product_type="physical", sku="CUP", attributes={"weight_grams": 200}, stock=5)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "CUP", "quantity": 2}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}
    assert (await oms_graphql.query(PLACE, variables))["placeOrder"]["userErrors"] == []
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


async def test_delivery_marked_in_the_events_statement(oms_app, oms_graphql):
    """order.deliver: the Delivery row marked DONE by the delivery.started event's statement
    (tests/test_delivery.py::test_a_plugin_error_is_retried: rolled back with a plugin error)."""
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    await make_product(oms_app, product_type="physical", sku="CUP", attributes={"weight_grams": 200}, stock=5)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "CUP", "quantity": 2}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}
    placed = (await oms_graphql.query(PLACE, variables))["placeOrder"]
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
    assert {d.status for d in await Delivery.filter(order_id=order.id)} == {DeliveryStatus.DONE}
    assert [e.type for e in await OrderEvent.filter(order_id=order.id, type="delivery.started")] == ["delivery.started"]
    # A paid order's jobs (order.paid's event, the delivery, the mail, then the events of
    # delivery.started and email.sent), the last empty claim included.
    assert len(flat) <= 24 + 3, flat
