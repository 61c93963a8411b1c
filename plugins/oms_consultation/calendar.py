"""Calendar invites: a booking as an iCalendar (.ics) file, served at a signed URL.

The invite is built from the booking as it is now, so the same URL always gives the
latest version: ``METHOD:REQUEST`` while the session stands (``STATUS:TENTATIVE`` while
it is only held, ``CONFIRMED`` once paid), ``METHOD:CANCEL`` with ``STATUS:CANCELLED`` once
canceled. ``UID`` never changes; ``SEQUENCE`` is bumped by every change of time or
status, so calendar apps replace the event they imported instead of adding a second.
Times carry the consultant's ``TZID``, with its ``VTIMEZONE``.

The URL's token is ``[booking id, booking uid]`` signed with the secret key (no expiry:
people keep invite links in their calendars); the uid is random and never derived from
the id, so tokens cannot be guessed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from urllib.parse import urlsplit

import icalendar
from itsdangerous import BadSignature, URLSafeSerializer

from oms.api import Settings
from oms_consultation.models import Booking, BookingStatus

TOKEN_SALT = "oms.consultation.calendar"
PRODID = "-//oms//consultation bookings//EN"


def _signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=TOKEN_SALT)


def calendar_token(booking: Booking, secret_key: str) -> str:
    return _signer(secret_key).dumps([booking.id, booking.uid])


def calendar_url(booking: Booking, settings: Settings) -> str:
    return f"{settings.public_url.rstrip('/')}/bookings/{calendar_token(booking, settings.secret_key)}/invite.ics"


async def booking_for_token(token: str, secret_key: str) -> Booking | None:
    """The booking a calendar URL names (with its order and line), or None for a forged
    or unknown token."""
    try:
        booking_id, uid = _signer(secret_key).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(booking_id, int) or not isinstance(uid, str):
        return None
    booking = await Booking.get_or_none(id=booking_id).select_related("order", "order_line")
    if booking is None or not secrets.compare_digest(booking.uid, uid):
        return None
    return booking


def _organizer(booking: Booking, settings: Settings) -> icalendar.vCalAddress:
    # With no email in the consultant's attributes the store's own host stands in: RFC
    # 5546 wants an ORGANIZER on every REQUEST and CANCEL.
    host = urlsplit(settings.public_url).hostname or "localhost"
    address = icalendar.vCalAddress(f"mailto:{booking.consultant_email or f'bookings@{host}'}")
    address.params["CN"] = booking.consultant
    return address


def invite(booking: Booking, settings: Settings) -> bytes:
    """The booking's invite as .ics bytes. ``booking`` must have ``order`` and
    ``order_line`` fetched (``booking_for_token`` does)."""
    canceled = booking.status == BookingStatus.CANCELED
    zone = zoneinfo.ZoneInfo(booking.timezone)
    start = booking.starts_at.astimezone(zone)
    end = booking.ends_at.astimezone(zone)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if canceled else "REQUEST")

    event = icalendar.Event()
    event.add("uid", f"{booking.uid}@oms-consultation")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", booking.updated_at.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{booking.order_line.name} with {booking.consultant}")
    lines = [f"Order {booking.order.number}."]
    if booking.meeting_url:
        lines.insert(0, f"Join: {booking.meeting_url}")
        event.add("url", booking.meeting_url)
        event.add("location", booking.meeting_url)
    else:
        lines.insert(0, "The store will send you how to join.")
    event.add("description", "\n".join(lines))
    event.add("organizer", _organizer(booking, settings))
    attendee = icalendar.vCalAddress(f"mailto:{booking.order.email}")
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["RSVP"] = "FALSE"
    event.add("attendee", attendee)
    if canceled:
        event.add("status", "CANCELLED")
    elif booking.status == BookingStatus.HELD:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    # The zone's rules around the session only: a VTIMEZONE of a few lines, not decades.
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366), last_date=end.date() + dt.timedelta(days=366)
    )
    return calendar.to_ical()
