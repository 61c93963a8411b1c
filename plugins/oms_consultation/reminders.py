"""Reminders: a ``booking.reminder`` event on the order's timeline before each session
(observers such as email notifications act on it). Run by the periodic job
``consultation.reminders``."""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from oms.api import record_event
from oms.api.models import Order
from oms_consultation.models import Booking, BookingStatus
from oms_consultation.services import ACTOR, event_data, utcnow, when

REMINDER_BATCH = 500


async def send_reminders(*, now: dt.datetime | None = None) -> int:
    """The periodic reminder: a ``booking.reminder`` event for each confirmed booking whose
    session starts within its ``reminder_hours`` (default 24), once per booking and time
    (moving it re-arms it). Claimed with a conditional UPDATE, so runs that overlap
    remind once. The count."""
    now = now or utcnow()
    due = await Booking.filter(
        status=BookingStatus.CONFIRMED, reminded_at=None, remind_at__lte=now, starts_at__gt=now
    ).order_by("starts_at").limit(REMINDER_BATCH)
    sent = 0
    for booking in due:
        async with in_transaction():
            # The order first, then the booking: the lock order of a reversal (a return or
            # cancellation holds the order and cancels the booking), so the two never deadlock.
            order = await Order.select_for_update().get(id=booking.order_id)
            claimed = await Booking.filter(
                id=booking.id, status=BookingStatus.CONFIRMED, reminded_at=None, starts_at=booking.starts_at
            ).update(reminded_at=now)
            if not claimed:
                continue
            await record_event(
                order, "booking.reminder", f"Reminder: session with {booking.consultant} on {when(booking)}"
                + (f"; join at {booking.meeting_url}" if booking.meeting_url else "") + ".",
                actor=ACTOR, data=event_data(booking, meeting_url=booking.meeting_url),
            )
            sent += 1
    return sent
