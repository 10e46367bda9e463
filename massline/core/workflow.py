"""The request workflow, declared once as a table.

Every state change of a Request is one row below: an action name, the states it may start from, the
state it leads to, and the roles allowed to perform it. Views, the API, importers and the CLI all go
through ``massline.workflow.actions``, which consults this table; nothing else decides what may happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    RECEIVED = "received"  # 已受理: waiting for a dispatcher (or auto-routing)
    DISPATCHED = "dispatched"  # 已派單: sent to a unit, waiting for it to sign
    SIGNED = "signed"  # 已簽收: the unit is working on it
    RETURNED = "returned"  # 已退單: the unit sent it back, with a reason, for the dispatcher
    TRANSFERRED = "transferred"  # 已轉派: moved to another unit, which must sign
    REPLIED = "replied"  # 已答復: the unit answered; waiting for the follow-up
    CLOSED = "closed"  # 已辦結: follow-up says solved (or the case was closed after follow-up)
    REOPENED = "reopened"  # 重辦: follow-up says unsolved; back to the same unit
    MERGED = "merged"  # 已並單: a duplicate joined under a lead request
    REJECTED = "rejected"  # 不予受理: invalid, with a reason
    INVESTIGATING = "investigating"  # 調查中: a misconduct report (舉報) under investigation


class Role(StrEnum):
    CITIZEN = "citizen"
    DISPATCHER = "dispatcher"
    UNIT_STAFF = "unit_staff"
    SUPERVISOR = "supervisor"
    DISCIPLINE = "discipline"
    ADMIN = "admin"


TERMINAL = frozenset({State.CLOSED, State.MERGED, State.REJECTED})
OPEN = frozenset(State) - TERMINAL


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]
    needs_note: bool = False  # a reason is compulsory (return, reject, transfer)
    label_en: str = ""
    label_zh: str = ""
    for_reports: bool = False  # a row of the misconduct-report (舉報) workflow, which no other kind takes


def _t(action, sources, target, roles, needs_note=False, en="", zh="", for_reports=False):
    return Transition(action, frozenset(sources), target, frozenset(roles), needs_note, en, zh, for_reports)


S, R = State, Role
_D = {R.DISPATCHER, R.ADMIN}
_U = {R.UNIT_STAFF, R.ADMIN}
_F = {R.CITIZEN, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}  # follow-up: the requester or an operator
_X = {R.DISCIPLINE}  # misconduct reports: not even an admin

TRANSITIONS: tuple[Transition, ...] = (
    _t("dispatch", {S.RECEIVED, S.RETURNED}, S.DISPATCHED, _D, en="Dispatch", zh="派單"),
    _t("sign", {S.DISPATCHED, S.TRANSFERRED, S.REOPENED}, S.SIGNED, _U, en="Sign for", zh="簽收"),
    _t("return", {S.DISPATCHED, S.TRANSFERRED}, S.RETURNED, _U, True, en="Return", zh="退單"),
    _t(
        "transfer",
        {S.DISPATCHED, S.SIGNED, S.REOPENED},
        S.TRANSFERRED,
        _U | _D,
        True,
        en="Transfer",
        zh="轉派",
    ),
    _t("reply", {S.SIGNED}, S.REPLIED, _U, en="Reply", zh="答復"),
    _t("follow_up_solved", {S.REPLIED}, S.CLOSED, _F, en="Solved", zh="回訪:已解決"),
    _t("follow_up_unsolved", {S.REPLIED}, S.REOPENED, _F, en="Unsolved", zh="回訪:未解決"),
    _t(
        "merge",
        {S.RECEIVED, S.DISPATCHED, S.SIGNED, S.RETURNED, S.TRANSFERRED, S.REOPENED},
        S.MERGED,
        _D,
        en="Merge into",
        zh="並單",
    ),
    _t("reject", {S.RECEIVED, S.RETURNED}, S.REJECTED, _D, True, en="Reject as invalid", zh="不予受理"),
    # 直接答復: the call-taker answers the caller on the spot (from the knowledge base) and the request ends
    # there, resolved at first contact (一次辦結); it never reaches a unit, so it has no follow-up.
    _t("answer_on_call", {S.RECEIVED}, S.CLOSED, _D, en="Answer on the call", zh="直接答復"),
    # Misconduct reports (舉報): the discipline role alone works them, through their own steps. A report
    # that reached a unit before this workflow existed (dispatched, transferred, returned) is taken on too.
    _t(
        "accept",
        {S.RECEIVED, S.DISPATCHED, S.TRANSFERRED, S.RETURNED, S.REOPENED},
        S.SIGNED,
        _X,
        en="Accept the report",
        zh="受理舉報",
        for_reports=True,
    ),
    _t(
        "investigate",
        {S.SIGNED},
        S.INVESTIGATING,
        _X,
        True,
        en="Open an investigation",
        zh="立案調查",
        for_reports=True,
    ),
    _t(
        "answer",
        {S.SIGNED, S.INVESTIGATING},
        S.REPLIED,
        _X,
        en="Answer the reporter",
        zh="答復舉報人",
        for_reports=True,
    ),
    _t("conclude", {S.REPLIED}, S.CLOSED, _X, True, en="Conclude", zh="辦結", for_reports=True),
    _t(
        "dismiss",
        {S.RECEIVED, S.DISPATCHED, S.TRANSFERRED, S.RETURNED, S.REOPENED, S.SIGNED},
        S.REJECTED,
        _X,
        True,
        en="Dismiss the report",
        zh="不予立案",
        for_reports=True,
    ),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
REPORT_KIND = "report"
# 一次辦結 (resolved at first contact): a request that this row closed. The one rule: the 一次辦結率
# (massline.followup.metrics.first_contact_rates) counts requests with an audit event of this action.
FIRST_CONTACT_ACTION = "answer_on_call"


def _sources(*actions: str) -> frozenset[State]:
    return frozenset().union(*(BY_ACTION[a].sources for a in actions))


# State groups, derived from the table: every queue, countdown, sweep and filter reads these.
AWAITING_DISPATCH = _sources("dispatch")  # the dispatcher queue: received or returned
AWAITING_SIGN = _sources("sign")  # a unit must sign: the sign deadline runs
AWAITING_REPLY = _sources("reply")  # signed for: the reply deadline runs
AWAITING_FOLLOW_UP = _sources("follow_up_solved", "follow_up_unsolved")  # replied: 回訪 pending
NEW_FOR_UNIT = AWAITING_SIGN - {BY_ACTION["follow_up_unsolved"].target}  # new to a unit (not reopened)
# A request can lead a merge unless it has itself ended as a duplicate or an invalid request.
LEAD_CANDIDATES = frozenset(State) - {BY_ACTION["merge"].target, BY_ACTION["reject"].target}
# Hand-overs: the rows that give a request to a unit, which must then sign (三率 counts each one; the
# unit's staff hear of new work): dispatch, transfer, and reopening after an unsolved follow-up.
HANDOVERS = tuple(t.action for t in TRANSITIONS if t.target in AWAITING_SIGN and not t.for_reports)
# Misconduct reports: accepted (the answer deadline runs) and not yet answered.
REPORT_AWAITING_ACCEPT = _sources("accept")
REPORT_AWAITING_ANSWER = _sources("answer")


def applies_to(transition: Transition, kind: str | None) -> bool:
    """Whether a row applies to a request of ``kind`` (None: any, as in the exhaustive table test)."""
    return kind is None or transition.for_reports == (kind == REPORT_KIND)


class WorkflowError(Exception):
    """Base class of the workflow's domain errors. Its message is meant for the person acting."""


class InvalidTransition(WorkflowError):
    def __init__(self, action: str, state: str):
        allowed = sorted(s.value for s in BY_ACTION[action].sources) if action in BY_ACTION else []
        super().__init__(
            f"cannot {action} a request that is {state}"
            + (f"; {action} is allowed only from: {', '.join(allowed)}" if allowed else "")
        )
        self.action, self.state = action, state


class UnknownAction(WorkflowError):
    def __init__(self, action: str):
        super().__init__(f"unknown workflow action {action!r}; known: {', '.join(BY_ACTION)}")


class NotPermitted(WorkflowError):
    pass


class NoteRequired(WorkflowError):
    pass


class ConflictError(WorkflowError):
    """Someone else changed the request first. Reload and try again."""


def check_transition(
    action: str, state: str, roles: set[str] | frozenset[str], note: str = "", kind: str | None = None
) -> State:
    """Validate ``action`` from ``state`` by someone holding ``roles``; return the target state.

    ``kind`` is the request's kind: misconduct reports take only their own rows, other kinds only theirs.
    Raises a ``WorkflowError`` subclass with a message fit for the person acting.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise UnknownAction(action)
    if not applies_to(transition, kind):
        raise NotPermitted(
            f"{action} is a step of the misconduct-report workflow"
            if transition.for_reports
            else f"misconduct reports follow their own workflow; {action} does not apply to them"
        )
    if State(state) not in transition.sources:
        raise InvalidTransition(action, state)
    if not (set(roles) & {r.value for r in transition.roles}):
        raise NotPermitted(f"{action} needs one of the roles: {', '.join(sorted(transition.roles))}")
    if transition.needs_note and not note.strip():
        raise NoteRequired(f"{action} needs a reason")
    return transition.target


def allowed_actions(state: str, roles: set[str] | frozenset[str], kind: str | None = None) -> list[str]:
    """The actions someone with ``roles`` may take on a request of ``kind`` in ``state``, in table order."""
    return [
        t.action
        for t in TRANSITIONS
        if State(state) in t.sources and set(roles) & {r.value for r in t.roles} and applies_to(t, kind)
    ]


def as_markdown() -> str:
    """The table rendered for docs/architecture.md."""
    lines = [
        "| action | 中文 | from | to | roles | reason needed | applies to |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        lines.append(
            f"| {t.action} | {t.label_zh} | {', '.join(sorted(t.sources))} | {t.target} | "
            f"{', '.join(sorted(t.roles))} | {'yes' if t.needs_note else ''} | "
            f"{'misconduct reports' if t.for_reports else 'other kinds'} |"
        )
    return "\n".join(lines)
