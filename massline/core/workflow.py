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


def _t(action, sources, target, roles, needs_note=False, en="", zh=""):
    return Transition(action, frozenset(sources), target, frozenset(roles), needs_note, en, zh)


S, R = State, Role
_D = {R.DISPATCHER, R.ADMIN}
_U = {R.UNIT_STAFF, R.ADMIN}
_F = {R.CITIZEN, R.DISPATCHER, R.SUPERVISOR, R.ADMIN}  # follow-up: the requester or an operator

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
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


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


def check_transition(action: str, state: str, roles: set[str] | frozenset[str], note: str = "") -> State:
    """Validate ``action`` from ``state`` by someone holding ``roles``; return the target state.

    Raises a ``WorkflowError`` subclass with a message fit for the person acting.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise UnknownAction(action)
    if State(state) not in transition.sources:
        raise InvalidTransition(action, state)
    if not (set(roles) & {r.value for r in transition.roles}):
        raise NotPermitted(f"{action} needs one of the roles: {', '.join(sorted(transition.roles))}")
    if transition.needs_note and not note.strip():
        raise NoteRequired(f"{action} needs a reason")
    return transition.target


def allowed_actions(state: str, roles: set[str] | frozenset[str]) -> list[str]:
    """The actions someone with ``roles`` may take on a request in ``state``, in table order."""
    return [
        t.action for t in TRANSITIONS if State(state) in t.sources and set(roles) & {r.value for r in t.roles}
    ]


def as_markdown() -> str:
    """The table rendered for docs/architecture.md."""
    lines = ["| action | 中文 | from | to | roles | reason needed |", "|---|---|---|---|---|---|"]
    for t in TRANSITIONS:
        lines.append(
            f"| {t.action} | {t.label_zh} | {', '.join(sorted(t.sources))} | {t.target} | "
            f"{', '.join(sorted(t.roles))} | {'yes' if t.needs_note else ''} |"
        )
    return "\n".join(lines)
