"""availableSlots: the grid in the consultant's zone across daylight-saving changes, days
off, notice and horizon, what is taken, the range cap, and a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from oms_consultation import services, slots
from oms_consultation.tests.support import (
    ADA,
    AVAILABLE,
    GRACE,
    NINE_TO_FIVE,
    SESSION,
    add_session,
    book,
    free_slots,
    parse,
    sql_statements,
    utc,
)

BEFORE_OCTOBER = utc(2027, 10, 1)  # a pinned clock: a month before Berlin's clocks go back


def starts(found) -> list[dt.datetime]:
    return [slot.start for slot in found]


async def test_october_change_first_slot_moves_from_7_to_8_utc(oms_app):
    await add_session(oms_app)
    friday = await services.available_slots("CALL", utc(2027, 10, 29), utc(2027, 10, 30), now=BEFORE_OCTOBER)
    sunday = await services.available_slots("CALL", utc(2027, 10, 31), utc(2027, 11, 1), now=BEFORE_OCTOBER)
    # 09:00 in Berlin: CEST (+2) on Friday, CET (+1) on Sunday after 03:00 became 02:00.
    assert starts(friday)[0] == utc(2027, 10, 29, 7)
    assert starts(sunday)[0] == utc(2027, 10, 31, 8)
    # Every 75 minutes (60 + 15 buffer) of local time; the last ends by 17:00 local.
    assert starts(sunday) == [utc(2027, 10, 31, 8) + dt.timedelta(minutes=75 * i) for i in range(6)]
    assert sunday[-1].end == utc(2027, 10, 31, 15, 15)  # 16:15 CET
    assert {slot.consultant.name for slot in sunday} == {"Ada Lovelace"}


async def test_march_change_first_slot_moves_from_8_to_7_utc(oms_app):
    await add_session(oms_app)
    now = utc(2027, 3, 1)
    friday = await services.available_slots("CALL", utc(2027, 3, 26), utc(2027, 3, 27), now=now)
    sunday = await services.available_slots("CALL", utc(2027, 3, 28), utc(2027, 3, 29), now=now)
    assert starts(friday)[0] == utc(2027, 3, 26, 8)  # 09:00 CET
    assert starts(sunday)[0] == utc(2027, 3, 28, 7)  # 09:00 CEST


def test_the_skipped_hour_is_not_offered_and_the_repeated_hour_once():
    night = {**ADA, "availability": {"sun": [["01:00", "04:00"]]}}
    policy = slots.Policy.of({"duration_minutes": 60, "consultants": [night]})
    (ada,) = slots.consultants({"consultants": [night]})
    spring = list(slots.grid(ada, policy, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)))
    # 01:00 CET, (02:00 does not exist), 03:00 CEST.
    assert [s.start for s in spring] == [utc(2027, 3, 28, 0), utc(2027, 3, 28, 1)]
    autumn = list(slots.grid(ada, policy, utc(2027, 10, 30, 12), utc(2027, 10, 31, 12)))
    # 01:00 CEST, 02:00 CEST (the first of the two), 03:00 CET.
    assert [s.start for s in autumn] == [utc(2027, 10, 30, 23), utc(2027, 10, 31, 0), utc(2027, 10, 31, 2)]


async def test_days_off_notice_and_horizon(oms_app):
    await add_session(oms_app, consultants=[{**ADA, "exceptions": ["2027-10-12"]}],
                      min_notice_hours=48, horizon_days=20)
    now = utc(2027, 10, 10, 12)  # a Sunday, noon UTC
    found = await services.available_slots("CALL", utc(2027, 10, 1), utc(2027, 11, 15), now=now)
    days = sorted({slot.start.date() for slot in found})
    # Notice: nothing before Tuesday 12:00 UTC (14:00 in Berlin), and Tuesday is a day off.
    assert days[0] == dt.date(2027, 10, 13)
    assert dt.date(2027, 10, 12) not in days
    # Horizon: nothing starting 20 days or more after now.
    assert max(slot.start for slot in found) < now + dt.timedelta(days=20)
    assert days[-1] == dt.date(2027, 10, 30)


async def test_taken_time_is_not_offered_and_the_buffer_counts(oms_app):
    await add_session(oms_app)
    await add_session(oms_app, sku="SHORT", duration_minutes=30, buffer_minutes=0)
    long_slot = (await services.available_slots("CALL", utc(2027, 10, 4), utc(2027, 10, 5), now=BEFORE_OCTOBER))[1]
    assert long_slot.start == utc(2027, 10, 4, 8, 15)  # 10:15 CEST
    await _held_booking(long_slot, sku="CALL")

    left = await services.available_slots("CALL", utc(2027, 10, 4), utc(2027, 10, 5), now=BEFORE_OCTOBER)
    assert long_slot.start not in starts(left)
    assert len(left) == 5
    # The same consultant in another product: the booking and its 15-minute buffer
    # (10:15-11:30 local) are taken on her one calendar.
    short = await services.available_slots("SHORT", utc(2027, 10, 4, 7), utc(2027, 10, 4, 10), now=BEFORE_OCTOBER)
    assert starts(short) == [utc(2027, 10, 4, 7), utc(2027, 10, 4, 7, 30), utc(2027, 10, 4, 9, 30)]


async def _held_booking(slot: slots.Slot, *, sku: str) -> None:
    """A HELD booking as a placed order would write, without going through an order."""
    from oms.orders.models import Order, OrderLine
    from oms_consultation.services import _claim

    order = await Order.create(token=sku + str(slot.start), email="x@example.com", currency="USD", subtotal=0,
                               shipping_total=0, total=0, idempotency_key=sku + str(slot.start),
                               cart_fingerprint="-")
    line = await OrderLine.create(order=order, sku=sku, name=sku, product_type="consultation", quantity=1,
                                  unit_price=0, currency="USD", options={"slot": slot.start.isoformat()})
    assert await _claim(order, line, slots.Policy.of(SESSION), slot) is not None


async def test_statements_are_few_and_constant(oms_app):
    ten = [{**ADA, "name": f"Consultant {i}"} for i in range(10)]
    await add_session(oms_app, sku="ONE")
    await add_session(oms_app, sku="TEN", consultants=ten)
    counts = {}
    for sku in ("ONE", "TEN"):
        for days in (7, 30):
            with sql_statements() as statements:
                found = await services.available_slots(
                    sku, utc(2027, 10, 1), utc(2027, 10, 1) + dt.timedelta(days=days), now=BEFORE_OCTOBER
                )
            assert found
            counts[sku, days] = len(statements)
    # The variant, then the bookings of all its consultants around the range.
    assert set(counts.values()) == {2}, counts


async def test_through_graphql_with_a_consultant(oms_app, oms_graphql):
    await add_session(oms_app, consultants=[ADA, GRACE])
    everyone = await free_slots(oms_graphql, days=2)
    grace = await free_slots(oms_graphql, days=2, consultant="grace  HOPPER")
    assert {s["consultant"] for s in everyone} == {"Ada Lovelace", "Grace Hopper"}
    assert grace == [s for s in everyone if s["consultant"] == "Grace Hopper"]
    assert grace[0]["timezone"] == "America/New_York"
    assert [parse(s["start"]) for s in everyone] == sorted(parse(s["start"]) for s in everyone)
    assert all(parse(s["end"]) - parse(s["start"]) == dt.timedelta(hours=1) for s in everyone)


@pytest.mark.parametrize(
    "days, variables, message",
    [
        (63, {}, "Ask for at most 62 days of slots at a time."),
        (-1, {}, "`to` must be after `from`."),
        (1, {"sku": "NOPE"}, "No variant with sku 'NOPE'."),
        (1, {"consultant": "Linus"}, "No consultant named 'Linus'."),
    ],
    ids=["range-too-long", "backwards", "unknown-sku", "unknown-consultant"],
)
async def test_bad_requests_get_a_clear_error(oms_app, oms_graphql, days, variables, message):
    await add_session(oms_app)
    start = dt.datetime.now(dt.UTC)
    body = await oms_graphql.execute(AVAILABLE, {
        "sku": "CALL", "from": start.isoformat(), "to": (start + dt.timedelta(days=days)).isoformat(), **variables,
    })
    assert [e["message"] for e in body["errors"]] == [message]


async def test_a_held_slot_is_not_offered_until_the_order_expires(oms_app, oms_graphql):
    from oms.orders.expiry import expire_unpaid_orders

    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[2]
    await book(oms_app, oms_graphql, slot["start"], pay=False)
    assert slot not in await free_slots(oms_graphql)

    settings = oms_app.state.settings
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.payment_timeout_seconds + 60)
    assert await expire_unpaid_orders(timeout_seconds=settings.payment_timeout_seconds,
                                      plugins=oms_app.state.plugins, now=later) == 1
    assert slot in await free_slots(oms_graphql)


async def test_nine_to_five_every_day_is_the_test_calendar():
    # The fixtures above rely on it: Sunday included.
    assert set(NINE_TO_FIVE) == set(slots.WEEKDAYS)
