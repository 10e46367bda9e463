"""Deadlines on a working-day calendar with holidays and make-up workdays (調休).

Two kinds of duration exist, as in Beijing's 12345 standard: short ones in clock hours (an emergency
must be dispatched within 1 hour, whatever the day) and longer ones in working days (a general
request is answered within 7 working days). ``Duration(24, "hours")`` is the 24-hour dispatch limit
for ordinary requests and runs on the clock too; working-day durations skip weekends and holidays
and count make-up workdays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Unit = Literal["hours", "workdays"]

URGENCIES = ("emergency", "utility", "general", "complex")


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: Unit = "workdays"

    def __post_init__(self):
        if self.amount < 0:
            raise ValueError("a deadline cannot be negative")
        if self.unit not in ("hours", "workdays"):
            raise ValueError(f"unknown duration unit {self.unit!r}: use 'hours' or 'workdays'")

    def __str__(self) -> str:
        return f"{self.amount} {'h' if self.unit == 'hours' else 'working days'}"


@dataclass(frozen=True)
class DeadlineRule:
    """Sign-for and reply limits for an urgency, optionally narrowed to one request kind."""

    urgency: str
    sign: Duration
    reply: Duration
    kind: str = ""  # empty: any kind


# Beijing 12345 defaults: dispatch/sign ≤ 1 h emergency, ≤ 2 h water/power/gas/heating, ≤ 24 h
# otherwise; reply within 2 h for emergencies, 24 h for utilities, 7 working days general, 15 complex.
DEFAULT_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule("emergency", Duration(1, "hours"), Duration(2, "hours")),
    DeadlineRule("utility", Duration(2, "hours"), Duration(24, "hours")),
    DeadlineRule("general", Duration(24, "hours"), Duration(7, "workdays")),
    DeadlineRule("complex", Duration(24, "hours"), Duration(15, "workdays")),
    # Misconduct reports need investigation: the complex limit whatever the urgency says.
    DeadlineRule("general", Duration(24, "hours"), Duration(15, "workdays"), kind="report"),
)


@dataclass
class WorkCalendar:
    """Working days: Monday–Friday, minus ``holidays``, plus ``workdays`` (make-up days, 調休)."""

    tz: str = "Asia/Shanghai"
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self):
        self.zone = ZoneInfo(self.tz)
        self.holidays = frozenset(self.holidays)
        self.workdays = frozenset(self.workdays)
        clash = self.holidays & self.workdays
        if clash:
            raise ValueError(f"dates cannot be both holiday and make-up workday: {sorted(clash)}")

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add(self, start: datetime, duration: Duration) -> datetime:
        """The deadline for something that started at ``start`` (aware datetime) and has ``duration``.

        Working days: the deadline is the same local clock time on the n-th working day after the
        start. A start on a non-working day counts from 00:00 of the next working day, so a request
        received on Saturday with 7 working days is due at the end of the 7th working day.
        """
        if start.tzinfo is None:
            raise ValueError("deadlines need an aware datetime (with a time zone)")
        if duration.unit == "hours":
            return start + timedelta(hours=duration.amount)
        local = start.astimezone(self.zone)
        day, clock = local.date(), local.timetz().replace(tzinfo=None)
        if not self.is_workday(day):
            day, clock = self.next_workday(day), time(0, 0)
            # day itself is the first working day: counting from its midnight, n days end at midnight
            # after the n-th working day, i.e. 24:00 of day + (n-1) working days.
            for _ in range(max(duration.amount - 1, 0)):
                day = self.next_workday(day)
            end = datetime.combine(day, time(0, 0), self.zone) + timedelta(days=1 if duration.amount else 0)
            return end
        for _ in range(duration.amount):
            day = self.next_workday(day)
        return datetime.combine(day, clock, self.zone)

    def workdays_between(self, start: datetime, end: datetime) -> int:
        """Whole working days strictly after ``start``'s date up to and including ``end``'s date."""
        return self.workdays_between_dates(start.astimezone(self.zone).date(), end.astimezone(self.zone).date())

    def workdays_between_dates(self, start: date, end: date) -> int:
        """Working days strictly after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            n += self.is_workday(day)
        return n


def pick_rule(rules: Iterable[DeadlineRule], urgency: str, kind: str) -> DeadlineRule:
    """The rule for (urgency, kind): a kind-specific rule beats a general one for the same urgency.

    A kind-specific rule with urgency "general" also applies to kinds reported as "general" only;
    emergencies always keep their emergency limits.
    """
    rules = list(rules)
    for rule in rules:
        if rule.urgency == urgency and rule.kind == kind:
            return rule
    for rule in rules:
        if rule.urgency == urgency and not rule.kind:
            return rule
    raise LookupError(
        f"no deadline rule for urgency {urgency!r}; known: {sorted({r.urgency for r in rules})}"
    )


def deadlines_for(
    received_at: datetime,
    urgency: str,
    kind: str,
    calendar: WorkCalendar,
    rules: Iterable[DeadlineRule] = DEFAULT_RULES,
) -> tuple[datetime, datetime]:
    """(sign_due, reply_due) for a request received at ``received_at``."""
    rule = pick_rule(rules, urgency, kind)
    return calendar.add(received_at, rule.sign), calendar.add(received_at, rule.reply)
