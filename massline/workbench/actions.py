"""Workbench writers: the visit log, resolving supervisions and proactive tasks (未訴先辦).

Requests themselves are still created only by ``massline.intake.actions.submit_request`` and changed
only by the workflow actions; these functions wrap them and write the workbench's own rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.workflow import NotPermitted, Role, WorkflowError
from massline.intake.actions import IntakeError, submit_request
from massline.workflow.actions import Actor
from massline.workflow.audit import write_audit
from massline.workflow.models import Request, Supervision

from .models import HotIssueTask, Visit, VisitIssue

__all__ = ["IssueFound", "create_proactive_task", "log_visit", "resolve_supervision"]

SUPERVISING_ROLES = {Role.SUPERVISOR.value, Role.ADMIN.value}


@dataclass(frozen=True)
class IssueFound:
    """One issue noted on a visit."""

    text: str
    title: str = ""
    kind: str = "help"


def log_visit(
    user,
    *,
    date: Date,
    place: str,
    issues: list[IssueFound],
    lat: float | None = None,
    lon: float | None = None,
    notes: str = "",
    at: datetime | None = None,
) -> Visit:
    """Record a visit by ``user`` and turn each issue into a request (channel="visit").

    All or nothing: if one issue cannot be accepted, no visit and no request is stored, and the
    ``IntakeError`` names the issue.
    """
    actor = Actor.of(user)
    place = (place or "").strip()
    if not place:
        raise IntakeError(_("Say where the visit took place."))
    issues = [i for i in issues if (i.text or "").strip()]
    if not issues:
        raise IntakeError(_("A visit needs at least one issue found."))
    if any(i.kind == "report" for i in issues):
        # misconduct reports have their own protected channel; a visit log is read by many people
        raise IntakeError(_("Misconduct reports cannot be logged as visit issues."))
    with transaction.atomic():
        visit = Visit.objects.create(
            date=date,
            place=place[:300],
            lat=lat,
            lon=lon,
            staff=user,
            unit=actor.unit,
            notes=(notes or "").strip(),
        )
        for position, issue in enumerate(issues, start=1):
            try:
                req = submit_request(
                    text=issue.text,
                    title=issue.title,
                    kind=issue.kind,
                    channel="visit",
                    address=place,
                    lat=lat,
                    lon=lon,
                    actor=actor,
                    at=at,
                )
            except IntakeError as exc:
                raise IntakeError(_("Issue %(n)d: %(error)s") % {"n": position, "error": exc}) from exc
            VisitIssue.objects.create(visit=visit, request=req, position=position)
    return visit


def resolve_supervision(sup: Supervision, user, *, note: str, at: datetime | None = None) -> Supervision:
    """Close a supervision (督辦) with a note; the request's timeline records who closed it and why."""
    actor = Actor.of(user)
    if not actor.roles & SUPERVISING_ROLES:
        raise NotPermitted(_("Only supervisors resolve supervisions."))
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Say how the supervision was resolved."))
    at = at or timezone.now()
    with transaction.atomic():
        changed = Supervision.objects.filter(pk=sup.pk, resolved_at__isnull=True).update(
            resolved_at=at, note=(f"{sup.note}\n{note}" if sup.note else note)
        )
        if changed != 1:
            raise WorkflowError(_("This supervision was already resolved."))
        req = sup.request
        write_audit(
            req, actor, "supervision_resolved", at, req.state, req.state, note, {"reason": sup.reason}
        )
    sup.refresh_from_db()
    return sup


def create_proactive_task(
    user,
    *,
    title: str,
    text: str,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    members: Sequence[int] = (),
) -> Request:
    """未訴先辦: a supervisor turns a hot issue into a task before anyone else has to complain.

    ``members`` are the ids of the hot issue's requests: the issue then links to its task, and the
    same issue cannot become a second task."""
    actor = Actor.of(user)
    if not actor.roles & SUPERVISING_ROLES:
        raise NotPermitted(_("Only supervisors create proactive tasks."))
    with transaction.atomic():
        member_ids = list(Request.objects.filter(pk__in=set(members)).values_list("pk", flat=True))
        earlier = HotIssueTask.objects.filter(members__in=member_ids).select_related("task").first()
        if earlier is not None:
            raise WorkflowError(
                _("This hot issue is already proactive task %(ref)s.") % {"ref": earlier.task.reference}
            )
        req = submit_request(
            text=text,
            title=title,
            kind="suggestion",
            channel="visit",
            address=address,
            lat=lat,
            lon=lon,
            actor=actor,
        )
        if member_ids:
            link = HotIssueTask.objects.create(task=req, title=(title or "")[:300], created_by=user)
            link.members.set(member_ids)
    return req
