"""What the consultation plugin adds to transactional email: the session, and its calendar
invite attached (the same .ics as ``/bookings/{token}/invite.ics``: same UID, a SEQUENCE
that grows with every change, so calendar apps update the event they imported)."""

from __future__ import annotations

from typing import Any

from oms.api import EmailAttachment, EmailContent, Settings
from oms_consultation import calendar
from oms_consultation.models import Booking

MESSAGES = ("booking_confirmed", "booking_rescheduled", "booking_reminder", "booking_canceled")
WITH_INVITE = ("booking_confirmed", "booking_rescheduled", "booking_canceled")


async def email_content(event: Any, message: str | None, settings: Settings) -> EmailContent | None:
    if message not in MESSAGES:
        return None
    booking_id = (event.data or {}).get("booking_id")
    booking = await Booking.get_or_none(id=booking_id).select_related("order", "order_line") if booking_id else None
    if booking is None:
        return None
    context = {"booking": {
        "name": booking.order_line.name, "consultant": booking.consultant, "timezone": booking.timezone,
        "starts_at": booking.starts_at, "ends_at": booking.ends_at, "meeting_url": booking.meeting_url,
        "status": booking.status.value, "calendar_url": calendar.calendar_url(booking, settings),
    }}
    attachments = []
    if message in WITH_INVITE:
        attachments.append(EmailAttachment("invite.ics", "text/calendar", calendar.invite(booking, settings)))
    return EmailContent(context=context, attachments=attachments)
