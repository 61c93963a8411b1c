"""The physical return policy: units may be returned within OMS_PHYSICAL_RETURN_DAYS (30)
of their parcel's delivery, asked through the host as requestReturn asks."""

from __future__ import annotations

import datetime as dt

import pytest

from oms.orders.models import Order, OrderLine
from oms.testing import TEST_ADDRESS, make_product, place_paid_order, return_policy
from oms_physical import services
from oms_physical.models import Shipment


@pytest.fixture
async def mug(oms_app):
    await make_product(oms_app, product_type="physical", sku="MUG", price="12.50",
                       attributes={"weight_grams": 350}, stock=10)


async def ship(oms_app, line: OrderLine, quantity: int, *, deliver: bool = True) -> Shipment:
    shipment = await services.create_shipment(
        services.ShipmentRequest(order_id=line.order_id, quantities={line.id: quantity}, tracking_number="T-1"),
        actor="staff@example.com", plugins=oms_app.state.plugins,
    )
    if deliver:
        shipment = await services.mark_shipment_delivered(shipment.fulfillment_id, actor="staff@example.com")
    return shipment


async def bought(oms_app, graphql, quantity: int = 2) -> OrderLine:
    placed = await place_paid_order(oms_app, graphql, [("MUG", quantity)], shipping_method="standard",
                                    shipping_address=TEST_ADDRESS)
    order = await Order.get(number=placed["order"]["number"])
    return await OrderLine.get(order_id=order.id)


async def ask(oms_app, line: OrderLine, quantity: int) -> str | None:
    """The policy through the host's call_owner, as the core calls it."""
    order = await Order.get(id=line.order_id)
    return await oms_app.state.plugins.call_owner(
        "oms_return_policy", "physical", order=order, line=line, quantity=quantity)


async def delivered_days_ago(shipment: Shipment, days: float) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    await Shipment.filter(id=shipment.id).update(delivered_at=moment)


async def test_returnable_at_day_29_refused_at_day_31(oms_app, oms_graphql, mug):
    line = await bought(oms_app, oms_graphql)
    shipment = await ship(oms_app, line, 2)
    assert await ask(oms_app, line, 2) is None  # delivered just now

    await delivered_days_ago(shipment, 29)
    assert await ask(oms_app, line, 2) is None
    assert await return_policy(oms_app, line, 1) is None

    await delivered_days_ago(shipment, 31)
    assert await ask(oms_app, line, 1) == "Returns are accepted within 30 days of delivery."
    assert await return_policy(oms_app, line.id) == "Returns are accepted within 30 days of delivery."


async def test_only_units_of_parcels_delivered_in_the_window_count(oms_app, oms_graphql, mug):
    line = await bought(oms_app, oms_graphql, 3)
    old = await ship(oms_app, line, 2)
    await delivered_days_ago(old, 40)
    await ship(oms_app, line, 1)
    assert await ask(oms_app, line, 1) is None
    assert await ask(oms_app, line, 2) == "Returns are accepted within 30 days of delivery."


async def test_a_parcel_not_delivered_yet_cannot_be_returned(oms_app, oms_graphql, mug):
    line = await bought(oms_app, oms_graphql)
    await ship(oms_app, line, 2, deliver=False)
    assert await ask(oms_app, line, 1) == "This item has not been delivered yet, so it cannot be returned."


class TestTheWindowIsASetting:
    @pytest.fixture
    def oms_settings(self, oms_settings, monkeypatch):
        monkeypatch.setenv("OMS_PHYSICAL_RETURN_DAYS", "7")
        return oms_settings

    async def test_seven_days(self, oms_app, oms_graphql, mug):
        assert oms_app.state.plugins.settings_for("physical")["return_days"] == 7
        line = await bought(oms_app, oms_graphql)
        shipment = await ship(oms_app, line, 2)
        await delivered_days_ago(shipment, 6)
        assert await ask(oms_app, line, 2) is None
        await delivered_days_ago(shipment, 8)
        assert await ask(oms_app, line, 2) == "Returns are accepted within 7 days of delivery."
