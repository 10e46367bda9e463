"""The only code that changes requests. Each action is atomic, checks the transition table, takes an
optimistic lock on the request's version, and appends an audit event.

Concurrency: an action loads nothing new; it updates the row only if both its state and its version
are still what the actor saw (``UPDATE … WHERE id = %s AND version = %s AND state = %s``). When two
people act at once exactly one update matches; the other raises ``ConflictError`` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from massline.accounts.permissions import roles_of, unit_of
from massline.core import deadlines as core_deadlines
from massline.core.routing import RoutingRule as CoreRule
from massline.core.routing import route
from massline.core.text.normalize import normalize_for_analysis
from massline.core.workflow import (
    BY_ACTION,
    ConflictError,
    NotPermitted,
    Role,
    State,
    WorkflowError,
    check_transition,
)

from .models import (
    AuditEvent,
    CalendarDay,
    Category,
    DeadlineRule,
    Reply,
    Request,
    RoutingRule,
    Supervision,
    Unit,
)

__all__ = ["Actor", "ConflictError", "WorkflowError"]


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff user with roles, the requester (by tracking link), or the system."""

    user: Any
    roles: frozenset[str]
    label: str
    unit: Unit | None = field(default=None, compare=False)

    @classmethod
    def of(cls, user) -> Actor:
        roles = roles_of(user)
        if not roles:
            raise NotPermitted("this account has no massline role")
        return cls(user, roles, user.get_username(), unit_of(user))

    @classmethod
    def requester(cls) -> Actor:
        return cls(None, frozenset({Role.CITIZEN.value}), "requester")

    @classmethod
    def system(cls, why: str = "system") -> Actor:
        return cls(None, frozenset({Role.ADMIN.value}), why)


def get_calendar() -> core_deadlines.WorkCalendar:
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day in CalendarDay.objects.all():
        (workdays if day.is_workday else holidays).add(day.date)
    return core_deadlines.WorkCalendar(settings.TIME_ZONE, frozenset(holidays), frozenset(workdays))


def get_deadline_rules() -> list[core_deadlines.DeadlineRule]:
    rows = [
        core_deadlines.DeadlineRule(
            r.urgency,
            core_deadlines.Duration(r.sign_amount, r.sign_unit),  # type: ignore[arg-type]
            core_deadlines.Duration(r.reply_amount, r.reply_unit),  # type: ignore[arg-type]
            r.kind,
        )
        for r in DeadlineRule.objects.all()
    ]
    return rows or list(core_deadlines.DEFAULT_RULES)


def compute_deadlines(req: Request, start: datetime) -> tuple[datetime, datetime]:
    return core_deadlines.deadlines_for(start, req.urgency, req.kind, get_calendar(), get_deadline_rules())


def route_request(req: Request, category: Category) -> Unit | None:
    """The unit responsible for ``req`` in ``category``: routing rules, then the category default."""
    chain = category.ancestors()
    rules = [
        CoreRule(
            unit=str(r.unit_id),
            category=str(r.category_id) if r.category_id else None,
            keyword=normalize_for_analysis(r.keyword) or None,
            area=normalize_for_analysis(r.area) or None,
            priority=r.priority,
        )
        for r in RoutingRule.objects.all()
    ]
    default = category.effective_unit()
    decision = route(
        [str(c.pk) for c in chain],
        str(default.pk) if default else None,
        normalize_for_analysis(f"{req.title} {req.text}"),
        normalize_for_analysis(req.address),
        rules,
    )
    return Unit.objects.get(pk=int(decision.unit)) if decision.unit else None


def _audit(
    req: Request,
    actor: Actor,
    action: str,
    at: datetime,
    from_state: str,
    to_state: str,
    note: str = "",
    **data,
):
    return AuditEvent.objects.create(
        request=req,
        actor=actor.user if actor.user is not None else None,
        actor_label=actor.label,
        at=at,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data,
    )


def _check_unit_scope(req: Request, actor: Actor, action: str) -> None:
    """Unit staff act only on requests owned by their unit (or a unit below it)."""
    transition = BY_ACTION[action]
    privileged = actor.roles & ({r.value for r in transition.roles} - {Role.UNIT_STAFF.value})
    if privileged:
        return
    if Role.UNIT_STAFF.value in actor.roles:
        if actor.unit is None or req.unit is None or not req.unit.is_within(actor.unit):
            raise NotPermitted("this request belongs to another unit")


def transition(
    req: Request,
    action: str,
    actor: Actor,
    *,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
    updates: dict | None = None,
    data: dict | None = None,
) -> Request:
    """Apply one row of the transition table to ``req``. Raises WorkflowError; changes nothing then."""
    at = at or timezone.now()
    expected = req.version if expected_version is None else expected_version
    from_state = req.state
    target = check_transition(action, from_state, actor.roles, note)
    _check_unit_scope(req, actor, action)
    updates = dict(updates or {})
    with transaction.atomic():
        changed = Request.objects.filter(pk=req.pk, version=expected, state=from_state).update(
            state=target.value, version=F("version") + 1, updated_at=at, **updates
        )
        if changed != 1:
            current = Request.objects.filter(pk=req.pk).values_list("state", "version").first()
            raise ConflictError(
                f"request {req.reference} was changed by someone else"
                + (f" (it is now {current[0]}, version {current[1]})" if current else "")
                + "; reload it and try again"
            )
        for key, value in updates.items():
            setattr(req, key, value)
        req.state, req.version = target.value, expected + 1
        _audit(req, actor, action, at, from_state, target.value, note, **(data or {}))
    return req


# --- the actions, one per row of the table -------------------------------------------------------


def do_dispatch(req, actor, *, unit=None, category=None, note="", at=None, expected_version=None):
    """派單: send to ``unit`` (or route by ``category``); deadlines start now."""
    at = at or timezone.now()
    category = category or req.category
    if unit is None:
        if category is None:
            raise WorkflowError("choose a category or a unit to dispatch to")
        unit = route_request(req, category)
        if unit is None:
            raise WorkflowError(f"category {category} has no responsible unit: choose one by hand")
    if category is not None and category.urgency != "general" and req.urgency == "general":
        req.urgency = category.urgency
    sign_due, reply_due = compute_deadlines(req, at)
    return transition(
        req,
        "dispatch",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates=dict(
            unit=unit,
            category=category,
            urgency=req.urgency,
            dispatched_at=at,
            sign_due=sign_due,
            reply_due=reply_due,
        ),
        data={
            "unit": unit.code,
            "category": category.code if category else None,
            "sign_due": sign_due.isoformat(),
        },
    )


def do_sign(req, actor, *, note="", at=None, expected_version=None):
    """簽收: the unit takes the request on."""
    at = at or timezone.now()
    with transaction.atomic():
        transition(
            req, "sign", actor, note=note, at=at, expected_version=expected_version, updates={"signed_at": at}
        )
        Supervision.objects.filter(request=req, reason="sign_overdue", resolved_at__isnull=True).update(
            resolved_at=at
        )
    return req


def do_return(req, actor, *, note, at=None, expected_version=None):
    """退單: back to the dispatcher, with a reason."""
    return transition(
        req,
        "return",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        data={"unit": req.unit.code},
    )


def do_transfer(req, actor, *, to_unit, note, at=None, expected_version=None):
    """轉派: to another unit, which must sign; the sign deadline restarts."""
    at = at or timezone.now()
    if req.unit_id == to_unit.pk:
        raise WorkflowError("the request is already with that unit")
    sign_due, _ = compute_deadlines(req, at)
    return transition(
        req,
        "transfer",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates={"unit": to_unit, "sign_due": sign_due, "dispatched_at": at, "signed_at": None},
        data={
            "from_unit": req.unit.code if req.unit else None,
            "unit": to_unit.code,
            "sign_due": sign_due.isoformat(),
        },
    )


def do_reply(req, actor, *, text, at=None, expected_version=None):
    """答復: the unit's answer to the requester."""
    at = at or timezone.now()
    text = (text or "").strip()
    if not text:
        raise WorkflowError("a reply cannot be empty")
    with transaction.atomic():
        transition(req, "reply", actor, at=at, expected_version=expected_version, updates={"replied_at": at})
        Reply.objects.create(request=req, unit=req.unit, author=actor.user, text=text, created_at=at)
        Supervision.objects.filter(request=req, reason="reply_overdue", resolved_at__isnull=True).update(
            resolved_at=at
        )
    return req


def do_merge(req, actor, *, lead, note="", at=None, expected_version=None):
    """並單: ``req`` is a duplicate of ``lead``; it follows the lead from now on."""
    if lead.pk == req.pk:
        raise WorkflowError("a request cannot be merged into itself")
    if lead.merged_into_id:
        raise WorkflowError(f"{lead.reference} is itself merged into another request; merge into that one")
    if lead.kind == "report" or req.kind == "report":
        raise WorkflowError("misconduct reports are never merged with other requests")
    return transition(
        req,
        "merge",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates={"merged_into": lead},
        data={"lead": lead.reference},
    )


def do_reject(req, actor, *, note, at=None, expected_version=None):
    """不予受理: invalid, with a reason the requester can read."""
    at = at or timezone.now()
    return transition(
        req, "reject", actor, note=note, at=at, expected_version=expected_version, updates={"closed_at": at}
    )


# --- supervision (督辦) --------------------------------------------------------------------------


def raise_supervision(req: Request, reason: str, at: datetime, note: str = "") -> Supervision | None:
    """Open a supervision unless one for the same reason is already open. Returns the new one."""
    if Supervision.objects.filter(request=req, reason=reason, resolved_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            sup = Supervision.objects.create(
                request=req, unit=req.unit, reason=reason, created_at=at, note=note
            )
            _audit(
                req,
                Actor.system("deadline sweep"),
                "supervise",
                at,
                req.state,
                req.state,
                note,
                reason=reason,
            )
            return sup
    except IntegrityError:  # raised concurrently by another sweep
        return None


def _when(deadline: datetime | None) -> str:
    """The missed deadline in local time; the supervision's reason (translated in the UI) says which."""
    return f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}" if deadline else ""


def sweep_overdue(now: datetime | None = None) -> list[Supervision]:
    """Raise a supervision for every request past its sign or reply deadline. Safe to run repeatedly."""
    now = now or timezone.now()
    created = []
    unsigned = [State.DISPATCHED.value, State.TRANSFERRED.value, State.REOPENED.value]
    for req in Request.objects.filter(state__in=unsigned, sign_due__lt=now).select_related("unit"):
        sup = raise_supervision(req, "sign_overdue", now, _when(req.sign_due))
        created += [sup] if sup else []
    for req in Request.objects.filter(state=State.SIGNED.value, reply_due__lt=now).select_related("unit"):
        sup = raise_supervision(req, "reply_overdue", now, _when(req.reply_due))
        created += [sup] if sup else []
    return created
