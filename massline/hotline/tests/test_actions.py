"""Answering on the call (直接答復): the workflow action, its audit, the 一次辦結率; taking a call; the
knowledge base; finding a request by reference and phone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from massline.core.workflow import InvalidTransition, NotPermitted, State, WorkflowError
from massline.followup.metrics import first_contact_rates
from massline.hotline import actions
from massline.hotline.queries import caller_history, search_answers
from massline.notify.models import Message
from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.actions import ActionInput
from massline.workflow.models import AuditEvent, Reply, Request

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
ANSWER = "居住证续签请携带身份证到户籍所在地派出所办理，工作日受理。"


def test_answer_on_call_closes_a_received_request_with_the_answer_as_reply(make_request, actors):
    req = make_request("请问居住证到期了怎么续签？", kind="inquiry", channel="hotline")
    say = registry.perform(
        "answer_on_call",
        req,
        actors["dispatcher"],
        ActionInput(text=ANSWER, knowledge_answer="7", expected_version=1),
    )
    req = Request.objects.get(pk=req.pk)
    assert req.state == State.CLOSED and req.closed_at and req.replied_at
    assert req.reference in say
    (reply,) = Reply.objects.filter(request=req)
    assert reply.text == ANSWER and reply.unit.code == "city"  # the hotline centre answered
    event = AuditEvent.objects.get(request=req, action="answer_on_call")
    assert (event.from_state, event.to_state) == ("received", "closed")
    assert event.data == {"unit": "city", "knowledge_answer": 7}


def test_answer_on_call_is_refused_where_the_table_says_so(make_request, actors, city):
    req = make_request(kind="inquiry", channel="hotline")
    with pytest.raises(NotPermitted):
        registry.perform("answer_on_call", req, actors["staff-housing"], ActionInput(text=ANSWER))
    with pytest.raises(WorkflowError, match="cannot be empty|不能为空|不能為空"):
        registry.perform("answer_on_call", req, actors["dispatcher"], ActionInput(text="  "))
    wf.do_dispatch(req, actors["dispatcher"], unit=city["housing"])
    with pytest.raises(InvalidTransition):
        registry.perform("answer_on_call", req, actors["dispatcher"], ActionInput(text=ANSWER))
    report = make_request("某局长收受贿赂", kind="report")
    with pytest.raises(NotPermitted):
        registry.perform("answer_on_call", report, actors["dispatcher"], ActionInput(text=ANSWER))
    assert not Reply.objects.filter(request__in=[req, report]).exists()
    assert not AuditEvent.objects.filter(action="answer_on_call").exists()


def test_the_first_contact_rate_counts_hotline_requests_answered_on_the_call(make_request, actors):
    march = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
    answered = make_request("社保卡丢了怎么补办？", kind="inquiry", channel="hotline", at=march)
    make_request("路灯坏了", channel="hotline", at=march)
    make_request("网上提交的咨询", kind="inquiry", channel="web", at=march)  # not a hotline request
    make_request("四月的来电", channel="hotline", at=datetime(2026, 4, 1, 9, 0, tzinfo=SH))
    wf.do_answer_on_call(answered, actors["dispatcher"], text=ANSWER)
    rows = {r.month: r for r in first_contact_rates()}
    assert (rows["2026-03"].received, rows["2026-03"].answered, rows["2026-03"].rate) == (2, 1, 0.5)
    assert (rows["2026-04"].received, rows["2026-04"].answered, rows["2026-04"].rate) == (1, 0, 0.0)


def test_a_call_creates_the_request_through_intake_or_answers_it_at_once(staff, category):
    routed = actions.take_call(
        staff["dispatcher"],
        actions.Call(
            text="小区门口路灯坏了一个月",
            kind="complaint",
            category=category,
            contact_phone="+86 139-0000-1111",
        ),
    )
    assert routed.channel == "hotline" and routed.state == State.DISPATCHED  # routed as usual
    answered = actions.take_call(
        staff["dispatcher"],
        actions.Call(
            text="公积金怎么提取？", contact_phone="13900001111", answer=ANSWER, contact_name="张先生"
        ),
    )
    assert answered.state == State.CLOSED and answered.kind == "inquiry"
    history = list(caller_history(staff["dispatcher"], "139 0000 1111"))
    assert [r.pk for r in history] == [routed.pk, answered.pk]  # open first, then closed
    assert caller_history(staff["staff-housing"], "13900001111").filter(pk=answered.pk).count() == 0


def test_a_refused_answer_leaves_no_request_behind(staff):
    before = Request.objects.count()
    with pytest.raises(actions.CallError):
        actions.take_call(
            staff["dispatcher"], actions.Call(text="某局长收受贿赂", kind="report", answer=ANSWER)
        )
    with pytest.raises(NotPermitted):
        actions.take_call(staff["staff-housing"], actions.Call(text="公积金怎么提取？", answer=ANSWER))
    assert Request.objects.count() == before


def test_the_knowledge_base_is_searched_in_either_script(staff):
    saved = actions.save_knowledge_answer(
        staff["dispatcher"],
        None,
        title="居住证续签",
        keywords="居住证 到期 续签",
        text=ANSWER,
        category=None,
        active=True,
    )
    actions.save_knowledge_answer(
        staff["dispatcher"],
        None,
        title="公积金提取",
        keywords="住房公积金",
        text="携带身份证办理。",
        category=None,
        active=True,
    )
    assert search_answers("居住證到期怎麼辦") == [saved]  # Traditional question, Simplified answer
    assert search_answers("居住证")[0] == saved
    actions.save_knowledge_answer(
        staff["dispatcher"],
        saved,
        title=saved.title,
        keywords=saved.keywords,
        text=ANSWER,
        category=None,
        active=False,
    )
    assert search_answers("居住证") == []  # inactive answers are not offered on calls
    assert search_answers("居住证", active_only=False) == [saved]
    with pytest.raises(actions.CallError):
        actions.save_knowledge_answer(
            staff["dispatcher"], None, title="", keywords="", text="x", category=None, active=True
        )


def test_find_by_reference_and_phone_and_resend_the_link(make_request):
    req = make_request(contact_phone="138-0013-8000", contact_email="lin@example.org")
    assert actions.find_by_reference_and_phone(req.reference, "+86 13800138000") == req
    assert actions.find_by_reference_and_phone(req.reference, "13900000000") is None
    assert actions.find_by_reference_and_phone("000000-00000", "13800138000") is None
    sent = actions.resend_tracking_link(req, "zh-hant")
    assert sorted(sent) == ["email", "sms"]
    mail = Message.objects.get(request=req, template="tracking_link", channel="email")
    assert req.tracking_token in mail.body and req.reference in mail.subject
    silent = make_request()
    assert actions.resend_tracking_link(silent) == []


def test_the_demo_seeds_the_knowledge_base_and_calls_answered_from_it(city, staff):
    from massline.hotline.demo import ANSWERS, seed

    counts = seed()
    assert counts["knowledge_answers"] == len(ANSWERS) and counts["answered_calls"] > 40
    assert seed()["knowledge_answers"] == 0  # a second run adds no duplicate answers
    assert search_answers("社保卡丟了")[0].title == "社保卡挂失与补办"
    assert sum(r.answered for r in first_contact_rates()) >= counts["answered_calls"]
