"""The one road: the registry covers the whole table; check writes nothing; do publishes an event on commit;
supervisions end with their request; misconduct reports have their own steps."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from massline.core import workflow as core
from massline.core.workflow import ConflictError, InvalidTransition, NotPermitted, State, WorkflowError
from massline.workflow import actions as wf
from massline.workflow import audit, registry
from massline.workflow.actions import ActionInput
from massline.workflow.events import subscribe, unsubscribe
from massline.workflow.models import AuditEvent, Reply, Request, Supervision

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)

pytestmark = pytest.mark.django_db


def test_every_row_of_the_table_belongs_to_exactly_one_registered_action():
    assert registry.uncovered_rows() == []
    rows = [row for spec in registry.registered().values() for row in spec.rows]
    assert sorted(rows) == sorted(t.action for t in core.TRANSITIONS)
    # and every row has a declared audit payload
    assert {t.action for t in core.TRANSITIONS} <= set(audit.PAYLOADS)


def test_state_groups_come_from_the_table():
    assert core.AWAITING_SIGN == core.BY_ACTION["sign"].sources
    assert core.AWAITING_DISPATCH == {State.RECEIVED, State.RETURNED}
    assert State.REOPENED in core.AWAITING_SIGN and State.REOPENED not in core.NEW_FOR_UNIT
    assert State.MERGED not in core.LEAD_CANDIDATES and State.CLOSED in core.LEAD_CANDIDATES


def test_a_check_that_fails_writes_nothing(make_request, actors):
    req = make_request()
    events = AuditEvent.objects.count()
    with pytest.raises(WorkflowError, match="choose a category or a unit"):
        registry.perform("dispatch", req, actors["dispatcher"], ActionInput(expected_version=req.version))
    with pytest.raises(wf.UnknownObject, match="unknown unit code 'nowhere'"):
        registry.perform(
            "dispatch", req, actors["dispatcher"], ActionInput(unit="nowhere", expected_version=1)
        )
    with pytest.raises(ConflictError, match="you sent version 7"):
        registry.perform(
            "dispatch", req, actors["dispatcher"], ActionInput(unit="housing", expected_version=7)
        )
    with pytest.raises(NotPermitted):
        registry.perform("dispatch", req, actors["staff-housing"], ActionInput(unit="housing"))
    with pytest.raises(core.UnknownAction):
        registry.perform("approve", req, actors["admin"], ActionInput())
    assert AuditEvent.objects.count() == events
    assert Request.objects.get(pk=req.pk).state == State.RECEIVED


def test_the_whole_loop_through_the_registry(make_request, actors):
    req = make_request()
    say = registry.perform(
        "dispatch", req, actors["dispatcher"], ActionInput(unit="housing", expected_version=1)
    )
    assert "市住房和城乡建设局" in say and req.state == State.DISPATCHED
    assert registry.available(req, actors["staff-housing"].roles) == ["sign", "transfer", "return"]
    registry.perform("sign", req, actors["staff-housing"], ActionInput(expected_version=2))
    registry.perform("reply", req, actors["staff-housing"], ActionInput(text="已修复", expected_version=3))
    assert registry.available(req, actors["dispatcher"].roles) == ["follow_up"]
    registry.perform(
        "follow_up", req, wf.Actor.requester(), ActionInput(solved=True, satisfaction="satisfied")
    )
    assert Request.objects.get(pk=req.pk).state == State.CLOSED
    actions = list(AuditEvent.objects.filter(request=req).values_list("action", flat=True))
    assert actions == ["submit", "dispatch", "sign", "reply", "follow_up_solved"]


def test_subscribers_hear_only_of_committed_changes(make_request, actors):
    heard = []
    subscribe(heard.append)
    try:
        req = make_request()
        with pytest.raises(RuntimeError), transaction.atomic():
            wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
            raise RuntimeError("rolled back")
        assert heard == []
        req = Request.objects.get(pk=req.pk)
        with transaction.atomic():
            wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
            assert heard == []  # not before the commit
    finally:
        unsubscribe(heard.append)


def test_on_commit_delivery_carries_the_typed_payload(
    make_request, actors, django_capture_on_commit_callbacks
):
    heard = []
    broken_calls = []

    def broken(event):
        broken_calls.append(event)
        raise ValueError("a subscriber that fails")

    subscribe(broken)
    subscribe(heard.append)
    try:
        req = make_request()
        with django_capture_on_commit_callbacks(execute=True):
            wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
    finally:
        unsubscribe(broken)
        unsubscribe(heard.append)
    assert len(broken_calls) == 1  # the broken one ran, failed, and did not stop the next one
    (event,) = heard
    assert (event.action, event.from_state, event.to_state, event.reference) == (
        "dispatch",
        "received",
        "dispatched",
        req.reference,
    )
    assert event.data["unit"] == "housing" and event.data["sign_due"].startswith("2026-03-03")


def test_atomic_subscribers_write_in_the_same_transaction(make_request, actors):
    """An outbox writer runs inside the change's transaction: if it fails, the change is refused too;
    a submit is an event as well (the receipt hangs on it)."""
    seen = []

    def outbox(event):
        seen.append((event.action, event.audit_id))
        if event.action == "reject":
            raise RuntimeError("the outbox could not be written")

    subscribe(outbox, phase="atomic")
    try:
        req = make_request()
        assert seen[-1][0] == "submit" and seen[-1][1] == AuditEvent.objects.get(request=req).pk
        with pytest.raises(RuntimeError):
            wf.do_reject(req, actors["dispatcher"], note="无效")
        assert Request.objects.get(pk=req.pk).state == State.RECEIVED  # refused with its outbox
        assert not AuditEvent.objects.filter(request=req, action="reject").exists()
    finally:
        unsubscribe(outbox)


def test_a_malformed_audit_payload_is_refused(make_request, actors):
    req = make_request()
    with pytest.raises(ValueError, match="missing \\['lead'\\]"):
        audit.write_audit(req, actors["dispatcher"], "merge", MON, "received", "merged", "", {})


def test_supervisions_resolve_when_the_request_ends(make_request, actors, category):
    req = make_request()
    wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON)
    wf.do_sign(req, actors["staff-housing"], at=MON + timedelta(hours=1))
    late = MON + timedelta(days=30)
    (sup,) = wf.sweep_overdue(late)
    assert sup.reason == "reply_overdue"
    manual = Supervision.objects.create(request=req, unit=req.unit, reason="manual", created_at=late)
    wf.do_reply(req, actors["staff-housing"], text="已处理", at=late)
    assert Supervision.objects.get(pk=sup.pk).resolved_at == late  # the reply answers it
    assert Supervision.objects.get(pk=manual.pk).resolved_at is None  # a manual one stays open
    from massline.followup.actions import record_follow_up

    record_follow_up(
        req, wf.Actor.requester(), solved=True, satisfaction="basically", at=late + timedelta(days=1)
    )
    assert Supervision.objects.get(pk=manual.pk).resolved_at == late + timedelta(days=1)
    assert not Supervision.objects.filter(request__state=State.CLOSED, resolved_at__isnull=True).exists()


def test_a_misconduct_report_goes_through_its_own_steps(make_request, actors):
    report = make_request(text="某街道干部收受好处费,为违建开绿灯。", kind="report")
    assert report.sign_due is not None and report.reply_due is not None  # deadlines from arrival
    discipline = actors["discipline"]
    assert registry.available(report, discipline.roles) == ["accept", "dismiss"]
    assert registry.available(report, actors["admin"].roles) == []  # not even an admin
    with pytest.raises(NotPermitted, match="own workflow"):
        registry.perform("dispatch", report, actors["dispatcher"], ActionInput(unit="housing"))
    registry.perform("accept", report, discipline, ActionInput(expected_version=report.version))
    assert report.unit.code == "discipline" and report.state == State.SIGNED
    with pytest.raises(core.NoteRequired):
        registry.perform("investigate", report, discipline, ActionInput())
    registry.perform("investigate", report, discipline, ActionInput(note="立案:核查违建审批"))
    assert report.state == State.INVESTIGATING
    with pytest.raises(WorkflowError, match="cannot be empty"):
        registry.perform("answer", report, discipline, ActionInput(text="  "))
    registry.perform("answer", report, discipline, ActionInput(text="经查属实,已立案处理。"))
    assert Reply.objects.get(request=report).text == "经查属实,已立案处理。"
    with pytest.raises(InvalidTransition):
        registry.perform("investigate", report, discipline, ActionInput(note="again"))
    registry.perform("conclude", report, discipline, ActionInput(note="给予党内警告处分"))
    assert Request.objects.get(pk=report.pk).state == State.CLOSED
    steps = list(AuditEvent.objects.filter(request=report).values_list("action", flat=True))
    assert steps == ["submit", "accept", "investigate", "answer", "conclude"]


def test_overdue_reports_are_supervised_by_their_own_deadlines(make_request, actors):
    report = make_request(text="某局干部吃拿卡要。", kind="report")
    created = wf.sweep_overdue(MON + timedelta(days=2))
    assert [(s.request_id, s.reason) for s in created] == [(report.pk, "sign_overdue")]
    wf.do_accept(report, actors["discipline"], at=MON + timedelta(days=2))
    assert Supervision.objects.get(request=report).resolved_at is not None
    created = wf.sweep_overdue(MON + timedelta(days=40))
    assert [(s.request_id, s.reason) for s in created] == [(report.pk, "reply_overdue")]
