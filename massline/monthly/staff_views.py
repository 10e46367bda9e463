"""Staff pages of the monthly problem (/staff/monthly/): choose it (from a hot issue or from scratch), edit
its plan and status, post milestones, open a consultation and attach its outcome. Views validate and call
``actions``."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.workbench.access import staff_required
from massline.workflow.models import Request, Unit

from . import actions
from .forms import EditForm, MilestoneForm, OutcomeForm, ProblemForm
from .models import MonthlyProblem
from .permissions import CHOOSING_ROLES, READING_ROLES, can_choose, can_post_milestone
from .selection import complaint_count, proactive_tasks, with_progress


def _members(raw: str) -> list[int] | None:
    try:
        return [int(m) for m in (raw or "").split(",") if m.strip()]
    except ValueError:
        return None


@staff_required(*READING_ROLES)
def staff_list(request):
    return render(
        request,
        "monthly/staff/list.html",
        {"problems": list(with_progress()), "can_choose": can_choose(request.user), "nav": "monthly"},
    )


def _suggested_unit(member_ids: list[int]) -> Unit | None:
    units = Counter(
        Request.objects.filter(pk__in=member_ids, unit__isnull=False).values_list("unit_id", flat=True)
    )
    top = units.most_common(1)
    return Unit.objects.filter(pk=top[0][0]).first() if top else None


@staff_required(*CHOOSING_ROLES)
def staff_new(request):
    """A new monthly problem; from the dashboard, a hot issue's title, place and requests come along."""
    source = request.POST if request.method == "POST" else request.GET
    members = _members(source.get("members", ""))
    hot = {"title": source.get("hot_title", "")[:300], "place": source.get("hot_place", "")[:200]}
    if members is None:
        messages.error(request, _("The hot issue's requests could not be read; reload the dashboard."))
        return redirect("workbench:dashboard")
    if request.method == "POST":
        form = ProblemForm(request.POST)
        if form.is_valid():
            try:
                problem = actions.choose_problem(
                    request.user,
                    **form.cleaned_data,
                    members=members,
                    hot_issue_title=hot["title"],
                    hot_issue_place=hot["place"],
                )
            except actions.MonthlyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("“%(title)s” is the monthly problem.") % {"title": problem.title})
                return redirect("monthly_staff:detail", pk=problem.pk)
    else:
        initial = {"title": hot["title"]}
        unit = _suggested_unit(members)
        if unit is not None:
            initial["lead_unit"] = unit.code
        form = ProblemForm(initial=initial)
    return render(
        request,
        "monthly/staff/new.html",
        {
            "form": form,
            "members": members,
            "member_ids": ",".join(map(str, members)),
            "hot": hot,
            "linked": Request.objects.filter(pk__in=members)
            .exclude(kind="report")
            .order_by("-received_at")[:50],
            "nav": "monthly",
        },
    )


def _edit_initial(problem: MonthlyProblem) -> dict:
    return {
        "title": problem.title,
        "month": problem.month,
        "lead_unit": problem.lead_unit.code,
        "plan": problem.plan,
        "starts_on": problem.starts_on,
        "status": problem.status,
    }


# The edit form on the same page has a title field too: distinct ids keep each label on its own input.
MILESTONE_IDS = "milestone_%s"


@staff_required(*READING_ROLES)
def staff_detail(request, pk: int):
    problem = get_object_or_404(with_progress().select_related("consultation"), pk=pk)
    edit = EditForm(initial=_edit_initial(problem))
    milestone = MilestoneForm(auto_id=MILESTONE_IDS)
    outcome = OutcomeForm(initial={"outcome": problem.outcome})
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "edit":
                edit = EditForm(request.POST)
                if edit.is_valid():
                    actions.update_problem(problem, request.user, **edit.cleaned_data)
                    messages.success(request, _("The monthly problem is saved."))
                    return redirect("monthly_staff:detail", pk=pk)
            elif which == "milestone":
                milestone = MilestoneForm(request.POST, auto_id=MILESTONE_IDS)
                if milestone.is_valid():
                    _m, created = actions.post_milestone(problem, request.user, **milestone.cleaned_data)
                    if created:
                        messages.success(
                            request, _("Milestone posted; the people who complained are being told.")
                        )
                    else:
                        messages.info(request, _("This milestone was already posted."))
                    return redirect("monthly_staff:detail", pk=pk)
            elif which == "outcome":
                outcome = OutcomeForm(request.POST)
                if outcome.is_valid():
                    actions.attach_outcome(problem, request.user, outcome.cleaned_data["outcome"])
                    messages.success(request, _("The outcome is saved."))
                    return redirect("monthly_staff:detail", pk=pk)
        except actions.MonthlyError as exc:
            {"edit": edit, "milestone": milestone, "outcome": outcome}[which].add_error(None, str(exc))
    linked = (
        problem.requests.exclude(kind="report").select_related("unit", "category").order_by("-received_at")
    )
    return render(
        request,
        "monthly/staff/detail.html",
        {
            "problem": problem,
            "progress": getattr(problem, "latest_progress", None) or 0,
            "milestones": list(
                problem.milestones.select_related("posted_by").order_by("-date", "-posted_at", "-id")
            ),
            "events": list(problem.events.all()[:30]),
            "edit_form": edit,
            "milestone_form": milestone,
            "outcome_form": outcome,
            "can_choose": can_choose(request.user),
            "can_post": can_post_milestone(request.user, problem),
            "linked": linked[:100],
            "complaints": complaint_count(problem),
            "tasks": proactive_tasks(problem),
            "nav": "monthly",
        },
    )


@require_POST
@staff_required(*CHOOSING_ROLES)
def staff_consult(request, pk: int):
    problem = get_object_or_404(MonthlyProblem, pk=pk)
    had = problem.consultation_id
    consultation = actions.open_consultation(problem, request.user)
    if not had:
        messages.success(
            request, _("A consultation was drafted from the monthly problem. Review it, then open it.")
        )
    return redirect("consult:manage", pk=consultation.pk)
