"""Reading monthly problems: with their progress, their public requests, and their links to hot issues and
proactive tasks (熱點問題 ⇄ 每月一題 ⇄ 未訴先辦)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import OuterRef, QuerySet, Subquery

from massline.core.workflow import REPORT_KIND
from massline.workbench.models import HotIssueTask
from massline.workflow import disclosure
from massline.workflow.models import Request

from .models import Milestone, MonthlyProblem


def with_progress(qs: QuerySet[MonthlyProblem] | None = None) -> QuerySet[MonthlyProblem]:
    """Problems annotated with ``latest_progress`` (the latest milestone's, None before any)."""
    qs = MonthlyProblem.objects.all() if qs is None else qs
    latest = Milestone.objects.filter(problem=OuterRef("pk")).order_by("-date", "-posted_at", "-id")
    return qs.select_related("lead_unit").annotate(latest_progress=Subquery(latest.values("progress")[:1]))


def public_requests(problem: MonthlyProblem) -> QuerySet[Request]:
    """The linked requests the disclosure rule lists, newest first."""
    return (
        disclosure.listed(problem.requests.all())
        .select_related("category", "unit")
        .order_by("-received_at", "-pk")
    )


def complaint_count(problem: MonthlyProblem) -> int:
    return problem.requests.exclude(kind=REPORT_KIND).count()


def proactive_tasks(problem: MonthlyProblem) -> list[HotIssueTask]:
    """Proactive tasks (未訴先辦) made from the same hot issue: those sharing a linked request."""
    return list(
        HotIssueTask.objects.filter(members__in=problem.requests.all())
        .select_related("task")
        .distinct()
        .order_by("created_at", "pk")
    )


def for_hot_issues(member_lists: Sequence[Sequence[int]]) -> list[MonthlyProblem | None]:
    """For each hot issue (its member request ids), the monthly problem that shares one of them, if any."""
    wanted = {m for members in member_lists for m in members}
    if not wanted:
        return [None] * len(member_lists)
    links = (
        MonthlyProblem.requests.through.objects.filter(request_id__in=wanted)
        .order_by("monthlyproblem__created_at")
        .values_list("request_id", "monthlyproblem_id")
    )
    problem_of: dict[int, int] = {}
    for request_id, problem_id in links:
        problem_of.setdefault(request_id, problem_id)
    problems = MonthlyProblem.objects.in_bulk(set(problem_of.values()))
    return [
        next((problems[problem_of[m]] for m in members if m in problem_of), None) for members in member_lists
    ]
