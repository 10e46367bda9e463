"""Figures for the public statistics page, the home page and the monthly report. Misconduct reports are
never counted in public figures. They are sums over the rollup tables (``massline.rollups``: the 三率
counts per unit and month, and the request tally), kept by the event hook, so none of them scans the
requests; results are still cached until the data changes.

Each slow figure is a named function (``@figure``) so that a Celery task can recompute it by name
(``massline.portal.tasks.refresh_figure``): web processes never start threads. Without a broker the task
runs in-process, at once (the embedded default)."""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from massline.core.metrics import Weights, split_ranking
from massline.followup.metrics import (
    city_satisfaction_rate,
    month_bounds,  # noqa: F401 (report.py and browse.py use it from here)
    ranking_min_dispatched,
    unit_ranking,
)
from massline.rollups import tally
from massline.workflow.models import AuditEvent, Category, Unit

# Entries are keyed to the data version, so they never show wrong figures, only old ones: keep them a day.
CACHE_SECONDS = 24 * 3600
# Figures that took longer than this to compute are refreshed by a background task while the previous
# ones are shown. Read from the rollups, no figure is that slow any more; the mechanism stays for new ones.
BACKGROUND_AFTER_SECONDS = 2.0
REFRESH_LOCK_SECONDS = 900
log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
FIGURES: dict[str, Callable[..., Any]] = {}


def figure(name: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Register a figure's computation under ``name``; the decorated function returns it cached.
    Its arguments must survive JSON: they travel in the task."""

    def register(compute: Callable[P, T]) -> Callable[P, T]:
        FIGURES[name] = compute

        signature = inspect.signature(compute)

        def show(*args: P.args, **kwargs: P.kwargs) -> T:
            # one key per figure whatever the spelling: monthly_volumes() is monthly_volumes(n=12)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = list(bound.arguments.values())
            return cached(figure_key(name, values), lambda: FIGURES[name](*values), refresh=(name, values))

        return functools.wraps(compute)(show)

    return register


def figure_key(name: str, args) -> str:
    return ":".join(["portal", name, *map(str, args)])


def data_version() -> int:
    """Every change to a request appends an audit event, so the newest event id dates the data."""
    return AuditEvent.objects.aggregate(v=Max("id"))["v"] or 0


def cached(key: str, compute, seconds: int = CACHE_SECONDS, *, refresh: tuple[str, list] | None = None):
    """``compute()``, cached until the data changes. Busy sites may accept figures up to
    MASSLINE_PORTAL_STATS_STALE_SECONDS old rather than recompute after every change.

    A figure registered with ``@figure`` (``refresh`` names it) that was slow to compute
    (MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS, default 2 s) is not recomputed inside the request: the
    previous figures are served while one task recomputes it (one at a time per key, across processes
    when the cache is shared, e.g. Redis). Anything else is recomputed in place."""
    version = data_version()
    entry = cache.get(key)
    if entry is not None:
        stale_ok = getattr(settings, "MASSLINE_PORTAL_STATS_STALE_SECONDS", 0)
        if entry["version"] == version or time.time() - entry["at"] < stale_ok:
            return entry["value"]
        slow = getattr(settings, "MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS", BACKGROUND_AFTER_SECONDS)
        if refresh is not None and entry.get("cost", 0.0) >= slow:
            _request_refresh(key, refresh, version)
            fresh = cache.get(key)  # without a broker the task has already run
            return (fresh if fresh is not None and fresh["version"] == version else entry)["value"]
    return _compute(key, compute, version, seconds)


def _compute(key: str, compute, version: int, seconds: int = CACHE_SECONDS):
    started = time.perf_counter()
    value = compute()
    cost = time.perf_counter() - started
    cache.set(key, {"version": version, "at": time.time(), "cost": cost, "value": value}, seconds)
    return value


def _request_refresh(key: str, refresh: tuple[str, list], version: int) -> bool:
    """Queue one refresh of ``key`` unless one is already queued or running; True if queued."""
    if not cache.add(f"{key}:refreshing", version, timeout=REFRESH_LOCK_SECONDS):
        return False  # another process is on it
    from .tasks import refresh_figure

    name, args = refresh
    try:
        refresh_figure.delay(name, args, version)
    except Exception:  # no broker, or the figure failed in-process: the previous figures stay
        log.exception("refreshing %s failed", key)
        cache.delete(f"{key}:refreshing")
        return False
    return True


def refresh(name: str, args: list, version: int | None = None) -> None:
    """Recompute the figure ``name(*args)`` and store it (the task's body); releases the refresh lock."""
    if name not in FIGURES:
        raise ValueError(f"no statistics figure is called {name!r}; known: {', '.join(sorted(FIGURES))}")
    key = figure_key(name, args)
    try:
        _compute(key, lambda: FIGURES[name](*args), data_version() if version is None else version)
    finally:
        cache.delete(f"{key}:refreshing")


def warm() -> None:
    """Compute the statistics page's figures now (for a periodic task, or after a bulk import), so that
    no visitor waits for the first computation."""
    version = data_version()
    for name, args in (
        ("monthly", [12]),
        ("categories", [None, 12]),
        ("headline", [None]),
        ("ranking", [None]),
    ):
        refresh(name, args, version)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def _data_span() -> tuple[str, str]:
    """The first and the latest month with a public request (the current month when there is none),
    from the request tally (massline.rollups.tally)."""
    span = tally.month_span(public=True)
    if span is None:
        now = f"{timezone.localtime():%Y-%m}"
        return now, now
    return span


def latest_month() -> str:
    """The latest month with a public request (or the current one)."""
    return _data_span()[1]


def recent_months(n: int = 24) -> list[str]:
    """Up to ``n`` months, newest first, from the latest month with data back to the first one: charts
    and menus start where the data starts, not at an empty stretch before it."""
    first, last = _data_span()
    end = date.fromisoformat(last + "-01")
    months = [f"{_shift(end, -i):%Y-%m}" for i in range(n)]
    return [m for m in months if m >= first] or [last]


@figure("monthly")
def monthly_volumes(n: int = 12) -> list[tuple[str, int]]:
    months = recent_months(n)[::-1]
    counts = tally.by_month(tally.tallies(public=True).filter(month__gte=months[0]))
    return [(m, counts.get(m, 0)) for m in months]


def _roots() -> dict[int, str]:
    """category id → name of its level-1 ancestor."""
    rows = list(Category.objects.values_list("id", "parent_id", "name"))
    parent = {i: p for i, p, _n in rows}
    name = {i: n for i, _p, n in rows}

    def root(i):
        while parent.get(i):
            i = parent[i]
        return i

    return {i: name[root(i)] for i in parent}


@figure("categories")
def category_volumes(month: str | None = None, limit: int = 10) -> list[tuple[str, int]]:
    roots = _roots()
    totals: dict[str, int] = {}
    for cat_id, n in tally.by_category(tally.tallies(public=True, month=month)).items():
        if cat_id:  # not yet classified: left out
            totals[roots.get(cat_id, "?")] = totals.get(roots.get(cat_id, "?"), 0) + n
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


@dataclass
class Headline:
    total: int
    replied: int
    closed: int
    satisfaction_rate: float | None  # the ranking's definition (core.metrics.satisfaction_rate)
    basic_weight: float = Weights().basic_weight


@figure("headline")
def headline(month: str | None = None) -> Headline:
    public = tally.tallies(public=True, month=month)
    return Headline(
        tally.total(public),
        tally.total(public, ["replied", "closed"]),
        tally.total(public, ["closed"]),
        city_satisfaction_rate(month),
    )


@dataclass
class RankRow:
    rank: int | None
    unit: str
    dispatched: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    composite: float | None
    partial: bool


@dataclass
class Ranking:
    """The ranked units, and apart those with fewer hand-overs than ``min_dispatched``."""

    rows: list[RankRow] = field(default_factory=list)
    too_few: list[RankRow] = field(default_factory=list)
    min_dispatched: int = 0

    def __bool__(self) -> bool:
        return bool(self.rows or self.too_few)


@figure("ranking")
def ranking(month: str | None = None) -> Ranking:
    names = dict(Unit.objects.values_list("code", "name"))
    minimum = ranking_min_dispatched()

    def row(s) -> RankRow:
        return RankRow(
            s.rank,
            names.get(s.unit, s.unit),
            s.dispatched,
            s.response_rate,
            s.resolution_rate,
            s.satisfaction_rate,
            s.composite,
            s.partial,
        )

    ranked, too_few = split_ranking(unit_ranking(month, min_dispatched=minimum))
    return Ranking([row(s) for s in ranked], [row(s) for s in too_few], minimum)
