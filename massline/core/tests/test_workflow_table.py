"""The transition table, exhaustively: every action from every state by every role."""

import itertools

import pytest

from massline.core import workflow as wf
from massline.core.workflow import BY_ACTION, TRANSITIONS, Role, State


def test_every_state_is_reachable_from_received():
    reached, frontier = {State.RECEIVED}, [State.RECEIVED]
    while frontier:
        s = frontier.pop()
        for t in TRANSITIONS:
            if s in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)


def test_terminal_states_have_no_way_out():
    for t in TRANSITIONS:
        assert not (t.sources & wf.TERMINAL), f"{t.action} leaves a terminal state"


def test_every_open_state_has_a_way_forward():
    for s in wf.OPEN:
        assert any(s in t.sources for t in TRANSITIONS), f"{s} is a dead end"


@pytest.mark.parametrize(
    "action,state,role", list(itertools.product(BY_ACTION, list(State), [r.value for r in Role]))
)
def test_check_transition_exhaustive(action, state, role):
    t = BY_ACTION[action]
    allowed_state = state in t.sources
    allowed_role = role in {r.value for r in t.roles}
    note = "a reason"
    if allowed_state and allowed_role:
        assert wf.check_transition(action, state, {role}, note) == t.target
        assert action in wf.allowed_actions(state, {role})
    else:
        expected = wf.InvalidTransition if not allowed_state else wf.NotPermitted
        with pytest.raises(expected) as err:
            wf.check_transition(action, state, {role}, note)
        assert str(err.value)  # a message a person can read
        assert action not in wf.allowed_actions(state, {role})


def test_invalid_transition_message_names_the_allowed_states():
    with pytest.raises(wf.InvalidTransition, match="allowed only from: signed"):
        wf.check_transition("reply", "received", {"unit_staff"})


@pytest.mark.parametrize("action", [t.action for t in TRANSITIONS if t.needs_note])
def test_actions_that_need_a_reason_refuse_a_blank_one(action):
    t = BY_ACTION[action]
    state = sorted(t.sources)[0]
    role = sorted(r.value for r in t.roles)[0]
    with pytest.raises(wf.NoteRequired):
        wf.check_transition(action, state, {role}, "   ")


def test_unknown_action_is_a_clear_error():
    with pytest.raises(wf.UnknownAction, match="unknown workflow action 'approve'"):
        wf.check_transition("approve", "received", {"admin"})


def test_table_renders_for_the_docs():
    md = wf.as_markdown()
    assert md.count("\n") == len(TRANSITIONS) + 1
    assert "| dispatch | 派單 | received, returned | dispatched |" in md


def test_the_architecture_doc_shows_the_table_as_declared():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert wf.as_markdown() in doc, "docs/architecture.md: paste massline.core.workflow.as_markdown() again"
