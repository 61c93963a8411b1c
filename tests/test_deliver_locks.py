"""order.deliver on PostgreSQL (oms.fulfillment.services._deliver_in_fewer_statements):
the order is locked before the Delivery row, as every path that fulfills an order locks
them (lock_fulfillable_order), and the lines handed to the plugin are those a transaction
holding the order's lock committed while the delivery waited for it."""

import asyncio

import asyncpg
import pytest

from oms import hookimpl
from oms.fulfillment.models import Delivery, DeliveryStatus
from oms.fulfillment.services import deliver, lock_fulfillable_order, start_lines
from oms.orders.models import OrderEvent
from oms.plugin_types import ProductType
from oms.testing import make_product, test_database_url
from tests.paid_orders import place_paid

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="PostgreSQL's row locks")


class Recorder:
    def __init__(self):
        self.calls: list[list[tuple[str, str]]] = []
        self.canceled: list[dict[str, int]] = []

    @hookimpl
    def oms_product_types(self):
        return [ProductType(name="gadget"), ProductType(name="widget")]

    @hookimpl
    async def oms_deliver(self, order, lines):
        # As the shipped plugins do: the order locked again, the lines started.
        await lock_fulfillable_order(order.id)
        await start_lines(lines)
        self.calls.append([(line.sku, line.name) for line in lines])
        self.canceled.append({line.sku: line.quantity_canceled for line in lines})


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def oms_extra_plugins(recorder):
    return [recorder]


@pytest.fixture
async def paid(oms_app):
    await make_product(oms_app, product_type="gadget", sku="GADGET-A")
    await make_product(oms_app, product_type="gadget", sku="GADGET-B")
    return await place_paid(oms_app, {"GADGET-A": 1, "GADGET-B": 2}, key="locks-1")


async def _other_connection(oms_app) -> asyncpg.Connection:
    url = oms_app.state.settings.database_url
    return await asyncpg.connect("postgresql://" + url.split("://", 1)[1].split("?", 1)[0])


async def _deliver_while_the_order_is_locked(oms_app, paid, under_the_lock) -> None:
    """Another connection locks the order, the delivery starts and waits for it; then
    ``under_the_lock(other)`` runs in that transaction, which commits; the delivery ends."""
    other = await _other_connection(oms_app)
    try:
        holder = other.transaction()
        await holder.start()
        await other.execute('SELECT 1 FROM "order" WHERE id = $1 FOR UPDATE', paid.id)
        delivering = asyncio.create_task(deliver(paid.id, "gadget", plugins=oms_app.state.plugins))
        await asyncio.sleep(0.5)
        assert not delivering.done()  # waiting for the order
        await under_the_lock(other)
        await holder.commit()
        assert await asyncio.wait_for(delivering, 10) is True
    finally:
        await other.close()


async def test_the_order_is_locked_before_the_delivery(oms_app, recorder, paid):
    async def under_the_lock(other):
        # Meanwhile the Delivery row is not locked: a transaction holding the order's lock
        # may lock it (NOWAIT raises if the delivery had locked it first: a deadlock).
        row = await other.fetchrow("SELECT status FROM delivery WHERE order_id = $1 FOR UPDATE NOWAIT", paid.id)
        assert row["status"] == DeliveryStatus.PENDING.value
        # And the lines it hands to the plugin are those committed under the order's lock.
        await other.execute("UPDATE order_line SET name = 'renamed ' || sku WHERE order_id = $1", paid.id)

    await _deliver_while_the_order_is_locked(oms_app, paid, under_the_lock)
    assert recorder.calls == [[("GADGET-A", "renamed GADGET-A"), ("GADGET-B", "renamed GADGET-B")]]
    assert (await Delivery.get(order_id=paid.id)).status == DeliveryStatus.DONE
    assert await OrderEvent.filter(order_id=paid.id, type="delivery.started").count() == 1
    # Delivered once: a second run writes nothing and calls no plugin.
    assert await deliver(paid.id, "gadget", plugins=oms_app.state.plugins) is False
    assert len(recorder.calls) == 1
    assert await OrderEvent.filter(order_id=paid.id, type="delivery.started").count() == 1


async def test_units_canceled_under_the_order_lock_reach_the_plugin_canceled(oms_app, recorder, paid):
    """The lines are read by the statement that waits for the order's lock: a cancellation
    committed under that lock meanwhile is what the plugin sees (not the statement's
    snapshot from before the wait), and the lines are not locked before the order."""

    async def under_the_lock(other):
        # The lines are not locked yet (NOWAIT raises otherwise).
        await other.execute("SELECT 1 FROM order_line WHERE order_id = $1 FOR NO KEY UPDATE NOWAIT", paid.id)
        await other.execute(
            "UPDATE order_line SET quantity_canceled = 1 WHERE order_id = $1 AND sku = 'GADGET-B'", paid.id
        )

    await _deliver_while_the_order_is_locked(oms_app, paid, under_the_lock)
    assert recorder.canceled == [{"GADGET-A": 0, "GADGET-B": 1}]


async def test_two_runs_at_once_deliver_once(oms_app, recorder, paid):
    plugins = oms_app.state.plugins
    results = await asyncio.gather(*(deliver(paid.id, "gadget", plugins=plugins) for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
    assert len(recorder.calls) == 1
    assert await OrderEvent.filter(order_id=paid.id, type="delivery.started").count() == 1


async def test_no_order_or_no_delivery_writes_nothing(oms_app, recorder, paid):
    plugins = oms_app.state.plugins
    assert await deliver(paid.id + 1000, "gadget", plugins=plugins) is False
    assert await deliver(paid.id, "physical", plugins=plugins) is False
    assert recorder.calls == []
    assert not await OrderEvent.filter(type="delivery.started").exists()


async def test_two_types_of_one_order_delivered_at_once_do_not_deadlock(oms_app, recorder):
    for sku, product_type in (("GADGET-A", "gadget"), ("WIDGET-A", "widget")):
        await make_product(oms_app, product_type=product_type, sku=sku)
    plugins = oms_app.state.plugins
    for n in range(5):
        order = await place_paid(
            oms_app, {"GADGET-A": 1, "WIDGET-A": 1}, key=f"both-{n}", email="b@example.com", reference=f"cash-{n}"
        )
        results = await asyncio.wait_for(
            asyncio.gather(*(deliver(order.id, kind, plugins=plugins) for kind in ("gadget", "widget", "gadget"))), 20
        )
        assert sorted(results) == [False, True, True]
        assert {d.status for d in await Delivery.filter(order_id=order.id)} == {DeliveryStatus.DONE}
        assert await OrderEvent.filter(order_id=order.id, type="delivery.started").count() == 2
