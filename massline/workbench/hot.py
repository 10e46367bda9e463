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
