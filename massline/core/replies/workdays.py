"""Dates and working days for the timeliness criterion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from massline.core.deadlines import WorkCalendar
from massline.core.holidays import GOLDEN_WEEKS
from massline.core.text.timestamps import parse_export_time

_GOLDEN_WEEK_CALENDAR = WorkCalendar(holidays=GOLDEN_WEEKS)


def working_days_between(start: date, end: date, holidays: Iterable[date] = GOLDEN_WEEKS) -> int:
    """Working days after ``start``'s date up to and including ``end``'s (Mon–Fri minus holidays).

    By default the holidays are the 2012–2020 golden weeks (``massline.core.holidays``); other one-day
    holidays and make-up workdays are ignored. Pass ``calendar=`` (a
    ``massline.core.deadlines.WorkCalendar``) to :class:`ReplyScorer` for an exact calendar.
    """
    calendar = _GOLDEN_WEEK_CALENDAR if holidays is GOLDEN_WEEKS else WorkCalendar(holidays=frozenset(holidays))
    return calendar.workdays_between_dates(start, end)


def parse_time(value) -> datetime | None:
    """A datetime from anything ``parse_export_time`` reads; None when empty or unreadable."""
    if value is None or isinstance(value, (int, float)) or (isinstance(value, str) and not value.strip()):
        return None  # numbers are not read as times here (an Excel serial is not a POSIX timestamp)
    try:
        return parse_export_time(value)
    except ValueError:
        return None
