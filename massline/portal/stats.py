"""Figures for the public statistics page, the home page and the monthly report. Misconduct reports are
never counted in public figures. Results are cached until the data changes: these queries scan many rows."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from massline.followup.metrics import month_bounds, unit_ranking
from massline.followup.models import FollowUp
from massline.workflow.models import AuditEvent, Category, Unit

from .public import public_requests

# Entries are keyed to the data version, so they never show wrong figures, only old ones: keep them a day.
CACHE_SECONDS = 24 * 3600
# Figures that took longer than this to compute are refreshed in a background thread while the previous
# ones are shown (with a million requests the 三率 ranking takes a minute: longer than a web request may).
BACKGROUND_AFTER_SECONDS = 2.0
REFRESH_LOCK_SECONDS = 900
log = logging.getLogger(__name__)


def data_version() -> int:
    """Every change to a request appends an audit event, so the newest event id dates the data."""
    return AuditEvent.objects.aggregate(v=Max("id"))["v"] or 0


def cached(key: str, compute, seconds: int = CACHE_SECONDS):
    """``compute()``, cached until the data changes. Busy sites may accept figures up to
    MASSLINE_PORTAL_STATS_STALE_SECONDS old rather than recompute after every change.

    Figures that are slow to compute (MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS, default 2 s) are not
    recomputed inside the request: the previous figures are served while one thread refreshes them
    (one at a time per key, across processes when the cache is shared, e.g. Redis)."""
    version = data_version()
    entry = cache.get(key)
    if entry is not None:
        stale_ok = getattr(settings, "MASSLINE_PORTAL_STATS_STALE_SECONDS", 0)
        if entry["version"] == version or time.time() - entry["at"] < stale_ok:
            return entry["value"]
        slow = getattr(settings, "MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS", BACKGROUND_AFTER_SECONDS)
        if entry.get("cost", 0.0) >= slow:
            _refresh_in_background(key, compute, version, seconds)
            return entry["value"]
    return _compute(key, compute, version, seconds)


def _compute(key: str, compute, version: int, seconds: int):
    started = time.perf_counter()
    value = compute()
    cost = time.perf_counter() - started
    cache.set(key, {"version": version, "at": time.time(), "cost": cost, "value": value}, seconds)
    return value


def _refresh_in_background(key: str, compute, version: int, seconds: int) -> threading.Thread | None:
    lock = f"{key}:refreshing"
    if not cache.add(lock, version, timeout=REFRESH_LOCK_SECONDS):
        return None  # another thread or process is on it

    def run():
        try:
            _compute(key, compute, version, seconds)
        except Exception:  # the previous figures stay; the next view tries again
            log.exception("refreshing %s failed", key)
        finally:
            cache.delete(lock)
            connections.close_all()  # this thread's own database connection

    thread = threading.Thread(target=run, name=f"massline-stats-{key}", daemon=True)
    thread.start()
    return thread


def warm() -> None:
    """Compute the statistics page's figures now (for a periodic task, or after a bulk import), so that
    no visitor waits for the first computation."""
    monthly_volumes(12)
    category_volumes(None, limit=12)
    headline()
    ranking(None)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def latest_month() -> str:
    """The latest month with a public request (or the current one)."""
    last = public_requests().aggregate(m=Max("received_at"))["m"]
    return f"{timezone.localtime(last or timezone.now()):%Y-%m}"


def recent_months(n: int = 24) -> list[str]:
    end = date.fromisoformat(latest_month() + "-01")
    return [f"{_shift(end, -i):%Y-%m}" for i in range(n)]


def monthly_volumes(n: int = 12) -> list[tuple[str, int]]:
    def compute():
        months = recent_months(n)[::-1]
        start, _e = month_bounds(months[0])
        rows = (
            public_requests()
            .filter(received_at__gte=start)
            .annotate(m=TruncMonth("received_at"))
            .values("m")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {
            f"{timezone.localtime(r['m']) if timezone.is_aware(r['m']) else r['m']:%Y-%m}": r["n"]
            for r in rows
        }
        return [(m, counts.get(m, 0)) for m in months]

    return cached(f"portal:monthly:{n}", compute)


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


def category_volumes(month: str | None = None, limit: int = 10) -> list[tuple[str, int]]:
    def compute():
        qs = public_requests().filter(category__isnull=False)
        if month:
            qs = qs.filter(received_at__range=month_bounds(month))
        roots = _roots()
        totals: dict[str, int] = {}
        for cat_id, n in qs.values_list("category_id").annotate(n=Count("id")).order_by():
            totals[roots.get(cat_id, "?")] = totals.get(roots.get(cat_id, "?"), 0) + n
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    return cached(f"portal:categories:{month}:{limit}", compute)


@dataclass
class Headline:
    total: int
    replied: int
    closed: int
    satisfaction_rate: float | None


def headline(month: str | None = None) -> Headline:
    def compute():
        qs = public_requests()
        fus = FollowUp.objects.exclude(request__kind="report")
        if month:
            qs = qs.filter(received_at__range=month_bounds(month))
            fus = fus.filter(created_at__range=month_bounds(month))
        agg = qs.aggregate(
            total=Count("id"),
            replied=Count("id", filter=Q(state__in=["replied", "closed"])),
            closed=Count("id", filter=Q(state="closed")),
        )
        f = fus.aggregate(
            n=Count("id"), ok=Count("id", filter=Q(satisfaction__in=["satisfied", "basically"]))
        )
        return Headline(agg["total"], agg["replied"], agg["closed"], f["ok"] / f["n"] if f["n"] else None)

    return cached(f"portal:headline:{month}", compute)


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


def ranking(month: str | None = None) -> list[RankRow]:
    def compute():
        names = dict(Unit.objects.values_list("code", "name"))
        rows = [
            RankRow(
                s.rank,
                names.get(s.unit, s.unit),
                s.dispatched,
                s.response_rate,
                s.resolution_rate,
                s.satisfaction_rate,
                s.composite,
                s.partial,
            )
            for s in unit_ranking(month)
        ]
        return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.unit))

    return cached(f"portal:ranking:{month}", compute)
