"""Measuring (成效): the request volume on the monthly problem's topic, per week, before and after its start.

The topic is the linked requests' categories and the hot issue's place: public (listed) requests in any of
those categories that name the place in their title, text or address. Without a category the place alone
decides; with neither, the linked requests themselves are counted. Weeks run from the start date: week 0 is
its first seven days, week -1 the seven days before. Weeks after today are not shown; the week under way is
shown but left out of the averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from massline.core.workflow import REPORT_KIND
from massline.workflow import disclosure
from massline.workflow.models import Request

from .models import MonthlyProblem

WEEKS = 8


@dataclass(frozen=True)
class Week:
    start: date
    count: int
    after: bool  # from the start date on
    complete: bool = True  # all seven days are past (the current week is still filling up)


@dataclass(frozen=True)
class Volume:
    weeks: list[Week]
    category_ids: frozenset[int]
    place: str

    def _avg(self, after: bool) -> float | None:
        """Per week, over the complete weeks only: a week still under way would pull the average down."""
        counts = [w.count for w in self.weeks if w.after == after and w.complete]
        return sum(counts) / len(counts) if counts else None

    @property
    def before_per_week(self) -> float | None:
        return self._avg(False)

    @property
    def after_per_week(self) -> float | None:
        return self._avg(True)

    @property
    def change(self) -> float | None:
        """After against before, as a fraction (-0.5: half as many)."""
        before, after = self.before_per_week, self.after_per_week
        if before is None or after is None or before == 0:
            return None
        return after / before - 1


def place_word(place: str) -> str:
    """The most specific name of a hot issue's place ("岳麓区 幸福小区" → "幸福小区")."""
    words = (place or "").split()
    return max(words, key=len) if words else ""


def topic_requests(problem: MonthlyProblem) -> tuple[QuerySet[Request], frozenset[int], str]:
    linked = problem.requests.exclude(kind=REPORT_KIND)
    categories = frozenset(linked.exclude(category=None).values_list("category_id", flat=True))
    place = place_word(problem.hot_issue_place)
    qs = disclosure.listed()
    if categories:
        qs = qs.filter(category_id__in=categories)
    if place:
        qs = qs.filter(Q(title__contains=place) | Q(text__contains=place) | Q(address__contains=place))
    if not categories and not place:
        qs = qs.filter(pk__in=linked.values("pk"))
    return qs, categories, place


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def weekly_volume(problem: MonthlyProblem, weeks: int = WEEKS, today: date | None = None) -> Volume:
    today = today or timezone.localdate()
    start = problem.starts_on
    first = start - timedelta(days=7 * weeks)
    last = min(start + timedelta(days=7 * weeks), today + timedelta(days=1))  # exclusive
    qs, categories, place = topic_requests(problem)
    counts = [0] * (2 * weeks)
    for received in qs.filter(received_at__gte=_midnight(first), received_at__lt=_midnight(last)).values_list(
        "received_at", flat=True
    ):
        index = (timezone.localdate(received) - first).days // 7
        if 0 <= index < len(counts):
            counts[index] += 1
    rows = []
    for i, n in enumerate(counts):
        week_start = first + timedelta(days=7 * i)
        if week_start > today:
            break
        rows.append(Week(week_start, n, week_start >= start, week_start + timedelta(days=7) <= today))
    return Volume(rows, categories, place)
