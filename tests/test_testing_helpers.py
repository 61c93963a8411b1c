"""oms.testing's helpers for plugin authors: expiring an order, naming test databases,
asking a return policy and reversing lines."""

from __future__ import annotations

import pytest

from oms import hookimpl
from oms.errors import DomainError, ErrorCode
from oms.inventory.models import Stock
from oms.orders.events import record_event
from oms.orders.models import Order, OrderEvent, OrderLine
from oms.plugin_types import ProductType
from oms.testing import (
    create_postgres_database,
    drop_postgres_database,
    expire_order,
    make_product,
    place_paid_order,
    return_policy,
    reverse,
)
from oms.testing import test_database_prefix as database_prefix  # aliased: not a test
from oms.testing import test_database_url as database_url
from tests.conftest import ADDRESS


async def test_expire_order_expires_an_unpaid_order_and_releases_its_stock(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=5)
    placed = await place_paid_order(
        oms_app, oms_graphql, [("MUG", 2)], pay=False,
        shipping_address=ADDRESS, shipping_method="standard",
    )
    order = await Order.get(number=placed["order"]["number"])
    assert (await Stock.get()).reserved == 2

    assert await expire_order(oms_app, order.id) == 1

    await order.refresh_from_db()
    assert order.status.value == "EXPIRED"
    assert (await Stock.get()).reserved == 0


def test_a_bad_database_prefix_is_refused(monkeypatch):
    monkeypatch.setenv("OMS_TEST_DATABASE_PREFIX", "Bad-Name")
    with pytest.raises(ValueError, match="OMS_TEST_DATABASE_PREFIX"):
        database_prefix()


async def test_test_databases_take_the_chosen_prefix(monkeypatch):
    base = database_url()
    if base is None:
        pytest.skip("names PostgreSQL databases (OMS_TEST_DATABASE_URL)")
    monkeypatch.setenv("OMS_TEST_DATABASE_PREFIX", "tickets_ci")
    url = await create_postgres_database(base)
    try:
        assert url.rsplit("/", 1)[1].startswith("tickets_ci_")
    finally:
        await drop_postgres_database(base, url)


# -- return_policy and reverse: a plugin author's return policy and reversal --------------

TICKET = ProductType(name="ticket", description="A seat at a show.")


class Tickets:
    """Returns of one ticket at a time; a reversal writes the timeline, or refuses."""

    __name__ = "tickets"

    def __init__(self):
        self.calls: list[tuple] = []

    @hookimpl
    def oms_product_types(self):
        return [TICKET]

    @hookimpl
    async def oms_return_policy(self, order, line, quantity):
        self.calls.append(("policy", line.sku, quantity))
        return "Return one ticket at a time." if quantity > 1 else None

    @hookimpl
    async def oms_reverse(self, order, lines, reason, quantities):
        self.calls.append(("reverse", reason, {line.sku: quantities[line.id] for line in lines}))
        await record_event(order, "ticket.released", "Seats released.", actor="tickets")
        if reason == "canceled" and any(q > 1 for q in quantities.values()):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "The show has started.", ["lines"])


TICKETS = Tickets()


@pytest.mark.parametrize("oms_extra_plugins", [[TICKETS]], ids=["tickets"])
async def test_return_policy_and_reverse_call_the_owner_as_the_core_does(oms_app, oms_graphql):
    TICKETS.calls.clear()
    await make_product(oms_app, product_type="ticket", sku="SEAT")
    await make_product(oms_app, product_type="digital", sku="EBOOK")  # no file: never delivered
    placed = await place_paid_order(oms_app, oms_graphql, [("SEAT", 3), ("EBOOK", 1)], pay=False)
    order = await Order.get(number=placed["order"]["number"])
    seat = await OrderLine.get(order_id=order.id, sku="SEAT")

    assert await return_policy(oms_app, seat, 1) is None
    assert await return_policy(oms_app, seat.id) == "Return one ticket at a time."  # all 3 by default
    assert TICKETS.calls == [("policy", "SEAT", 1), ("policy", "SEAT", 3)]

    # Every line and unit by default; the digital line goes to its own plugin.
    await reverse(oms_app, order, reason="returned", quantities={seat.id: 1})
    assert TICKETS.calls[-1] == ("reverse", "returned", {"SEAT": 1})
    assert await OrderEvent.filter(order_id=order.id, type="ticket.released").count() == 1

    # A refusal comes out as the DomainError, and what the plugin wrote is rolled back.
    with pytest.raises(DomainError, match="The show has started."):
        await reverse(oms_app, order.id, [seat.id], "canceled")
    assert TICKETS.calls[-1] == ("reverse", "canceled", {"SEAT": 3})
    assert await OrderEvent.filter(order_id=order.id, type="ticket.released").count() == 1


async def test_return_policy_asks_a_built_in_plugin(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=3)
    placed = await place_paid_order(oms_app, oms_graphql, [("MUG", 1)], pay=False,
                                    shipping_address=ADDRESS, shipping_method="standard")
    line = await OrderLine.get(order__number=placed["order"]["number"])
    # physical has a policy: nothing of this line was delivered yet, so it refuses.
    assert await return_policy(oms_app, line) == "This item has not been delivered yet, so it cannot be returned."
