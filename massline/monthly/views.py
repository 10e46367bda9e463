"""The public pages of the monthly problem: /monthly/ (all of them) and /monthly/<id>/ (one).

What staff and citizens wrote is shown redacted and in the reader's script; requests are only those the
disclosure rule lists, as redacted cards."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .charts import before_after_chart
from .measure import weekly_volume
from .selection import complaint_count, public_requests, with_progress

PUBLIC_REQUESTS_SHOWN = 30


def problem_list(request):
    problems = list(with_progress())
    return render(request, "monthly/list.html", {"problems": problems})


def problem_detail(request, pk: int):
    problem = get_object_or_404(with_progress().select_related("consultation"), pk=pk)
    milestones = list(problem.milestones.order_by("date", "posted_at", "id"))
    volume = weekly_volume(problem)
    rows = list(public_requests(problem)[: PUBLIC_REQUESTS_SHOWN + 1])
    consultation = (
        problem.consultation if problem.consultation and problem.consultation.status != "draft" else None
    )
    return render(
        request,
        "monthly/detail.html",
        {
            "problem": problem,
            "progress": getattr(problem, "latest_progress", None) or 0,
            "milestones": milestones,
            "rows": rows[:PUBLIC_REQUESTS_SHOWN],
            "more_rows": len(rows) > PUBLIC_REQUESTS_SHOWN,
            "complaints": complaint_count(problem),
            "volume": volume,
            "chart": before_after_chart(
                volume.weeks, title=_("Requests on this topic per week"), start_label=_("start")
            )
            if volume.weeks
            else "",
            "consultation": consultation,
        },
    )
