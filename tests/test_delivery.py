"""Delivery dispatch: once paid, one job per product type calls the owning plugin's
``oms_deliver`` with the order's lines of that type, exactly once, with retries."""

import pytest

from oms import hookimpl
from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.fulfillment.services import deliver
from oms.jobs.models import Job, JobStatus
from oms.orders.models import Order, OrderEvent
from oms.plugin_types import ProductType
from oms.testing import make_product, run_jobs
from tests.paid_orders import place_paid


class Recorder:
    """Owns the type ``gadget``; records each delivery; can be told to fail."""

    def __init__(self):
        self.calls: list[tuple[str, list[str]]] = []
        self.failures_left = 0

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="gadget")]

    @hookimpl
    async def oms_deliver(self, order, lines):
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("the gadget warehouse is offline")
        self.calls.append((order.number, sorted(line.sku for line in lines)))


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def oms_extra_plugins(recorder):
    return [recorder]


@pytest.fixture
async def paid_order(oms_app):
    """A paid order of two gadget lines and one e-book."""
    await make_product(oms_app, product_type="gadget", sku="GADGET-A")
    await make_product(oms_app, product_type="gadget", sku="GADGET-B")
    await make_product(oms_app, product_type="digital", sku="EBOOK")
    return await place_paid(oms_app, {"GADGET-A": 1, "EBOOK": 1, "GADGET-B": 2}, key="paid-1")


async def test_each_plugin_gets_only_its_lines(oms_app, recorder, paid_order):
    await run_jobs(oms_app)

    assert recorder.calls == [(paid_order.number, ["GADGET-A", "GADGET-B"])]
    statuses = dict(await Delivery.filter(order_id=paid_order.id).values_list("product_type", "status"))
    # The digital variant has no file yet: its delivery waits and retries, it is not "done".
    assert statuses == {"gadget": DeliveryStatus.DONE, "digital": DeliveryStatus.PENDING}
    started = await OrderEvent.filter(order_id=paid_order.id, type="delivery.started").count()
    assert started == 1
    digital_job = next(j for j in await Job.filter(kind="order.deliver") if j.payload["product_type"] == "digital")
    assert digital_job.status == JobStatus.QUEUED and "has no file to deliver" in digital_job.last_error


async def test_a_delivery_run_twice_delivers_once(oms_app, recorder, paid_order):
    plugins = oms_app.state.plugins

    first = await deliver(paid_order.id, "gadget", plugins=plugins)
    second = await deliver(paid_order.id, "gadget", plugins=plugins)

    assert (first, second) == (True, False)
    assert len(recorder.calls) == 1


async def test_a_plugin_error_is_retried(oms_app, recorder, paid_order):
    recorder.failures_left = 1
    await run_jobs(oms_app)
    gadget_jobs = [j for j in await Job.filter(kind="order.deliver") if j.payload["product_type"] == "gadget"]
    (job,) = gadget_jobs
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    assert "the gadget warehouse is offline" in job.last_error
    assert recorder.calls == []

    await Job.filter(id=job.id).update(run_at=job.created_at)  # the backoff has passed
    await run_jobs(oms_app)

    assert recorder.calls == [(paid_order.number, ["GADGET-A", "GADGET-B"])]
    assert (await Job.get(id=job.id)).status == JobStatus.DONE


async def test_a_dead_delivery_is_on_the_timeline(oms_app, recorder, paid_order):
    recorder.failures_left = 100
    gadget_job = next(j for j in await Job.filter(kind="order.deliver") if j.payload["product_type"] == "gadget")
    await Job.filter(id=gadget_job.id).update(max_attempts=2)

    for _ in range(2):
        await run_jobs(oms_app)
        await Job.filter(id=gadget_job.id, status=JobStatus.QUEUED).update(run_at=gadget_job.created_at)

    assert (await Job.get(id=gadget_job.id)).status == JobStatus.DEAD
    failed = await OrderEvent.get(order_id=paid_order.id, type="delivery.failed")
    assert "gadget warehouse is offline" in failed.message
    assert (await Order.get(id=paid_order.id)).needs_review is True
    assert (await Delivery.get(order_id=paid_order.id, product_type="gadget")).status == DeliveryStatus.FAILED


class Undeliverable:
    """Owns ``widget`` but has no oms_deliver: its lines cannot be delivered."""

    __name__ = "undeliverable"

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="widget")]


@pytest.mark.parametrize("oms_extra_plugins", [[Undeliverable()]], ids=["undeliverable"])
async def test_a_type_whose_plugin_cannot_deliver_is_not_marked_delivered(oms_app):
    await make_product(oms_app, product_type="widget", sku="WIDGET")
    order = await place_paid(oms_app, {"WIDGET": 1}, key="widget-1")
    await run_jobs(oms_app)
    assert (await Delivery.get(order_id=order.id)).status == DeliveryStatus.PENDING
    (job,) = await Job.filter(kind="order.deliver")
    assert job.status == JobStatus.QUEUED and "cannot deliver yet (no oms_deliver)" in job.last_error
    assert (await Order.get(id=order.id)).status.value == "PROCESSING"
