"""The only code that changes requests. Each action is atomic, checks the transition table, takes an
optimistic lock on the request's version, appends an audit event and, on commit, publishes an event.

Each action comes in two halves (the Zulip ``zerver/actions`` pattern):

- ``check_<action>(req, actor, inp)`` validates what a caller sent (codes, not objects), including the
  transition table, the actor's roles and unit, and the version the caller saw. It returns the keyword
  arguments of ``do_<action>`` and writes nothing.
- ``do_<action>(req, actor, **kwargs)`` writes through ``transition()``. Importers, the demo and tasks call it
  directly with objects they already trust; people's requests come through ``registry.perform``.

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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from massline.accounts.permissions import roles_of, unit_of, visible_requests
from massline.core import deadlines as core_deadlines
from massline.core.routing import RoutingRule as CoreRule
from massline.core.routing import route
from massline.core.text.normalize import normalize_for_analysis
from massline.core.workflow import (
    AWAITING_REPLY,
    AWAITING_SIGN,
    BY_ACTION,
    REPORT_AWAITING_ACCEPT,
    REPORT_AWAITING_ANSWER,
    REPORT_KIND,
    TERMINAL,
    ConflictError,
    NotPermitted,
    Role,
    State,
    WorkflowError,
    check_transition,
)

from . import audit
from .models import (
    CalendarDay,
    Category,
    DeadlineRule,
    Reply,
    Request,
    RoutingRule,
    Supervision,
    Unit,
)

__all__ = ["ActionInput", "Actor", "ConflictError", "UnknownObject", "WorkflowError"]


class UnknownObject(WorkflowError):
    """A code or reference the caller sent names nothing (or nothing this actor may see)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ActionInput:
    """What any caller (a workbench form, a REST body, the CLI) may send with an action: plain values and
    codes, never model objects. Each ``check_*`` reads the fields its action needs."""

    note: str = ""
    text: str = ""  # reply, answer
    unit: str = ""  # unit code: dispatch to, transfer to
    category: str = ""  # category code: dispatch
    accept_suggestion: bool = False  # dispatch with the suggested category
    lead: str = ""  # reference of the lead request: merge
    solved: bool | None = None  # follow-up
    satisfaction: str = ""  # follow-up
    comment: str = ""  # follow-up
    expected_version: int | None = None  # the version the caller saw
    at: datetime | None = None
    knowledge_answer: str = ""  # answer_on_call: the id of the knowledge-base answer it started from

    @classmethod
    def from_form(cls, post) -> ActionInput:
        """A posted form (the workbench's action forms use these field names). A missing or malformed
        ``version`` is refused: the form must say which version the person saw."""
        version = str(post.get("version", ""))
        if not version.isdigit():
            raise WorkflowError(gettext("The form is missing the request's version; reload the page."))
        return cls(
            note=post.get("note", ""),
            text=post.get("text", ""),
            unit=post.get("unit", ""),
            category=post.get("category", ""),
            accept_suggestion=bool(post.get("accept")),
            lead=post.get("lead", ""),
            solved={"yes": True, "no": False}.get(post.get("solved", "")),
            satisfaction=post.get("satisfaction", ""),
            comment=post.get("comment", ""),
            expected_version=int(version),
            knowledge_answer=post.get("knowledge_answer", ""),
        )


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


def transition(
    req: Request,
    action: str,
    actor: Actor,
    *,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
    updates: dict | None = None,
    data: Any = None,
) -> Request:
    """Apply one row of the transition table to ``req``. Raises WorkflowError; changes nothing then.

    Locks (optimistically, on the version), bumps the version, resolves the supervisions that the change
    answers, and audits; the audit writer publishes the ``RequestEvent`` (see ``workflow.events``)."""
    at = at or timezone.now()
    expected = req.version if expected_version is None else expected_version
    from_state = req.state
    target = check_transition(action, from_state, actor.roles, note, req.kind)
    check_unit_scope(req, actor, action)
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
        _resolve_answered_supervisions(req, action, target, at)
        audit.write_audit(req, actor, action, at, from_state, target.value, note, data)  # and publishes
    return req


# A supervision is answered when the deadline it is about is met, and always when the request ends.
_ANSWERS = {
    "sign": ("sign_overdue",),
    "accept": ("sign_overdue",),
    "reply": ("reply_overdue",),
    "answer": ("reply_overdue",),
}


def _resolve_answered_supervisions(req: Request, action: str, target: State, at: datetime) -> None:
    open_ones = Supervision.objects.filter(request=req, resolved_at__isnull=True)
    if target in TERMINAL:
        open_ones.update(resolved_at=at)
    elif action in _ANSWERS:
        open_ones.filter(reason__in=_ANSWERS[action]).update(resolved_at=at)


# --- checks shared by every action ----------------------------------------------------------------


def check_unit_scope(req: Request, actor: Actor, action: str) -> None:
    """Unit staff act only on requests owned by their unit (or a unit below it)."""
    transition = BY_ACTION[action]
    privileged = actor.roles & ({r.value for r in transition.roles} - {Role.UNIT_STAFF.value})
    if privileged:
        return
    if Role.UNIT_STAFF.value in actor.roles:
        if actor.unit is None or req.unit is None or not req.unit.is_within(actor.unit):
            raise NotPermitted("this request belongs to another unit")


def check_allowed(req: Request, actor: Actor, action: str, inp: ActionInput, note: str = "") -> None:
    """The common half of every check: the version the caller saw, the table (state, role, kind, reason)
    and the actor's unit."""
    if inp.expected_version is not None and inp.expected_version != req.version:
        raise ConflictError(
            f"request {req.reference} was changed by someone else (it is now {req.state}, version "
            f"{req.version}; you sent version {inp.expected_version}); reload it and try again"
        )
    check_transition(action, req.state, actor.roles, note, req.kind)
    check_unit_scope(req, actor, action)


def _unit_by_code(code: str, what: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first() if code.strip() else None
    if unit is None:
        raise UnknownObject(f"unknown unit code {code!r} ({what})", "unknown_unit")
    return unit


def _common(inp: ActionInput) -> dict[str, Any]:
    return {"note": inp.note.strip(), "at": inp.at, "expected_version": inp.expected_version}


# --- the actions, one per row of the table: check_* then do_* --------------------------------------


def check_dispatch(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "dispatch", inp, inp.note)
    category = None
    if inp.category.strip():
        category = Category.objects.filter(code=inp.category.strip()).first()
        if category is None:
            raise UnknownObject(f"unknown category code {inp.category!r}", "unknown_category")
    elif inp.accept_suggestion:
        category = req.suggested_category
    unit = _unit_by_code(inp.unit, "dispatch") if inp.unit.strip() else None
    if category is None and unit is None:
        raise WorkflowError("choose a category or a unit to dispatch to")
    return {**_common(inp), "unit": unit, "category": category}


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
    payload: audit.DispatchData = {
        "unit": unit.code,
        "category": category.code if category else None,
        "sign_due": sign_due.isoformat(),
    }
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
        data=payload,
    )


def check_sign(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "sign", inp, inp.note)
    return _common(inp)


def do_sign(req, actor, *, note="", at=None, expected_version=None):
    """簽收: the unit takes the request on (its sign-overdue supervision is answered)."""
    at = at or timezone.now()
    return transition(
        req, "sign", actor, note=note, at=at, expected_version=expected_version, updates={"signed_at": at}
    )


def check_return(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "return", inp, inp.note)
    return _common(inp)


def do_return(req, actor, *, note, at=None, expected_version=None):
    """退單: back to the dispatcher, with a reason."""
    payload: audit.ReturnData = {"unit": req.unit.code if req.unit else None}
    return transition(req, "return", actor, note=note, at=at, expected_version=expected_version, data=payload)


def check_transfer(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "transfer", inp, inp.note)
    if not inp.unit.strip():
        raise WorkflowError("choose the unit to transfer to")
    to_unit = _unit_by_code(inp.unit, "transfer")
    if req.unit_id == to_unit.pk:
        raise WorkflowError("the request is already with that unit")
    return {**_common(inp), "to_unit": to_unit}


def do_transfer(req, actor, *, to_unit, note, at=None, expected_version=None):
    """轉派: to another unit, which must sign; the sign deadline restarts."""
    at = at or timezone.now()
    if req.unit_id == to_unit.pk:
        raise WorkflowError("the request is already with that unit")
    sign_due, _ = compute_deadlines(req, at)
    payload: audit.TransferData = {
        "from_unit": req.unit.code if req.unit else None,
        "unit": to_unit.code,
        "sign_due": sign_due.isoformat(),
    }
    return transition(
        req,
        "transfer",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates={"unit": to_unit, "sign_due": sign_due, "dispatched_at": at, "signed_at": None},
        data=payload,
    )


_EMPTY_TEXT = {"reply": "a reply cannot be empty", "answer": "the answer to the reporter cannot be empty"}


def _check_text_action(action: str, req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, action, inp)
    if not inp.text.strip():
        raise WorkflowError(_EMPTY_TEXT[action])
    common = _common(inp)
    common.pop("note")
    return {**common, "text": inp.text}


def _write_answer(action: str, req, actor, text, at, expected_version):
    """A reply (or a report's answer): the text, then the transition, in one transaction, so that the
    event's subscribers can read the text; nothing is written when the table refuses."""
    at = at or timezone.now()
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_EMPTY_TEXT[action])
    check_transition(action, req.state, actor.roles, "", req.kind)  # before writing anything
    check_unit_scope(req, actor, action)
    with transaction.atomic():
        Reply.objects.create(request=req, unit=req.unit, author=actor.user, text=text, created_at=at)
        transition(req, action, actor, at=at, expected_version=expected_version, updates={"replied_at": at})
    return req


def check_reply(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    return _check_text_action("reply", req, actor, inp)


def do_reply(req, actor, *, text, at=None, expected_version=None):
    """答復: the unit's answer to the requester (its reply-overdue supervision is answered)."""
    return _write_answer("reply", req, actor, text, at, expected_version)


def check_merge(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "merge", inp, inp.note)
    ref = inp.lead.strip()
    if not ref:
        raise WorkflowError("merge needs the lead request: give its reference")
    leads = Request.objects.filter(reference=ref)
    lead = (visible_requests(actor.user, leads) if actor.user is not None else leads).first()
    if lead is None:
        raise UnknownObject(f"no request with the reference {ref}", "not_found")
    _check_merge_pair(req, lead)
    return {**_common(inp), "lead": lead}


def _check_merge_pair(req, lead) -> None:
    if lead.pk == req.pk:
        raise WorkflowError("a request cannot be merged into itself")
    if lead.merged_into_id:
        raise WorkflowError(f"{lead.reference} is itself merged into another request; merge into that one")
    if lead.kind == REPORT_KIND or req.kind == REPORT_KIND:
        raise WorkflowError("misconduct reports are never merged with other requests")


def do_merge(req, actor, *, lead, note="", at=None, expected_version=None):
    """並單: ``req`` is a duplicate of ``lead``; it follows the lead from now on."""
    _check_merge_pair(req, lead)
    payload: audit.MergeData = {"lead": lead.reference}
    return transition(
        req,
        "merge",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates={"merged_into": lead},
        data=payload,
    )


def check_reject(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "reject", inp, inp.note)
    return _common(inp)


def do_reject(req, actor, *, note, at=None, expected_version=None):
    """不予受理: invalid, with a reason the requester can read."""
    at = at or timezone.now()
    return transition(
        req, "reject", actor, note=note, at=at, expected_version=expected_version, updates={"closed_at": at}
    )


# --- misconduct reports (舉報): the discipline role's own steps -------------------------------------


def check_accept(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "accept", inp, inp.note)
    if actor.unit is None and req.unit is None:
        raise WorkflowError("this account belongs to no unit: give it the discipline office's unit first")
    return _common(inp)


def do_accept(req, actor, *, note="", at=None, expected_version=None):
    """受理舉報: the discipline office takes the report on; the answer deadline runs from arrival."""
    at = at or timezone.now()
    unit = actor.unit or req.unit
    _, reply_due = compute_deadlines(req, req.received_at)
    payload: audit.AcceptData = {"unit": unit.code if unit else None, "reply_due": reply_due.isoformat()}
    return transition(
        req,
        "accept",
        actor,
        note=note,
        at=at,
        expected_version=expected_version,
        updates={"unit": unit, "signed_at": at, "reply_due": reply_due},
        data=payload,
    )


def check_investigate(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "investigate", inp, inp.note)
    return _common(inp)


def do_investigate(req, actor, *, note, at=None, expected_version=None):
    """立案調查: the report is under investigation (the reason names what is investigated)."""
    return transition(req, "investigate", actor, note=note, at=at, expected_version=expected_version)


def check_answer(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    return _check_text_action("answer", req, actor, inp)


def do_answer(req, actor, *, text, at=None, expected_version=None):
    """答復舉報人: the answer the reporter reads through their private tracking link (never published)."""
    return _write_answer("answer", req, actor, text, at, expected_version)


def check_conclude(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "conclude", inp, inp.note)
    return _common(inp)


def do_conclude(req, actor, *, note, at=None, expected_version=None):
    """辦結: the case is closed, with the finding."""
    at = at or timezone.now()
    return transition(
        req, "conclude", actor, note=note, at=at, expected_version=expected_version, updates={"closed_at": at}
    )


def check_dismiss(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "dismiss", inp, inp.note)
    return _common(inp)


def do_dismiss(req, actor, *, note, at=None, expected_version=None):
    """不予立案: the report is not taken up, with the reason."""
    at = at or timezone.now()
    return transition(
        req, "dismiss", actor, note=note, at=at, expected_version=expected_version, updates={"closed_at": at}
    )


# --- answered on the call (直接答復, 一次辦結) ----------------------------------------------------------


def hotline_unit(actor: Actor) -> Unit | None:
    """The unit that answers on the call: the call-taker's own, else the root of the unit tree (the
    hotline centre, e.g. "A市12345市民服務熱線")."""
    return actor.unit or Unit.objects.filter(parent__isnull=True).order_by("path").first()


def check_answer_on_call(req: Request, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    check_allowed(req, actor, "answer_on_call", inp)
    if not inp.text.strip():
        raise WorkflowError(gettext("The answer read to the caller cannot be empty."))
    source = inp.knowledge_answer.strip()
    if source and not source.isdigit():
        raise WorkflowError(gettext("The knowledge answer was not recognised; pick it again."))
    common = _common(inp)
    common.pop("note")
    return {**common, "text": inp.text, "knowledge_answer": int(source) if source else None}


def do_answer_on_call(req, actor, *, text, knowledge_answer=None, at=None, expected_version=None):
    """直接答復: the call-taker answered the caller during the call; the request is closed at once, resolved
    at first contact (一次辦結). The answer is kept as the request's reply, written by the hotline centre."""
    at = at or timezone.now()
    text = (text or "").strip()
    if not text:
        raise WorkflowError(gettext("The answer read to the caller cannot be empty."))
    check_transition("answer_on_call", req.state, actor.roles, "", req.kind)  # before writing anything
    unit = hotline_unit(actor)
    if unit is None:
        raise WorkflowError("there is no unit to answer for: create the hotline centre's unit first")
    payload: audit.AnswerOnCallData = {"unit": unit.code, "knowledge_answer": knowledge_answer}
    with transaction.atomic():
        Reply.objects.create(request=req, unit=unit, author=actor.user, text=text, created_at=at)
        transition(
            req,
            "answer_on_call",
            actor,
            at=at,
            expected_version=expected_version,
            updates={"unit": unit, "replied_at": at, "closed_at": at},
            data=payload,
        )
    return req


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
            payload: audit.SuperviseData = {"reason": reason}
            audit.write_audit(
                req, Actor.system("deadline sweep"), "supervise", at, req.state, req.state, note, payload
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
    for which, deadline in (("sign", "sign_due"), ("reply", "reply_due")):
        for req in Request.objects.filter(overdue_q(now, which)).select_related("unit").order_by("pk"):
            sup = raise_supervision(req, f"{which}_overdue", now, _when(getattr(req, deadline)))
            created += [sup] if sup else []
    return created


def overdue_q(now: datetime, which: str = "") -> Q:
    """The one rule of lateness: requests past the deadline they are racing against now. ``which`` is
    "sign" (a unit must sign; a report must be accepted), "reply" (a reply or a report's answer is due)
    or "" for both. The sweep, the unit queue's overdue tab and the supervision board all read it."""
    report = Q(kind=REPORT_KIND)
    sign = (~report & Q(state__in=[s.value for s in AWAITING_SIGN], sign_due__lt=now)) | (
        report & Q(state__in=[s.value for s in REPORT_AWAITING_ACCEPT], sign_due__lt=now)
    )
    reply = (~report & Q(state__in=[s.value for s in AWAITING_REPLY], reply_due__lt=now)) | (
        report & Q(state__in=[s.value for s in REPORT_AWAITING_ANSWER], reply_due__lt=now)
    )
    return sign if which == "sign" else reply if which == "reply" else sign | reply
