"""The consultation return policy (up to OMS_CONSULTATION_RETURN_HOURS, 24, before the
session; never once it was held or missed) and reversal on a return: the booking is
canceled and its slot offered again."""

from __future__ import annotations

import datetime as dt

import pytest

from oms.orders.models import Order, OrderEvent, OrderLine
from oms.testing import return_policy, reverse
from oms_consultation import services
from oms_consultation.models import Booking, BookingStatus
from oms_consultation.tests.support import add_session, book, free_slots, parse

TOO_LATE = "Sessions can be returned up to 24 hours before they start"


async def booked(oms_app, graphql, days_ahead: float = 2):
    await add_session(oms_app)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=days_ahead)
    slot = (await free_slots(graphql, start=start, days=7))[0]
    placed = await book(oms_app, graphql, slot["start"])
    order = await Order.get(number=placed["order"]["number"])
    line = await OrderLine.get(order_id=order.id)
    return slot, order, line, await Booking.get(order_line_id=line.id)


async def ask(oms_app, order, line):
    return await oms_app.state.plugins.call_owner(
        "oms_return_policy", "consultation", order=order, line=line, quantity=1)


async def test_returned_two_days_ahead_frees_the_slot(oms_app, oms_graphql):
    slot, order, line, booking = await booked(oms_app, oms_graphql)
    assert booking.status == BookingStatus.CONFIRMED
    assert parse(slot["start"]) - dt.datetime.now(dt.UTC) > dt.timedelta(days=2)
    assert await ask(oms_app, order, line) is None
    start = parse(slot["start"])
    assert slot["start"] not in [s["start"] for s in await free_slots(oms_graphql, start=start, days=1)]

    await oms_app.state.plugins.call_owner(
        "oms_reverse", "consultation", order=order, lines=[line], reason="returned", quantities={line.id: 1})
    assert (await Booking.get(id=booking.id)).status == BookingStatus.CANCELED
    assert slot["start"] in [s["start"] for s in await free_slots(oms_graphql, start=start, days=1)]
    event = await OrderEvent.get(order_id=order.id, type="booking.canceled")
    assert "(returned)" in event.message and event.data["reason"] == "returned"


async def test_refused_within_24_hours_and_once_started(oms_app, oms_graphql):
    _, order, line, booking = await booked(oms_app, oms_graphql)
    now = dt.datetime.now(dt.UTC)
    await Booking.filter(id=booking.id).update(starts_at=now + dt.timedelta(hours=23),
                                               ends_at=now + dt.timedelta(hours=24))
    assert (await ask(oms_app, order, line) or "").startswith(TOO_LATE)
    await Booking.filter(id=booking.id).update(starts_at=now + dt.timedelta(hours=25),
                                               ends_at=now + dt.timedelta(hours=26))
    assert await return_policy(oms_app, line) is None
    await Booking.filter(id=booking.id).update(starts_at=now - dt.timedelta(minutes=5))
    assert await ask(oms_app, order, line) == "This session has already started, so it cannot be returned."


@pytest.mark.parametrize(("finish", "refusal"), [
    (services.complete_booking, "This session has already taken place, so it cannot be returned."),
    (services.mark_no_show, "This session was missed, so it cannot be returned."),
])
async def test_refused_after_the_session(oms_app, oms_graphql, finish, refusal):
    _, order, line, booking = await booked(oms_app, oms_graphql)
    await finish(booking.id, actor="staff@example.com", now=booking.starts_at + dt.timedelta(hours=1))
    assert await ask(oms_app, order, line) == refusal
    # A reversal (e.g. staff cancel what is left of the order) leaves a held session alone.
    await reverse(oms_app, order, [line], "canceled")
    assert (await Booking.get(id=booking.id)).status != BookingStatus.CANCELED


async def test_zero_units_leave_the_booking(oms_app, oms_graphql):
    _, order, line, booking = await booked(oms_app, oms_graphql)
    await reverse(oms_app, order, [line], "canceled", quantities={line.id: 0})
    assert (await Booking.get(id=booking.id)).status == BookingStatus.CONFIRMED


class TestReturnHoursSetting:
    @pytest.fixture
    def oms_settings(self, oms_settings, monkeypatch):
        monkeypatch.setenv("OMS_CONSULTATION_RETURN_HOURS", "72")
        return oms_settings

    async def test_72_hours(self, oms_app, oms_graphql):
        _, order, line, _ = await booked(oms_app, oms_graphql)  # 2 to 9 days ahead
        now = dt.datetime.now(dt.UTC)
        await Booking.filter(order_line_id=line.id).update(starts_at=now + dt.timedelta(hours=48))
        assert (await ask(oms_app, order, line) or "").startswith(
            "Sessions can be returned up to 72 hours before they start")
