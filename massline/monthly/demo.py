"""A demo monthly problem (每月一題): the demo's hottest issue of its last 30 days, chosen by the demo
supervisor three weeks before the demo ends, with two milestones. Called once after the demo loader; sends
no message (the demo's requesters are invented)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from massline.notify import outbox
from massline.workbench.hot import top_hot_issues
from massline.workflow.models import Request, Unit

from . import actions
from .models import MonthlyProblem


def create_demo_problem(end: datetime | None = None) -> MonthlyProblem | None:
    """The monthly problem of the demo, or None when there is no hot issue (or one exists already)."""
    if MonthlyProblem.objects.exists():
        return None
    end = end or timezone.now()
    issues = top_hot_issues(days=30, limit=1, now=end)
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    if not issues or supervisor is None:
        return None
    issue = issues[0]
    units = list(
        Request.objects.filter(pk__in=issue.member_ids, unit__isnull=False).values_list("unit_id", flat=True)
    )
    lead = Unit.objects.filter(pk=max(set(units), key=units.count)).first() if units else None
    lead = lead or Unit.objects.filter(parent__isnull=False).order_by("path").first()
    start = timezone.localtime(end - timedelta(days=21))
    with outbox.paused():
        problem = actions.choose_problem(
            supervisor,
            title=issue.title[:200],
            month=start.date(),
            lead_unit=lead,
            plan="一、两周内摸清全部问题点位；二、牵头单位会同街道集中整治；三、月底前回访每一位反映人。",
            starts_on=start.date(),
            members=issue.member_ids,
            hot_issue_title=issue.title,
            hot_issue_place=issue.place,
            at=start,
        )
        for days, title, progress in ((3, "完成现场排查", 30), (14, "集中整治过半", 60)):
            actions.post_milestone(
                problem,
                supervisor,
                title=title,
                date=(start + timedelta(days=days)).date(),
                progress=progress,
                token=secrets.token_urlsafe(16),
                at=start + timedelta(days=days),
            )
        problem = actions.update_problem(
            problem,
            supervisor,
            title=problem.title,
            plan=problem.plan,
            lead_unit=problem.lead_unit,
            status=MonthlyProblem.Status.IN_PROGRESS,
            starts_on=problem.starts_on,
            month=problem.month,
            at=start + timedelta(days=3),
        )
    return problem
