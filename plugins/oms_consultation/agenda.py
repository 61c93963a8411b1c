"""A consultant's agenda for staff: bookings by consultant, time and status, soonest
first, in keyset pages (the cursor holds the last booking's start and id)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from oms.api import DomainError, ErrorCode
from oms_consultation import slots
from oms_consultation.models import Booking, BookingStatus

_CURSOR_PREFIX = "b1"
MAX_CONSULTANT = 200


@dataclasses.dataclass(frozen=True)
class BookingFilter:
    consultant: str | None = None  # a name; matched by its calendar key (slots.consultant_key)
    start_from: dt.datetime | None = None  # sessions starting at or after
    start_to: dt.datetime | None = None  # sessions starting before
    status: list[BookingStatus] | None = None


@dataclasses.dataclass
class BookingPage:
    items: list[Booking]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    query: QuerySet[Booking]

    async def total(self) -> int:
        return await self.query.count()


def _utc(moment: dt.datetime, field: str) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise DomainError.of(ErrorCode.INVALID, "This date is out of range.", ["filter", field]) from None


def filter_bookings(filters: BookingFilter | None) -> QuerySet[Booking]:
    qs = Booking.all()
    if filters is None:
        return qs
    if filters.consultant is not None and filters.consultant.strip():
        if len(filters.consultant) > MAX_CONSULTANT:
            raise DomainError.of(
                ErrorCode.INVALID, f"At most {MAX_CONSULTANT} characters.", ["filter", "consultant"]
            )
        qs = qs.filter(consultant_key=slots.consultant_key(filters.consultant))
    if filters.start_from is not None:
        qs = qs.filter(starts_at__gte=_utc(filters.start_from, "from"))
    if filters.start_to is not None:
        qs = qs.filter(starts_at__lt=_utc(filters.start_to, "to"))
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    return qs


def encode_cursor(booking: Booking) -> str:
    raw = json.dumps([_CURSOR_PREFIX, booking.starts_at.astimezone(dt.UTC).isoformat(), booking.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        if len(cursor) > 200:
            raise ValueError(cursor)
        prefix, start, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        moment = dt.datetime.fromisoformat(start)
        if prefix != _CURSOR_PREFIX or moment.tzinfo is None or not isinstance(pk, int) or not 1 <= pk < 2**31:
            raise ValueError(cursor)
        return moment.astimezone(dt.UTC), pk
    except (binascii.Error, UnicodeError, ValueError, TypeError, OverflowError):
        raise DomainError.of(ErrorCode.INVALID, "The cursor is malformed.", ["after"]) from None


async def find_bookings(filters: BookingFilter | None, *, size: int, after: str | None) -> BookingPage:
    """One page of the agenda, soonest first (ties by id), after ``after``."""
    qs = filter_bookings(filters)
    page_qs = qs
    position = decode_cursor(after) if after is not None else None
    if position is not None:
        start, pk = position
        # The first bound is the index range; the OR drops the few bookings at that start.
        page_qs = qs.filter(Q(starts_at__gte=start) & (Q(starts_at__gt=start) | Q(id__gt=pk)))
    rows = list(await page_qs.order_by("starts_at", "id").limit(size + 1))
    items = rows[:size]
    return BookingPage(
        items=items,
        cursors=[encode_cursor(b) for b in items],
        has_next=len(rows) > size,
        has_previous=position is not None,
        query=qs,
    )
