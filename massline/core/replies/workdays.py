"""Dates and working days for the timeliness criterion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from massline.core.text.timestamps import parse_export_time


def _golden_weeks() -> frozenset[date]:
    """Spring Festival and National Day weeks 2012–2020, the holidays that move reply times most.

    Other one-day holidays and make-up workdays are ignored; pass ``calendar=`` (for example
    ``massline.core.deadlines.WorkCalendar``) to :class:`ReplyScorer` for an exact calendar.
    """
    spans = [
        ("2012-01-22", 7), ("2012-09-30", 8), ("2013-02-09", 7), ("2013-10-01", 7),
        ("2014-01-31", 7), ("2014-10-01", 7), ("2015-02-18", 7), ("2015-10-01", 7),
        ("2016-02-07", 7), ("2016-10-01", 7), ("2017-01-27", 7), ("2017-10-01", 8),
        ("2018-02-15", 7), ("2018-10-01", 7), ("2019-02-04", 7), ("2019-10-01", 7),
        ("2020-01-24", 10), ("2020-10-01", 8),
    ]  # fmt: skip
    days: set[date] = set()
    for start, n in spans:
        first = date.fromisoformat(start)
        days.update(first + timedelta(days=i) for i in range(n))
    return frozenset(days)


GOLDEN_WEEKS = _golden_weeks()


def working_days_between(start: date, end: date, holidays: Iterable[date] = GOLDEN_WEEKS) -> int:
    """Working days after ``start``'s date up to and including ``end``'s (Mon–Fri minus holidays)."""
    holidays = holidays if isinstance(holidays, (set, frozenset)) else set(holidays)
    if end <= start:
        return 0
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += day.weekday() < 5 and day not in holidays
    return n


def parse_time(value) -> datetime | None:
    """A datetime from anything ``parse_export_time`` reads; None when empty or unreadable."""
    if value is None or isinstance(value, (int, float)) or (isinstance(value, str) and not value.strip()):
        return None  # numbers are not read as times here (an Excel serial is not a POSIX timestamp)
    try:
        return parse_export_time(value)
    except ValueError:
        return None
