"""The slot grid: which sessions a consultation variant offers, computed from its
attributes alone (no database). :mod:`oms_consultation.services` adds what is taken.

Rules, in the consultant's own time zone:

- Each availability range of a weekday (``"mon": [["09:00", "17:00"]]``) yields slots
  that start at the range's start and step by ``duration + buffer`` minutes of wall-clock
  time; a slot is offered when it ends (start + duration, in real time) by the range's
  end. The buffer after the last slot may run past the range.
- A local date in the consultant's ``exceptions`` offers nothing.
- A local start time that does not exist (the hour skipped when clocks go forward) is
  skipped; an ambiguous one (the hour repeated when clocks go back) means its first
  occurrence, so a range over the repeated hour is not offered twice.
- Only slots starting at least ``min_notice_hours`` from now and less than
  ``horizon_days`` ahead are offered.

Time is held as 5-minute units since the Unix epoch: a booking occupies, for its
consultant, every unit from ``floor(start)`` to ``ceil(end + buffer)``. The database
enforces it (one claim row per unit, unique per consultant); the same function decides
what :func:`free_slots` shows, so a slot offered is one a hold can take. Sessions whose
times and durations are multiples of 5 minutes (the usual case) lose nothing to rounding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

UNIT_SECONDS = 300
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RANGE_DAYS = 62

DEFAULT_BUFFER_MINUTES = 0
DEFAULT_HORIZON_DAYS = 60
DEFAULT_MIN_NOTICE_HOURS = 0
DEFAULT_RESCHEDULE_NOTICE_HOURS = 24
DEFAULT_REMINDER_HOURS = 24


def parse_slot(value: str) -> dt.datetime | None:
    """An ISO 8601 instant with an offset, in UTC; or None."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:  # hours from the calendar's ends: clamp to its first or last instant
        edge = dt.datetime.min if parsed.year == 1 else dt.datetime.max
        return edge.replace(tzinfo=dt.UTC)


def consultant_key(name: str) -> str:
    """A consultant's calendar key: the name with Unicode compatibility forms folded, runs
    of spaces collapsed and case ignored. Every consultation product naming the same
    consultant (by this key) shares one calendar, so nobody is booked twice at once."""
    folded = unicodedata.normalize("NFKC", name)
    return " ".join(folded.split()).casefold()[:200]


@dataclasses.dataclass(frozen=True)
class Policy:
    """The session rules of a consultation variant, with defaults filled in."""

    duration: dt.timedelta
    buffer: dt.timedelta
    horizon: dt.timedelta
    min_notice: dt.timedelta
    reschedule_notice: dt.timedelta
    reminder: dt.timedelta
    meeting_url_template: str | None

    @classmethod
    def of(cls, attributes: Mapping[str, Any]) -> Policy:
        return cls(
            duration=dt.timedelta(minutes=attributes["duration_minutes"]),
            buffer=dt.timedelta(minutes=attributes.get("buffer_minutes", DEFAULT_BUFFER_MINUTES)),
            horizon=dt.timedelta(days=attributes.get("horizon_days", DEFAULT_HORIZON_DAYS)),
            min_notice=dt.timedelta(hours=attributes.get("min_notice_hours", DEFAULT_MIN_NOTICE_HOURS)),
            reschedule_notice=dt.timedelta(
                hours=attributes.get("reschedule_notice_hours", DEFAULT_RESCHEDULE_NOTICE_HOURS)
            ),
            reminder=dt.timedelta(hours=attributes.get("reminder_hours", DEFAULT_REMINDER_HOURS)),
            meeting_url_template=attributes.get("meeting_url_template"),
        )

    @property
    def step(self) -> dt.timedelta:
        return self.duration + self.buffer

    def window(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """Slots may start in ``[earliest, latest)``."""
        return now + self.min_notice, now + self.horizon


@dataclasses.dataclass(frozen=True)
class Consultant:
    name: str
    key: str
    zone: zoneinfo.ZoneInfo
    # weekday (0 = Monday) -> [(start, end)] local times
    availability: Mapping[int, tuple[tuple[dt.time, dt.time], ...]]
    exceptions: frozenset[dt.date]
    email: str | None = None

    @property
    def timezone(self) -> str:
        return self.zone.key

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Consultant:
        availability = {
            WEEKDAYS.index(day): tuple(
                (dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in ranges
            )
            for day, ranges in (data.get("availability") or {}).items()
        }
        return cls(
            name=data["name"],
            key=consultant_key(data["name"]),
            zone=zoneinfo.ZoneInfo(data["timezone"]),
            availability=availability,
            exceptions=frozenset(dt.date.fromisoformat(d) for d in data.get("exceptions") or ()),
            email=data.get("email"),
        )


def consultants(attributes: Mapping[str, Any]) -> list[Consultant]:
    return [Consultant.of(c) for c in attributes.get("consultants") or ()]


@dataclasses.dataclass(frozen=True)
class Slot:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC, start + duration
    consultant: Consultant


def _local_instant(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """``day at`` in ``zone`` as UTC, or None when that wall-clock time does not exist."""
    local = dt.datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of a repeated hour
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def _range_end(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    # A range ending at a repeated or skipped wall-clock time ends at the earlier of its
    # two readings: never later than the consultant meant.
    end = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
    shifted = dt.datetime.combine(day, at, tzinfo=zone).replace(fold=1).astimezone(dt.UTC)
    return min(end, shifted)


def _steady_offset(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.timedelta | None:
    """The zone's UTC offset on ``day`` when it is the same all day (no clock change), so
    the day's times convert by arithmetic alone; None on a day the clocks change."""
    first = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    last = dt.datetime.combine(day, dt.time(23, 59), tzinfo=zone)
    offset = first.utcoffset()
    if offset != last.utcoffset() or offset != first.replace(fold=1).utcoffset():
        return None
    return offset


def grid(consultant: Consultant, policy: Policy, lo: dt.datetime, hi: dt.datetime) -> Iterator[Slot]:
    """The consultant's slots starting in ``[lo, hi)`` (UTC), in order, before notice,
    horizon and bookings are considered."""
    zone = consultant.zone
    step = int(policy.step.total_seconds() // 60)
    day = lo.astimezone(zone).date()
    last_day = hi.astimezone(zone).date()
    while day <= last_day:
        ranges = consultant.availability.get(day.weekday(), ())
        if ranges and day not in consultant.exceptions:
            offset = _steady_offset(day, zone)
            midnight = None
            if offset is not None:
                midnight = (dt.datetime.combine(day, dt.time(0)) - offset).replace(tzinfo=dt.UTC)
            found: list[Slot] = []
            for start, end in ranges:
                first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
                if midnight is not None:
                    range_end = midnight + dt.timedelta(minutes=last)
                else:
                    range_end = _range_end(day, end, zone)
                for minute in range(first, last, step):
                    instant: dt.datetime | None
                    if midnight is not None:
                        instant = midnight + dt.timedelta(minutes=minute)
                    else:
                        instant = _local_instant(day, dt.time(minute // 60, minute % 60), zone)
                        if instant is None:
                            continue
                    if instant + policy.duration > range_end:
                        break
                    if lo <= instant < hi:
                        found.append(Slot(instant, instant + policy.duration, consultant))
            yield from sorted(found, key=lambda slot: slot.start)
        day += dt.timedelta(days=1)


def units(start: dt.datetime, blocked_until: dt.datetime) -> range:
    """The 5-minute units ``[start, blocked_until)`` occupies: floor of the start, ceiling
    of the end."""
    return range(
        math.floor(start.timestamp() / UNIT_SECONDS), math.ceil(blocked_until.timestamp() / UNIT_SECONDS)
    )


def slot_units(slot: Slot, policy: Policy) -> range:
    return units(slot.start, slot.end + policy.buffer)


def free_slots(
    candidates: Iterable[Consultant],
    policy: Policy,
    lo: dt.datetime,
    hi: dt.datetime,
    *,
    now: dt.datetime,
    occupied: Mapping[str, set[int]],
) -> list[Slot]:
    """Slots of ``candidates`` starting in ``[lo, hi)`` that respect notice and horizon and
    touch no unit in ``occupied`` (consultant key -> units taken); by start, then in the
    order the consultants are listed."""
    earliest, latest = policy.window(now)
    lo, hi = max(lo, earliest), min(hi, latest)
    if lo >= hi:
        return []
    found = []
    for order, consultant in enumerate(candidates):
        taken = occupied.get(consultant.key, ())
        for slot in grid(consultant, policy, lo, hi):
            if not taken or not any(unit in taken for unit in slot_units(slot, policy)):
                found.append((slot.start, order, slot))
    found.sort(key=lambda item: item[:2])
    return [slot for _, _, slot in found]


def offered_by(consultant: Consultant, policy: Policy, start: dt.datetime, *, now: dt.datetime) -> Slot | None:
    """The slot of ``consultant`` starting exactly at ``start``, if the grid, notice and
    horizon allow it (whether it is free is for the database to say)."""
    earliest, latest = policy.window(now)
    if not earliest <= start < latest:
        return None
    for slot in grid(consultant, policy, start, start + dt.timedelta(microseconds=1)):
        if slot.start == start:
            return slot
    return None
