"""The request loop through the real actions, on the real database (SQLite here, PostgreSQL in CI)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.core.workflow import (
    ConflictError,
    InvalidTransition,
    NoteRequired,
    NotPermitted,
    State,
    WorkflowError,
)
from massline.followup.actions import record_follow_up
from massline.workflow import actions as wf
from massline.workflow.models import AuditEvent, Request, Supervision

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)

pytestmark = pytest.mark.django_db


def test_the_whole_loop_leaves_a_complete_audit_trail(make_request, actors, category, city):
    req = make_request()
    assert req.state == State.RECEIVED and req.reference and len(req.tracking_token) >= 20
    wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON + timedelta(hours=1))
    assert req.unit == city["housing"]
    assert req.sign_due == MON + timedelta(hours=25)  # 24 h from dispatch
    assert req.reply_due == datetime(2026, 3, 11, 11, 0, tzinfo=SH)  # 7 working days
    staff = actors["staff-housing"]
    wf.do_sign(req, staff, at=MON + timedelta(hours=2))
    wf.do_reply(req, staff, text="已安排维修,三天内完成。", at=MON + timedelta(days=1))
    record_follow_up(
        req, wf.Actor.requester(), solved=False, satisfaction="dissatisfied", at=MON + timedelta(days=2)
    )
    req.refresh_from_db()
    assert req.state == State.REOPENED and req.unit == city["housing"] and req.reopen_count == 1
    wf.do_sign(req, staff, at=MON + timedelta(days=2, hours=1))
    wf.do_reply(req, staff, text="路灯已修复。", at=MON + timedelta(days=3))
    record_follow_up(
        req, wf.Actor.requester(), solved=True, satisfaction="satisfied", at=MON + timedelta(days=4)
    )
    req.refresh_from_db()
    assert req.state == State.CLOSED and req.closed_at == MON + timedelta(days=4)
    trail = list(AuditEvent.objects.filter(request=req).values_list("action", "from_state", "to_state"))
    assert trail == [
        ("submit", "", "received"),
        ("dispatch", "received", "dispatched"),
        ("sign", "dispatched", "signed"),
        ("reply", "signed", "replied"),
        ("follow_up_unsolved", "replied", "reopened"),
        ("sign", "reopened", "signed"),
        ("reply", "signed", "replied"),
        ("follow_up_solved", "replied", "closed"),
    ]
    unsolved = AuditEvent.objects.get(request=req, action="follow_up_unsolved")
    assert unsolved.data["satisfaction"] == "dissatisfied" and unsolved.actor_label == "requester"
    assert req.replies.count() == 2 and req.followups.count() == 2


def test_invalid_transition_raises_and_changes_nothing(make_request, actors):
    req = make_request()
    before = (req.state, req.version, AuditEvent.objects.count())
    with pytest.raises(InvalidTransition, match="cannot reply a request that is received"):
        wf.do_reply(req, actors["staff-housing"], text="x")
    req.refresh_from_db()
    assert (req.state, req.version, AuditEvent.objects.count()) == before
    assert not req.replies.exists()


def test_return_needs_a_reason_and_goes_back_to_the_dispatcher(make_request, actors, category):
    req = make_request()
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    with pytest.raises(NoteRequired):
        wf.do_return(req, actors["staff-housing"], note=" ")
    wf.do_return(req, actors["staff-housing"], note="不屬本單位職責")
    assert Request.objects.get(pk=req.pk).state == State.RETURNED
    assert AuditEvent.objects.filter(request=req, action="return", note="不屬本單位職責").exists()


def test_unit_staff_cannot_act_on_another_units_request(make_request, actors, category):
    req = make_request()
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    with pytest.raises(NotPermitted, match="another unit"):
        wf.do_sign(req, actors["staff-edu"])
    with pytest.raises(NotPermitted):
        wf.do_dispatch(make_request(), actors["staff-edu"], category=category)


def test_transfer_moves_the_request_and_restarts_the_sign_clock(make_request, actors, category, city):
    req = make_request()
    wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON)
    wf.do_transfer(
        req, actors["staff-housing"], to_unit=city["a3"], note="屬A3區管轄", at=MON + timedelta(hours=3)
    )
    req.refresh_from_db()
    assert req.state == State.TRANSFERRED and req.unit == city["a3"]
    assert req.sign_due == MON + timedelta(hours=27)
    wf.do_sign(req, actors["staff-a3"])
    with pytest.raises(WorkflowError, match="already with that unit"):
        wf.do_transfer(req, actors["staff-a3"], to_unit=city["a3"], note="x")


def test_merge_and_reject(make_request, actors):
    lead, dup, junk = make_request(), make_request(), make_request(text="測試測試")
    wf.do_merge(dup, actors["dispatcher"], lead=lead)
    assert Request.objects.get(pk=dup.pk).merged_into == lead
    with pytest.raises(WorkflowError, match="itself"):
        wf.do_merge(lead, actors["dispatcher"], lead=lead)
    wf.do_reject(junk, actors["dispatcher"], note="內容無效")
    assert Request.objects.get(pk=junk.pk).state == State.REJECTED


def test_stale_version_is_a_conflict(make_request, actors, category):
    """Two dispatchers opened the same request; the second to act gets a conflict."""
    req = make_request()
    seen_by_b = Request.objects.get(pk=req.pk)
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    with pytest.raises(ConflictError, match="changed by someone else"):
        wf.do_reject(seen_by_b, actors["admin"], note="重複")
    seen_by_b.refresh_from_db()
    assert seen_by_b.state == State.DISPATCHED
    assert AuditEvent.objects.filter(request=req).count() == 2  # submit + dispatch, no reject


def test_audit_events_are_append_only(make_request):
    event = AuditEvent.objects.filter(request=make_request()).first()
    event.note = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_overdue_requests_raise_one_supervision_each(make_request, actors, category):
    late_sign, late_reply = make_request(), make_request()
    wf.do_dispatch(late_sign, actors["dispatcher"], category=category, at=MON)
    wf.do_dispatch(late_reply, actors["dispatcher"], category=category, at=MON)
    wf.do_sign(late_reply, actors["staff-housing"], at=MON + timedelta(hours=1))
    now = MON + timedelta(days=20)
    created = wf.sweep_overdue(now)
    assert sorted(s.reason for s in created) == ["reply_overdue", "sign_overdue"]
    assert wf.sweep_overdue(now) == []  # idempotent
    wf.do_sign(late_sign, actors["staff-housing"], at=now)
    assert Supervision.objects.get(request=late_sign).resolved_at == now


def test_repeated_reopening_is_supervised(make_request, actors, category):
    req = make_request()
    staff = actors["staff-housing"]
    wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON)
    for i in range(2):
        wf.do_sign(req, staff, at=MON + timedelta(days=i, hours=1))
        wf.do_reply(req, staff, text="已處理", at=MON + timedelta(days=i, hours=2))
        record_follow_up(
            req,
            wf.Actor.requester(),
            solved=False,
            satisfaction="dissatisfied",
            at=MON + timedelta(days=i, hours=3),
        )
    assert Supervision.objects.filter(request=req, reason="reopened").count() == 1


def test_follow_up_validates_satisfaction(make_request, actors, category):
    req = make_request()
    with pytest.raises(WorkflowError, match="satisfied"):
        record_follow_up(req, wf.Actor.requester(), solved=True, satisfaction="great")
