"""The action registry: every action a person takes on a request, keyed by the transition table.

The one road, whoever acts (the workbench, the REST API, the CLI)::

    caller ── parse input ──▶ perform(name, req, actor, ActionInput)
                                 ├─ spec.check(req, actor, inp)  → kwargs   (table, role, unit, version, input)
                                 └─ spec.do(req, actor, **kwargs)           (writes through transition())
                                        └─ transition(): lock, version, audit ─▶ RequestEvent to subscribers

Callers never pick the writer themselves and never re-check permissions: ``available()`` says what an actor
may offer, ``perform()`` does it or raises a ``WorkflowError`` that says why. The follow-up (回訪) lives in
the followup app, which registers it when Django starts (``FollowupConfig.ready``); a test checks that
every row of the table belongs to exactly one registered action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from massline.core.workflow import BY_ACTION, TRANSITIONS, UnknownAction, allowed_actions

from . import actions as wf
from .actions import ActionInput, Actor
from .models import Request


@dataclass(frozen=True)
class ActionSpec:
    name: str  # what callers say: a URL segment, a REST path, a CLI argument
    rows: tuple[str, ...]  # the rows of the transition table this action may apply
    label: Promise | str
    check: Callable[[Request, Actor, ActionInput], dict[str, Any]]
    do: Callable[..., Any]
    done: Callable[[Request], str]  # the confirmation shown to the person acting
    inputs: tuple[str, ...] = ()  # the ActionInput fields it reads besides version and time
    rank: int = 50  # display order on the workbench: the usual next step first


_REGISTRY: dict[str, ActionSpec] = {}
_BY_ROW: dict[str, str] = {}


def register(spec: ActionSpec) -> ActionSpec:
    unknown = [row for row in spec.rows if row not in BY_ACTION]
    if unknown:
        raise ValueError(f"{spec.name}: not rows of the transition table: {unknown}")
    taken = [row for row in spec.rows if _BY_ROW.get(row, spec.name) != spec.name]
    if taken:
        raise ValueError(f"{spec.name}: rows already registered by another action: {taken}")
    _REGISTRY[spec.name] = spec
    for row in spec.rows:
        _BY_ROW[row] = spec.name
    return spec


def registered() -> Mapping[str, ActionSpec]:
    return dict(_REGISTRY)


def uncovered_rows() -> list[str]:
    """Rows of the transition table that no registered action performs (must be empty)."""
    return [t.action for t in TRANSITIONS if t.action not in _BY_ROW]


def get(name: str) -> ActionSpec:
    spec = _REGISTRY.get(name)
    if spec is None:
        raise UnknownAction(name)
    return spec


def available(req: Request, actor_roles: frozenset[str]) -> list[str]:
    """Registered actions someone holding ``actor_roles`` may offer on ``req`` now, usual next step first.

    The unit scope and the input are checked when the action is performed."""
    names = {_BY_ROW[row] for row in allowed_actions(req.state, actor_roles, req.kind) if row in _BY_ROW}
    return sorted(names, key=lambda n: (_REGISTRY[n].rank, n))


def perform_as(user, name: str, req: Request, inp: ActionInput) -> str:
    """``perform`` as a signed-in staff user (``NotPermitted`` if the account holds no role)."""
    return perform(name, req, Actor.of(user), inp)


def perform(name: str, req: Request, actor: Actor, inp: ActionInput) -> str:
    """Check, then do, action ``name``; return the confirmation for the person acting.

    Raises ``UnknownAction``, ``NotPermitted``, ``ConflictError``, ``UnknownObject`` or another
    ``WorkflowError``; nothing is written then."""
    spec = get(name)
    kwargs = spec.check(req, actor, inp)
    spec.do(req, actor, **kwargs)
    return spec.done(req)


def _unit_name(req: Request) -> str:
    return req.unit.name if req.unit else "–"


for _spec in (
    ActionSpec(
        "sign",
        ("sign",),
        _("Sign for"),
        wf.check_sign,
        wf.do_sign,
        lambda r: gettext("Signed for. The reply deadline is running."),
        ("note",),
        10,
    ),
    ActionSpec(
        "reply",
        ("reply",),
        _("Reply"),
        wf.check_reply,
        wf.do_reply,
        lambda r: gettext("Reply sent."),
        ("text",),
        20,
    ),
    ActionSpec(
        "dispatch",
        ("dispatch",),
        _("Dispatch"),
        wf.check_dispatch,
        wf.do_dispatch,
        lambda r: gettext("Dispatched to %(unit)s.") % {"unit": _unit_name(r)},
        ("category", "unit", "accept_suggestion", "note"),
        30,
    ),
    ActionSpec(
        "transfer",
        ("transfer",),
        _("Transfer"),
        wf.check_transfer,
        wf.do_transfer,
        lambda r: gettext("Transferred to %(unit)s.") % {"unit": _unit_name(r)},
        ("unit", "note"),
        50,
    ),
    ActionSpec(
        "return",
        ("return",),
        _("Return"),
        wf.check_return,
        wf.do_return,
        lambda r: gettext("Returned to the dispatcher."),
        ("note",),
        60,
    ),
    ActionSpec(
        "merge",
        ("merge",),
        _("Merge into"),
        wf.check_merge,
        wf.do_merge,
        lambda r: (
            gettext("Merged into %(ref)s.") % {"ref": r.merged_into.reference if r.merged_into else "–"}
        ),
        ("lead", "note"),
        70,
    ),
    ActionSpec(
        "reject",
        ("reject",),
        _("Reject as invalid"),
        wf.check_reject,
        wf.do_reject,
        lambda r: gettext("Rejected as invalid."),
        ("note",),
        80,
    ),
    ActionSpec(
        "answer_on_call",
        ("answer_on_call",),
        _("Answer on the call"),
        wf.check_answer_on_call,
        wf.do_answer_on_call,
        lambda r: (
            gettext("Answered on the call: request %(ref)s is closed, resolved at first contact.")
            % {"ref": r.reference}
        ),
        ("text", "knowledge_answer"),
        85,
    ),
    # misconduct reports (舉報)
    ActionSpec(
        "accept",
        ("accept",),
        _("Accept the report"),
        wf.check_accept,
        wf.do_accept,
        lambda r: gettext("Report accepted. The answer deadline is running."),
        ("note",),
        10,
    ),
    ActionSpec(
        "investigate",
        ("investigate",),
        _("Open an investigation"),
        wf.check_investigate,
        wf.do_investigate,
        lambda r: gettext("Investigation opened."),
        ("note",),
        15,
    ),
    ActionSpec(
        "answer",
        ("answer",),
        _("Answer the reporter"),
        wf.check_answer,
        wf.do_answer,
        lambda r: gettext("Answer sent. The reporter reads it through their tracking link."),
        ("text",),
        20,
    ),
    ActionSpec(
        "conclude",
        ("conclude",),
        _("Conclude"),
        wf.check_conclude,
        wf.do_conclude,
        lambda r: gettext("The case is concluded."),
        ("note",),
        25,
    ),
    ActionSpec(
        "dismiss",
        ("dismiss",),
        _("Dismiss the report"),
        wf.check_dismiss,
        wf.do_dismiss,
        lambda r: gettext("The report is dismissed."),
        ("note",),
        90,
    ),
):
    register(_spec)
