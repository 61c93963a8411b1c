"""The store's days, weeks and months as UTC intervals (the database knows no time zone).

A local day is [local midnight, next local midnight): 23 or 25 hours across a DST change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from zoneinfo import ZoneInfo


class GroupBy(str, enum.Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    PRODUCT_TYPE = "PRODUCT_TYPE"
    PRODUCT = "PRODUCT"

    @property
    def is_time(self) -> bool:
        return self in (GroupBy.DAY, GroupBy.WEEK, GroupBy.MONTH)


@dataclasses.dataclass(frozen=True)
class Bucket:
    key: str
    start: dt.datetime  # UTC, inclusive
    end: dt.datetime  # UTC, exclusive


def _period_start(day: dt.date, group_by: GroupBy) -> dt.date:
    if group_by is GroupBy.WEEK:
        return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
    if group_by is GroupBy.MONTH:
        return day.replace(day=1)
    return day


def _next_period(start: dt.date, group_by: GroupBy) -> dt.date:
    if group_by is GroupBy.WEEK:
        return start + dt.timedelta(days=7)
    if group_by is GroupBy.MONTH:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


def _key(start: dt.date, group_by: GroupBy) -> str:
    if group_by is GroupBy.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if group_by is GroupBy.MONTH:
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def _local_midnight_utc(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def buckets(start: dt.datetime, end: dt.datetime, group_by: GroupBy, zone: ZoneInfo) -> list[Bucket]:
    """The local periods overlapping [start, end), as UTC intervals clipped to it, in order.
    They are contiguous, so they partition [start, end) exactly."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    period = _period_start(start.astimezone(zone).date(), group_by)
    result: list[Bucket] = []
    while True:
        following = _next_period(period, group_by)
        lower = max(start, _local_midnight_utc(period, zone))
        upper = min(end, _local_midnight_utc(following, zone))
        if lower >= end:
            break
        if lower < upper:
            result.append(Bucket(_key(period, group_by), lower, upper))
        period = following
    return result
