"""Billing periods: adding a plan's interval to an instant, month ends included."""

from __future__ import annotations

import calendar
import datetime as dt

INTERVALS = ("day", "week", "month", "year")


def add_interval(start: dt.datetime, interval: str, count: int = 1, anchor_day: int | None = None) -> dt.datetime:
    """``start`` plus ``count`` intervals. Months and years keep the subscription's
    ``anchor_day`` (its first day of the month) where the month has it and use the month's
    last day where it does not: from 31 January one month is 28 (or 29) February, and
    from there the next is 31 March, not 28 March."""
    if interval == "day":
        return start + dt.timedelta(days=count)
    if interval == "week":
        return start + dt.timedelta(weeks=count)
    if interval not in ("month", "year"):
        raise ValueError(f"unknown interval {interval!r}")
    months = count if interval == "month" else 12 * count
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    month = month_index + 1
    day = min(anchor_day or start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)
