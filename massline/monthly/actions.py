"""The only writers of monthly problems (每月一題), their milestones and their log.

Each writer checks the actor's role, validates, and runs in one transaction with its ``ProblemEvent``;
a milestone or a status change writes its messages to the complainants in the same transaction
(``notices``). Refused input raises ``MonthlyError`` with a sentence for the person acting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.workflow import REPORT_KIND
from massline.workflow.models import Request, Unit

from . import notices
from .models import Milestone, MonthlyProblem, ProblemEvent
from .permissions import can_choose, can_post_milestone

TITLE_MAX = 200
TEXT_MAX = 20_000


class MonthlyError(ValueError):
    """Refused input; the message is shown to the person who gave it."""


def _event(problem: MonthlyProblem, user, action: str, at: datetime, **data) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem, actor=user, actor_label=user.get_username(), action=action, at=at, data=data
    )


def _require_chooser(user) -> None:
    if not can_choose(user):
        raise PermissionDenied(_("Only supervisors choose and run the monthly problem."))


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise MonthlyError(_("Give the monthly problem a title."))
    if len(title) > TITLE_MAX:
        raise MonthlyError(_("The title is too long (at most %(n)s characters).") % {"n": TITLE_MAX})
    return title


def _clean_text(text: str, empty_error: str | None) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text and empty_error:
        raise MonthlyError(empty_error)
    if len(text) > TEXT_MAX:
        raise MonthlyError(_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX})
    return text


def _unit(lead_unit: Unit | None) -> Unit:
    if lead_unit is None:
        raise MonthlyError(_("Name the lead unit."))
    return lead_unit


@transaction.atomic
def choose_problem(
    user,
    *,
    title: str,
    month: Date,
    lead_unit: Unit | None,
    plan: str,
    starts_on: Date | None = None,
    members: Sequence[int] = (),
    hot_issue_title: str = "",
    hot_issue_place: str = "",
    at: datetime | None = None,
) -> MonthlyProblem:
    """Make a problem (usually a hot issue) the monthly problem; ``members`` are the requests that complained
    about it. A request already linked to a monthly problem cannot start a second one."""
    _require_chooser(user)
    at = at or timezone.now()
    title, plan = (
        _clean_title(title),
        _clean_text(plan, _("Write the plan: what will be done, by whom, by when.")),
    )
    lead_unit = _unit(lead_unit)
    linked = list(
        Request.objects.filter(pk__in=set(members)).exclude(kind=REPORT_KIND).values_list("pk", flat=True)
    )
    earlier = MonthlyProblem.objects.filter(requests__in=linked).first()
    if earlier is not None:
        raise MonthlyError(
            _("This hot issue is already the monthly problem “%(title)s”.") % {"title": earlier.title}
        )
    problem = MonthlyProblem.objects.create(
        title=title,
        month=month.replace(day=1),
        lead_unit=lead_unit,
        plan=plan,
        starts_on=starts_on or timezone.localdate(at),
        hot_issue_title=(hot_issue_title or "")[:300],
        hot_issue_place=(hot_issue_place or "")[:200],
        created_by=user,
        created_at=at,
        updated_at=at,
    )
    problem.requests.set(linked)
    _event(problem, user, "choose", at, requests=len(linked), from_hot_issue=bool(hot_issue_title))
    return problem


@transaction.atomic
def update_problem(
    problem: MonthlyProblem,
    user,
    *,
    title: str,
    plan: str,
    lead_unit: Unit | None,
    status: str,
    starts_on: Date,
    month: Date,
    at: datetime | None = None,
) -> MonthlyProblem:
    """Edit the plan and the rest; a new status tells the complainants."""
    _require_chooser(user)
    at = at or timezone.now()
    if status not in MonthlyProblem.Status.values:
        raise MonthlyError(_("Unknown status."))
    p = MonthlyProblem.objects.select_for_update().get(pk=problem.pk)
    new = {
        "title": _clean_title(title),
        "plan": _clean_text(plan, _("Write the plan: what will be done, by whom, by when.")),
        "lead_unit": _unit(lead_unit),
        "starts_on": starts_on,
        "month": month.replace(day=1),
    }
    changed = [k for k, v in new.items() if getattr(p, k) != v]
    for k in changed:
        setattr(p, k, new[k])
    old_status = p.status
    if changed:
        p.updated_at = at
        p.save(update_fields=[*changed, "updated_at"])
        _event(p, user, "edit", at, fields=changed)
    if status != old_status:
        p.status, p.updated_at = status, at
        p.save(update_fields=["status", "updated_at"])
        event = _event(p, user, "status", at, from_status=old_status, to_status=status)
        notices.tell_status(p, event.pk)
    return p


@transaction.atomic
def post_milestone(
    problem: MonthlyProblem,
    user,
    *,
    title: str,
    description: str = "",
    date: Date,
    progress: int,
    token: str,
    at: datetime | None = None,
) -> tuple[Milestone, bool]:
    """Post a milestone and tell the complainants. The same form (``token``) posted twice is one milestone
    and one message per person: the second call returns the first milestone and False."""
    if not can_post_milestone(user, problem):
        raise PermissionDenied(_("Only the lead unit and supervisors post milestones."))
    token = (token or "").strip()[:64]
    if not token:
        raise MonthlyError(_("The form is missing its token; reload the page."))
    existing = Milestone.objects.filter(token=token).first()
    if existing is not None:
        if existing.problem_id != problem.pk:
            raise MonthlyError(_("The form is missing its token; reload the page."))
        return existing, False
    title = _clean_title(title)
    description = _clean_text(description, None)
    if progress is None or not 0 <= int(progress) <= 100:
        raise MonthlyError(_("Progress is a percentage from 0 to 100."))
    at = at or timezone.now()
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(
                problem=problem,
                title=title,
                description=description,
                date=date,
                progress=int(progress),
                token=token,
                posted_by=user,
                posted_at=at,
            )
    except IntegrityError:  # the same form, posted at the same moment by a double click
        return Milestone.objects.get(token=token), False
    MonthlyProblem.objects.filter(pk=problem.pk).update(updated_at=at)
    _event(problem, user, "milestone", at, milestone=milestone.pk, progress=milestone.progress)
    notices.tell_milestone(milestone)
    return milestone, True


@transaction.atomic
def open_consultation(problem: MonthlyProblem, user):
    """A consultation (徵求意見) prefilled with the problem's title and plan, in draft; opening it again
    returns the one already made."""
    from massline.consult import actions as consult
    from massline.consult.models import Consultation

    _require_chooser(user)
    p = MonthlyProblem.objects.select_for_update().get(pk=problem.pk)
    if p.consultation_id:
        return Consultation.objects.get(pk=p.consultation_id)
    c = consult.create_consultation(
        user,
        title=p.title[:200],
        question=p.plan,
        languages=("zh-hant", "zh-hans", "en"),
    )
    p.consultation = c
    p.save(update_fields=["consultation"])
    _event(p, user, "consult", timezone.now(), consultation=c.pk)
    problem.consultation = c
    return c


@transaction.atomic
def attach_outcome(problem: MonthlyProblem, user, text: str) -> MonthlyProblem:
    """What came of the consultation, in the staff's words (an empty text removes it)."""
    _require_chooser(user)
    text = _clean_text(text, None)
    p = MonthlyProblem.objects.select_for_update().get(pk=problem.pk)
    p.outcome, p.updated_at = text, timezone.now()
    p.save(update_fields=["outcome", "updated_at"])
    _event(p, user, "outcome", p.updated_at, chars=len(text))
    return p
