"""Bookings: held at placement (exclusively, also under concurrency), released on
cancel or expiry, confirmed on payment with a meeting URL and a calendar invite, moved,
completed or marked no-show, reminded once."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import icalendar
import pytest

from oms.errors import DomainError, ErrorCode
from oms.orders.models import Order, OrderEvent
from oms.testing import place_paid_order, run_jobs, test_database_url
from oms_consultation import plugin, reminders, services
from oms_consultation.models import Booking, BookingStatus, SlotClaim
from oms_consultation.tests.support import (
    ADA,
    COMPLETE,
    GRACE,
    MY_BOOKINGS,
    NO_SHOW,
    ORDER,
    PLACE,
    RESCHEDULE,
    add_session,
    book,
    booking_of,
    free_slots,
    line,
    parse,
    place,
)

SLOT_FIELD = ["lines", "0", "options", "slot"]


async def timeline(order_number: str) -> list[str]:
    order = await Order.get(number=order_number)
    return [e.type for e in await OrderEvent.filter(order_id=order.id).order_by("id") if e.type.startswith("booking.")]


async def get_invite(oms_http, url: str, settings) -> icalendar.Calendar:
    response = await oms_http.get(url.removeprefix(settings.public_url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


async def session_began(booking_id: str) -> None:
    """Move a booking's times an hour into the past, as if its session had begun."""
    from oms.graphql.common import from_global_id

    decoded = from_global_id(booking_id)
    assert decoded is not None, booking_id
    pk = decoded[1]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await Booking.filter(id=pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))


# -- hold ----------------------------------------------------------------------------------------


async def test_a_taken_slot_is_refused_and_nothing_is_written(oms_app, oms_graphql):
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[0]["start"]
    first = await book(oms_app, oms_graphql, slot, pay=False)
    orders, claims = await Order.all().count(), await SlotClaim.all().count()
    assert claims == 15  # 60 + 15 minutes in 5-minute units

    second = await place(oms_graphql, line(slot))
    assert second["order"] is None
    assert [(e["field"], e["code"]) for e in second["userErrors"]] == [(SLOT_FIELD, "SLOT_UNAVAILABLE")]
    assert (await Order.all().count(), await SlotClaim.all().count()) == (orders, claims)
    assert await timeline(first["order"]["number"]) == ["booking.held"]


async def test_the_slot_must_be_on_the_grid(oms_app, oms_graphql):
    await add_session(oms_app)
    slot = parse((await free_slots(oms_graphql))[0]["start"])
    placed = await place(oms_graphql, line((slot + dt.timedelta(minutes=5)).isoformat()))
    assert placed["userErrors"] == [{"field": SLOT_FIELD, "code": "SLOT_UNAVAILABLE",
                                     "message": "No session starts at this time; choose one of availableSlots."}]


async def test_the_first_free_consultant_is_chosen(oms_app, oms_graphql):
    # Both work 09:00-17:00 in Berlin: the same grid, two calendars.
    await add_session(oms_app, consultants=[ADA, {**GRACE, "timezone": "Europe/Berlin"}])
    slot = (await free_slots(oms_graphql))[0]["start"]
    await book(oms_app, oms_graphql, slot, pay=False)
    await book(oms_app, oms_graphql, slot, pay=False)
    assert [b.consultant for b in await Booking.all().order_by("id")] == ["Ada Lovelace", "Grace Hopper"]
    third = await place(oms_graphql, line(slot))
    assert [e["code"] for e in third["userErrors"]] == ["SLOT_UNAVAILABLE"]
    named = await place(oms_graphql, line(slot, consultant="Ada Lovelace"))
    assert [e["code"] for e in named["userErrors"]] == ["SLOT_UNAVAILABLE"]


async def test_two_products_naming_one_consultant_share_her_calendar(oms_app, oms_graphql):
    await add_session(oms_app)
    await add_session(oms_app, sku="OTHER", consultants=[{**ADA, "name": "  ada   LOVELACE "}])
    slot = (await free_slots(oms_graphql))[1]["start"]
    await book(oms_app, oms_graphql, slot, pay=False)
    assert slot not in [s["start"] for s in await free_slots(oms_graphql, "OTHER")]
    refused = await place(oms_graphql, line(slot, sku="OTHER"))
    assert [e["code"] for e in refused["userErrors"]] == ["SLOT_UNAVAILABLE"]


async def test_cancel_frees_the_slot(oms_app, oms_graphql):
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[0]
    placed = await book(oms_app, oms_graphql, slot["start"], pay=False)
    cancel = "mutation($id: ID!, $t: String) { cancelOrder(id: $id, token: $t) { userErrors { code } } }"
    done = await oms_graphql.query(cancel, {"id": placed["order"]["id"], "t": placed["orderToken"]})
    assert done["cancelOrder"]["userErrors"] == []
    assert slot in await free_slots(oms_graphql)
    assert (await Booking.get()).status == BookingStatus.CANCELED
    assert await SlotClaim.all().count() == 0
    assert await timeline(placed["order"]["number"]) == ["booking.held", "booking.canceled"]


@pytest.mark.skipif(test_database_url() is None, reason="concurrent transactions need PostgreSQL")
async def test_twenty_concurrent_orders_for_one_slot_make_one_booking(oms_app, oms_graphql):
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[0]["start"]

    async def attempt(i: int) -> dict:
        data = {"lines": [line(slot)], "email": f"racer{i}@example.com", "idempotencyKey": uuid.uuid4().hex}
        body = await oms_graphql.execute(PLACE, {"input": data})
        assert "errors" not in body, body["errors"]
        return body["data"]["placeOrder"]

    results = await asyncio.gather(*(attempt(i) for i in range(20)))
    won = [r for r in results if r["order"] is not None]
    lost = [r for r in results if r["order"] is None]
    assert len(won) == 1
    assert len(lost) == 19
    assert all([(e["field"], e["code"]) for e in r["userErrors"]] == [(SLOT_FIELD, "SLOT_UNAVAILABLE")] for r in lost)
    assert await Booking.all().count() == 1
    assert await Order.all().count() == 1
    assert await SlotClaim.all().count() == 15


# -- payment, invite, completion ------------------------------------------------------------------


async def test_paid_booking_is_confirmed_with_meeting_and_calendar_urls(oms_app, oms_graphql, oms_http):
    settings = oms_app.state.settings
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[3]
    placed = await book(oms_app, oms_graphql, slot["start"], email="ada.fan@example.com")
    booking = await booking_of(oms_graphql, placed)
    stored = await Booking.get()
    assert booking["status"] == "CONFIRMED"
    assert (booking["start"], booking["end"], booking["consultant"]) == (slot["start"], slot["end"], "Ada Lovelace")
    assert booking["timezone"] == "Europe/Berlin"
    assert booking["meetingUrl"] == f"https://meet.example.com/{stored.uid}"

    invite = await get_invite(oms_http, booking["calendarUrl"], settings)
    assert invite["METHOD"] == "REQUEST"
    (event,) = invite.walk("VEVENT")
    assert event.decoded("DTSTART") == parse(booking["start"])
    assert event.decoded("DTEND") == parse(booking["end"])
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in invite.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["ATTENDEE"]) == "mailto:ada.fan@example.com"
    assert event["ORGANIZER"].params["CN"] == "Ada Lovelace"
    assert booking["meetingUrl"] in str(event["DESCRIPTION"])
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 1
    assert await timeline(placed["order"]["number"]) == ["booking.held", "booking.confirmed"]


async def test_a_forged_calendar_url_is_not_found(oms_app, oms_graphql, oms_http):
    await add_session(oms_app)
    placed = await book(oms_app, oms_graphql, (await free_slots(oms_graphql))[0]["start"])
    url = (await booking_of(oms_graphql, placed))["calendarUrl"]
    path = url.removeprefix(oms_app.state.settings.public_url)
    forged = path.replace("/invite.ics", "x/invite.ics")
    assert (await oms_http.get(forged)).status_code == 404


async def test_complete_delivers_the_line_and_completes_the_order(oms_app, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_session(oms_app)
    placed = await book(oms_app, oms_graphql, (await free_slots(oms_graphql))[0]["start"])
    booking = await booking_of(oms_graphql, placed)

    early = (await staff.query(COMPLETE, {"id": booking["id"]}))["completeBooking"]
    assert early["userErrors"] == [{"field": ["id"], "code": "INVALID_TRANSITION",
                                    "message": "The session has not started yet."}]
    refused = (await oms_graphql.query(COMPLETE, {"id": booking["id"]}))["completeBooking"]
    assert [e["code"] for e in refused["userErrors"]] == ["PERMISSION_DENIED"]

    await session_began(booking["id"])
    done = (await staff.query(COMPLETE, {"id": booking["id"]}))["completeBooking"]
    assert done["userErrors"] == []
    assert done["booking"]["status"] == "COMPLETED"
    order = (await oms_graphql.query(ORDER, {"token": placed["orderToken"]}))["order"]
    assert order["status"] == "COMPLETED"
    assert order["lines"] == [{"status": "DELIVERED"}]
    assert order["fulfillments"][0]["status"] == "DELIVERED"
    assert await timeline(placed["order"]["number"]) == ["booking.held", "booking.confirmed", "booking.completed"]
    again = (await staff.query(COMPLETE, {"id": booking["id"]}))["completeBooking"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]


async def test_a_no_show_counts_as_delivered(oms_app, oms_graphql, oms_accounts):
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_session(oms_app)
    slot = (await free_slots(oms_graphql))[0]["start"]
    placed = await book(oms_app, oms_graphql, slot)
    booking = await booking_of(oms_graphql, placed)
    await session_began(booking["id"])
    marked = (await staff.query(NO_SHOW, {"id": booking["id"]}))["markBookingNoShow"]
    assert marked["userErrors"] == []
    assert marked["booking"]["status"] == "NO_SHOW"
    order = (await oms_graphql.query(ORDER, {"token": placed["orderToken"]}))["order"]
    assert (order["status"], order["lines"]) == ("COMPLETED", [{"status": "DELIVERED"}])
    assert (await timeline(placed["order"]["number"]))[-1] == "booking.no_show"
    assert await SlotClaim.all().count() == 15  # the time stays taken


async def test_delivery_runs_once(oms_app, oms_graphql):
    from oms.orders.models import OrderLine

    await add_session(oms_app)
    placed = await book(oms_app, oms_graphql, (await free_slots(oms_graphql))[0]["start"])
    order = await Order.get(number=placed["order"]["number"])
    lines = await OrderLine.filter(order_id=order.id)
    await services.confirm_bookings(order, lines)  # a retried delivery job
    assert await timeline(placed["order"]["number"]) == ["booking.held", "booking.confirmed"]
    assert (await Booking.get()).sequence == 1


# -- reschedule -----------------------------------------------------------------------------------


async def test_customer_reschedules_and_the_old_slot_is_free(oms_app, oms_graphql, oms_accounts, oms_http):
    settings = oms_app.state.settings
    alice = oms_graphql.as_(oms_accounts.customer)
    await add_session(oms_app)
    first, _, later = (await free_slots(oms_graphql, days=3))[-3:]
    placed = await book(oms_app, alice, first["start"], email="alice@example.com")
    booking = await booking_of(oms_graphql, placed)
    before = await get_invite(oms_http, booking["calendarUrl"], settings)

    moved = (await alice.query(RESCHEDULE, {"id": booking["id"], "start": later["start"]}))["rescheduleBooking"]
    assert moved["userErrors"] == []
    assert (moved["booking"]["start"], moved["booking"]["status"]) == (later["start"], "CONFIRMED")
    free = await free_slots(oms_graphql, days=3)
    assert first in free and later not in free

    after = await get_invite(oms_http, booking["calendarUrl"], settings)
    (old_event,), (new_event,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert new_event["UID"] == old_event["UID"]
    assert new_event["SEQUENCE"] == old_event["SEQUENCE"] + 1
    assert new_event.decoded("DTSTART") == parse(later["start"])
    assert (await timeline(placed["order"]["number"]))[-1] == "booking.rescheduled"
    assert [b["start"] for b in (await alice.query(MY_BOOKINGS))["me"]["bookings"]] == [later["start"]]


async def test_reschedule_into_a_taken_slot_keeps_the_booking(oms_app, oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    await add_session(oms_app)
    mine, taken = (await free_slots(oms_graphql, days=3))[-2:]
    placed = await book(oms_app, alice, mine["start"], email="alice@example.com")
    await book(oms_app, oms_graphql, taken["start"], pay=False)
    booking = await booking_of(oms_graphql, placed)
    claims = sorted(await SlotClaim.all().values_list("booking_id", "unit"))

    moved = (await alice.query(RESCHEDULE, {"id": booking["id"], "start": taken["start"]}))["rescheduleBooking"]
    assert moved == {"booking": None, "userErrors": [
        {"field": ["start"], "code": "SLOT_UNAVAILABLE", "message": "This slot is taken; choose another."}]}
    assert (await booking_of(oms_graphql, placed))["start"] == mine["start"]
    assert sorted(await SlotClaim.all().values_list("booking_id", "unit")) == claims
    order = await Order.get(number=placed["order"]["number"])
    assert (await Booking.get(order_id=order.id)).sequence == 1  # as confirmed: unchanged
    assert "booking.rescheduled" not in await timeline(placed["order"]["number"])


async def test_reschedule_too_late_is_refused(oms_app, oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    # Moves allowed until 30 days before the session: every slot this week is too late.
    await add_session(oms_app, reschedule_notice_hours=720)
    first, later = (await free_slots(oms_graphql))[:2]
    placed = await book(oms_app, alice, first["start"], email="alice@example.com")
    booking = await booking_of(oms_graphql, placed)
    moved = (await alice.query(RESCHEDULE, {"id": booking["id"], "start": later["start"]}))["rescheduleBooking"]
    assert moved["userErrors"] == [{
        "field": ["id"], "code": "INVALID_TRANSITION",
        "message": "A booking can be moved until 720 hours before it starts; ask the store.",
    }]
    # Staff are not bound by the customers' notice.
    staff = oms_graphql.as_(oms_accounts.staff)
    moved = (await staff.query(RESCHEDULE, {"id": booking["id"], "start": later["start"]}))["rescheduleBooking"]
    assert moved["userErrors"] == []


async def test_reschedule_notice_with_a_pinned_clock(oms_app, oms_graphql):
    await add_session(oms_app)
    first, later = (await free_slots(oms_graphql, days=3))[-2:]
    await book(oms_app, oms_graphql, first["start"])
    booking = await Booking.get()
    just_in_time = booking.starts_at - dt.timedelta(hours=24)
    too_late = just_in_time + dt.timedelta(seconds=1)
    with pytest.raises(DomainError) as refused:
        await services.reschedule_booking(booking.id, parse(later["start"]), actor="x", now=too_late)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    staff_move = await services.reschedule_booking(booking.id, parse(later["start"]), actor="staff", by_staff=True,
                                                   now=too_late)
    assert staff_move.starts_at == parse(later["start"])
    back = await services.reschedule_booking(booking.id, parse(first["start"]), actor="x", now=just_in_time)
    assert back.starts_at == parse(first["start"])


async def test_a_guest_reschedules_with_the_order_token_and_others_cannot(oms_app, oms_graphql, oms_accounts):
    await add_session(oms_app)
    first, later = (await free_slots(oms_graphql, days=3))[-2:]
    placed = await book(oms_app, oms_graphql, first["start"])  # a guest
    booking = await booking_of(oms_graphql, placed)
    variables = {"id": booking["id"], "start": later["start"]}

    for who, token in [(oms_graphql, None), (oms_graphql.as_(oms_accounts.other_customer), None),
                       (oms_graphql, "not-the-token")]:
        refused = (await who.query(RESCHEDULE, {**variables, "token": token}))["rescheduleBooking"]
        assert refused == {"booking": None, "userErrors": [
            {"field": ["id"], "code": "NOT_FOUND", "message": "Booking not found."}]}
    assert (await booking_of(oms_graphql, placed))["start"] == first["start"]

    moved = (await oms_graphql.query(RESCHEDULE, {**variables, "token": placed["orderToken"]}))["rescheduleBooking"]
    assert moved["userErrors"] == []
    assert moved["booking"]["start"] == later["start"]
    event = await OrderEvent.get(type="booking.rescheduled")
    assert event.actor == "buyer@example.com"


async def test_another_customer_cannot_reschedule_and_staff_can(oms_app, oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    bob = oms_graphql.as_(oms_accounts.other_customer)
    staff = oms_graphql.as_(oms_accounts.staff)
    await add_session(oms_app)
    first, later = (await free_slots(oms_graphql, days=3))[-2:]
    placed = await book(oms_app, alice, first["start"], email="alice@example.com")
    booking = await booking_of(oms_graphql, placed)
    variables = {"id": booking["id"], "start": later["start"]}
    refused = (await bob.query(RESCHEDULE, variables))["rescheduleBooking"]
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    moved = (await staff.query(RESCHEDULE, variables))["rescheduleBooking"]
    assert moved["userErrors"] == [] and moved["booking"]["start"] == later["start"]


async def test_a_held_booking_can_be_moved_and_bad_starts_are_refused(oms_app, oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    await add_session(oms_app)
    first, later = (await free_slots(oms_graphql, days=3))[-2:]
    await book(oms_app, alice, first["start"], email="alice@example.com", pay=False)
    (mine,) = (await alice.query(MY_BOOKINGS))["me"]["bookings"]
    assert (mine["status"], mine["meetingUrl"]) == ("HELD", None)

    off_grid = (parse(later["start"]) + dt.timedelta(minutes=10)).isoformat()
    for start, code in [(off_grid, "SLOT_UNAVAILABLE"), ("2020-01-06T09:00:00+01:00", "SLOT_UNAVAILABLE")]:
        refused = (await alice.query(RESCHEDULE, {"id": mine["id"], "start": start}))["rescheduleBooking"]
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["start"], code)]
    same = (await alice.query(RESCHEDULE, {"id": mine["id"], "start": first["start"]}))["rescheduleBooking"]
    assert same["userErrors"] == [] and same["booking"] == mine  # nothing to do
    moved = (await alice.query(RESCHEDULE, {"id": mine["id"], "start": later["start"]}))["rescheduleBooking"]
    assert moved["booking"]["status"] == "HELD" and moved["booking"]["start"] == later["start"]


# -- reminders, me, hooks -------------------------------------------------------------------------


async def test_reminder_is_written_once_per_booking(oms_app, oms_graphql):
    await add_session(oms_app, reminder_hours=24)
    first, second = (await free_slots(oms_graphql, days=3))[-2:]
    a = await book(oms_app, oms_graphql, first["start"])
    b = await book(oms_app, oms_graphql, second["start"])
    at = parse(first["start"]) - dt.timedelta(hours=1)  # both within 24 hours, neither begun

    assert await reminders.send_reminders(now=at - dt.timedelta(days=5)) == 0  # too early
    assert await reminders.send_reminders(now=at) == 2
    assert await reminders.send_reminders(now=at) == 0
    (job,) = plugin.oms_periodic_jobs()
    await job.run()  # the real clock: nothing is due yet, and nothing is written twice
    for placed in (a, b):
        assert (await timeline(placed["order"]["number"])).count("booking.reminder") == 1
    event = await OrderEvent.filter(type="booking.reminder").first()
    assert "https://meet.example.com/" in event.message
    await run_jobs(oms_app)  # the events' observer jobs run


async def test_me_bookings_lists_only_the_customers_own(oms_app, oms_graphql, oms_accounts):
    alice = oms_graphql.as_(oms_accounts.customer)
    await add_session(oms_app)
    slots_ = await free_slots(oms_graphql, days=3)
    await book(oms_app, alice, slots_[-1]["start"], email="alice@example.com")
    await place_paid_order(oms_app, alice, [line(slots_[-3]["start"])], email="alice@example.com", pay=False)
    await book(oms_app, oms_graphql.as_(oms_accounts.other_customer), slots_[-2]["start"], email="bob@example.com")
    mine = (await alice.query(MY_BOOKINGS))["me"]["bookings"]
    assert [(b["start"], b["status"]) for b in mine] == [
        (slots_[-3]["start"], "HELD"), (slots_[-1]["start"], "CONFIRMED")]
    assert (await oms_graphql.as_(oms_accounts.staff).query(MY_BOOKINGS))["me"]["bookings"] == []


async def test_canceled_invite_says_cancel(oms_app, oms_graphql, oms_accounts, oms_http):
    settings = oms_app.state.settings
    alice = oms_graphql.as_(oms_accounts.customer)
    await add_session(oms_app)
    placed = await book(oms_app, alice, (await free_slots(oms_graphql))[0]["start"], email="alice@example.com",
                        pay=False)
    (held,) = (await alice.query(MY_BOOKINGS))["me"]["bookings"]
    tentative = (await get_invite(oms_http, held["calendarUrl"], settings)).walk("VEVENT")[0]
    assert (tentative["STATUS"], tentative["SEQUENCE"]) == ("TENTATIVE", 0)
    cancel = "mutation($id: ID!) { cancelOrder(id: $id) { userErrors { code } } }"
    await alice.query(cancel, {"id": placed["order"]["id"]})
    invite = await get_invite(oms_http, held["calendarUrl"], settings)
    (event,) = invite.walk("VEVENT")
    assert invite["METHOD"] == "CANCEL"
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
    assert event["UID"] == tentative["UID"]


def test_hook_names_are_the_plugins():
    jobs = plugin.oms_periodic_jobs()
    assert [job.name for job in jobs] == ["consultation.reminders"]
    assert plugin.oms_models() == ["oms_consultation.models"]
