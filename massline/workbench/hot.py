"""The dashboard's hot-issue slot (熱點問題), filled by ``massline.core.hotspots.detect_hot_issues``.

The adapter is deliberately tolerant: it hands the detector the last N days of requests as plain
records and reads whichever of the usual field names the returned issues carry.

"Me too"s (我也遇到, ``portal.MeToo``) on the public pages are handed over as each request's ``likes``: an
issue whose member requests have m of them gains 2·ln(1 + m) people in its heat (docs/hot-issues.md), so
ten neighbours who said "me too" weigh about as much as five more people who wrote in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.utils import timezone

from massline.core.hotspots import detect_hot_issues
from massline.pagecache import generations
from massline.portal.actions import counts_for as me_too_counts
from massline.workflow.models import Request

from .models import HotIssueTask

log = logging.getLogger(__name__)

MAX_RECORDS = 20000


@dataclass(frozen=True)
class HotIssueRow:
    title: str
    place: str
    start: datetime | None
    end: datetime | None
    count: int
    heat: float
    lat: float | None = None
    lon: float | None = None
    member_ids: tuple[int, ...] = ()
    me_too: int = 0  # "me too"s said on the public pages of its member requests
    task_reference: str | None = None  # the proactive task made from this issue, if any


def _pick(obj, *names, default=None):
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _as_row(issue) -> HotIssueRow:
    members = _pick(issue, "member_ids", "request_ids", "members", default=())
    return HotIssueRow(
        title=str(_pick(issue, "title", "label", "topic", "keywords", default="")),
        place=str(_pick(issue, "place", "area", "address", default="")),
        start=_pick(issue, "first", "start", "first_at"),
        end=_pick(issue, "last", "end", "last_at"),
        count=int(_pick(issue, "n_requests", "count", "size", default=len(members))),
        heat=float(_pick(issue, "heat", "score", default=0.0)),
        lat=_pick(issue, "lat"),
        lon=_pick(issue, "lon"),
        member_ids=tuple(int(m) for m in members),
        me_too=int(_pick(issue, "likes", default=0)),
    )


def top_hot_issues(days: int = 30, limit: int = 5, now: datetime | None = None) -> list[HotIssueRow]:
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = (
        Request.objects.filter(received_at__gte=since)
        .exclude(kind="report")
        .exclude(state="merged")
        .order_by("-received_at")
        .values("id", "title", "text", "requester_key", "received_at")[:MAX_RECORDS]
    )
    me_too = me_too_counts(received_since=since)
    records = [
        {
            "id": r["id"],
            "title": r["title"],
            "body": r["text"],
            "time": timezone.localtime(r["received_at"]).replace(tzinfo=None),
            "requester": r["requester_key"] or f"request-{r['id']}",
            "likes": me_too.get(r["id"], 0),
        }
        for r in rows
    ]
    try:
        local_now = timezone.localtime(now).replace(tzinfo=None)
        issues = detect_hot_issues(records, now=local_now, window_days=days, top=limit)
    except Exception:  # the slot must never take the dashboard down
        log.exception("hot-issue detection failed")
        return []
    found = [_as_row(i) for i in issues]
    found.sort(key=lambda h: -h.heat)
    return found[:limit]


def with_tasks(rows: list[HotIssueRow]) -> list[HotIssueRow]:
    """The rows, each with the reference of the proactive task already made from it (read fresh, not
    cached with the issues: the link must show as soon as the task exists)."""
    wanted = {m for row in rows for m in row.member_ids}
    if not wanted:
        return rows
    task_of = dict(
        HotIssueTask.members.through.objects.filter(request_id__in=wanted)
        .order_by("hotissuetask__created_at")
        .values_list("request_id", "hotissuetask__task__reference")
    )
    return [
        replace(row, task_reference=next((task_of[m] for m in row.member_ids if m in task_of), None))
        for row in rows
    ]


# --- the dashboard's slot with a worker: computed in the background, never in the page --------------------

DASHBOARD_DAYS = 30
LATEST_KEY = "workbench:hot:dashboard"
REFRESHING_KEY = "workbench:hot:refreshing"
REFRESH_AFTER = timedelta(minutes=10)  # the beat task's period too (massline/tasks.py)
HOT_AREA = "workbench-hot"  # a page-cache area: bumped when new hot issues are ready


def refresh_dashboard(now: datetime | None = None) -> list[HotIssueRow]:
    """Detect the dashboard's hot issues now and keep them for the page (the refresh task's job)."""
    from django.core.cache import cache

    now = now or timezone.now()
    rows = top_hot_issues(days=DASHBOARD_DAYS, limit=5, now=now)
    cache.set(LATEST_KEY, {"rows": rows, "at": now}, int(6 * REFRESH_AFTER.total_seconds()))
    cache.delete(REFRESHING_KEY)
    generations.bump([HOT_AREA])  # the cached dashboards show the new ones (workbench.fragments)
    return rows


def dashboard_issues() -> tuple[list[HotIssueRow], datetime | None]:
    """With a worker: the hot issues as last detected and when (a detection over 30 days of requests takes
    seconds at 100k and minutes on a busy box, too long for a page), asking the worker for a new one
    when they are older than REFRESH_AFTER or missing. ([], None) until the first one is ready."""
    from django.core.cache import cache

    from .tasks import refresh_hot_issues

    entry = cache.get(LATEST_KEY)
    if entry is None or timezone.now() - entry["at"] > REFRESH_AFTER:
        if cache.add(REFRESHING_KEY, 1, int(REFRESH_AFTER.total_seconds())):  # one request asks, once
            try:
                refresh_hot_issues.delay()
            except Exception:  # noqa: BLE001 - the broker is down: the beat task refreshes them
                log.warning("could not ask for the hot issues", exc_info=True)
    if entry is None:
        return [], None
    return entry["rows"], entry["at"]
