"""What staff notice on the workbench pages: queues, countdowns, conflicts, templates, visits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from massline.core.routing import Suggestion
from massline.core.text.script import for_reader
from massline.core.workflow import State
from massline.workflow import actions as wf
from massline.workflow.models import ReplyTemplate, Request

from .conftest import MON, OWNER

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world, make_request, actors, category):
    """~30 requests: half waiting for a dispatcher, half with the owning unit in various states."""
    for i in range(15):
        make_request(
            text=f"第{i}号楼电梯经常停运,老人上下楼困难。", suggestions=[Suggestion(category.name, 0.3)]
        )
    for i in range(15):
        req = world["dispatched"](text=f"第{i}路公交站台破损,下雨无处避雨。")
        if i % 3 == 0:
            wf.do_sign(req, actors[f"staff-{OWNER}"], at=MON + timedelta(hours=2))
    return world


def test_queues_and_lists_keep_a_fixed_number_of_queries(as_role, busy, django_assert_max_num_queries):
    pages = {
        "dispatcher": ["/staff/queue/", "/staff/queue/map/", "/staff/visits/", "/staff/r/{ref}/"],
        "owner": ["/staff/unit/", "/staff/unit/?tab=progress", "/staff/unit/?tab=overdue"],
        "supervisor": ["/staff/supervision/", "/staff/unit/", "/staff/dashboard/"],
        "discipline": ["/staff/reports/"],
    }
    ref = busy["owned"].reference
    for role, urls in pages.items():
        client = as_role(role)
        for url in urls:
            client.get(url.format(ref=ref))  # warm the session and the per-user caches
            with django_assert_max_num_queries(20):
                assert client.get(url.format(ref=ref)).status_code == 200


def test_dispatcher_queue_oldest_first_suggestions_one_click_and_bulk(as_role, world, make_request):
    later = make_request(text="路边垃圾箱满了没人清理。", at=MON + timedelta(days=1))
    client = as_role("dispatcher")
    page = client.get("/staff/queue/").content.decode()
    assert page.index(world["received"].reference) < page.index(later.reference)
    # names in the reader's script (the test client reads zh-Hant)
    assert for_reader(world["category"].name, "zh-hant") in page and "42%" in page
    assert for_reader(world["city"][OWNER].name, "zh-hant") in page  # the suggested unit

    # one click accepts the suggestion
    req = world["received"]
    response = client.post(
        f"/staff/r/{req.reference}/do/dispatch/",
        {"version": req.version, "accept": "1", "next": "/staff/queue/"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/queue/"
    req.refresh_from_db()
    assert (
        req.state == State.DISPATCHED
        and req.category == world["category"]
        and req.unit == world["city"][OWNER]
    )

    # bulk: several to one unit, or rejected with one reason (and never without one)
    a, b = make_request(text="噪音扰民一"), make_request(text="噪音扰民二")
    client.post(
        "/staff/queue/bulk/", {"selected": [a.reference, b.reference], "op": "dispatch", "unit": "econ"}
    )
    assert set(Request.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", "unit__code")) == {
        ("dispatched", "econ")
    }
    c = make_request(text="测试来电")
    response = client.post(
        "/staff/queue/bulk/", {"selected": [c.reference], "op": "reject", "reason": ""}, follow=True
    )
    assert Request.objects.get(pk=c.pk).state == State.RECEIVED  # no reason, no rejection
    assert "reason" in response.content.decode().lower() or "理由" in response.content.decode()
    client.post(
        "/staff/queue/bulk/", {"selected": [c.reference], "op": "reject", "reason": "测试来电,非诉求"}
    )
    assert Request.objects.get(pk=c.pk).state == State.REJECTED


def test_stale_forms_conflict_templates_fill_the_reply_and_operators_follow_up(as_role, world):
    req = world["owned"]
    stale = req.version
    wf.do_sign(req, wf.Actor.of(world["staff"][f"staff-{OWNER}"]))  # a colleague signs first
    response = as_role("owner").post(
        f"/staff/r/{req.reference}/do/return/",
        {"version": stale, "note": "不归我们管"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert "Someone else changed this request" in response.content.decode()
    assert Request.objects.get(pk=req.pk).state == State.SIGNED

    # reply templates prefill the reply (without JavaScript), and the reply goes out
    req.refresh_from_db()
    template = ReplyTemplate.objects.create(name="已修复", text="您反映的问题已处理完毕,感谢监督。")
    client = as_role("owner")
    page = client.get(f"/staff/r/{req.reference}/?template={template.pk}").content.decode()
    assert "您反映的问题已处理完毕,感谢监督。</textarea>" in page
    client.post(f"/staff/r/{req.reference}/do/reply/", {"version": req.version, "text": template.text})
    req.refresh_from_db()
    assert req.state == State.REPLIED and req.replies.get().text == template.text

    # a follow-up caller (supervisor) records the requester's verdict by phone
    supervisor = as_role("supervisor")
    assert req.reference in supervisor.get("/staff/unit/?tab=replied").content.decode()
    supervisor.post(
        f"/staff/r/{req.reference}/do/follow_up/",
        {"version": req.version, "solved": "yes", "satisfaction": "basically"},
    )
    req.refresh_from_db()
    followup = req.followups.get()
    assert req.state == State.CLOSED and not followup.by_requester and followup.satisfaction == "basically"


def test_contact_details_show_for_staff_and_anonymity_is_respected(as_role, world, make_request):
    client = as_role("dispatcher")
    page = client.get(f"/staff/r/{world['owned'].reference}/").content.decode()
    assert "13800138000" in page and "张三" in page
    anon = make_request(text="匿名反映:路口红绿灯坏了。", anonymous=True, contact_phone="13900000000")
    page = client.get(f"/staff/r/{anon.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "13900000000" not in page and "Anonymous" in page


def test_unit_queue_counts_down_to_the_deadline(as_role, world):
    req = world["owned"]
    page = as_role("owner").get("/staff/unit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert req.reference in page
    # the demo dates are in the past, so the sign deadline has passed
    assert "overdue by" in page
    overdue = as_role("owner").get("/staff/unit/?tab=overdue").content.decode()
    assert req.reference in overdue
    other = as_role("other_unit").get("/staff/unit/").content.decode()
    assert req.reference not in other


def test_supervisor_sweeps_sees_the_board_and_dashboard_and_creates_proactive_tasks(as_role, world):
    client = as_role("supervisor")
    client.post("/staff/supervision/sweep/")
    page = client.get("/staff/supervision/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world["owned"].reference in page and "Not signed for in time" in page

    page = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("<svg") >= 3
    assert "2026-03" in page and world["city"][OWNER].name in page

    response = client.post(
        "/staff/dashboard/proactive/",
        {"title": "东塘街道井盖缺失", "text": "近30天多人反映井盖缺失", "address": "东塘街道"},
    )
    req = Request.objects.get(title="东塘街道井盖缺失")
    assert response["Location"] == f"/staff/r/{req.reference}/"
    assert (req.channel, req.kind) == ("visit", "suggestion")


def test_a_visit_becomes_one_request_per_issue_and_needs_at_least_one(as_role, world):
    client = as_role("owner")
    data = {
        "date": "2026-03-05",
        "place": "东塘街道菜市场",
        "lat": "28.19",
        "lon": "112.97",
        "notes": "与摊主座谈",
        "issue-TOTAL_FORMS": "3",
        "issue-INITIAL_FORMS": "0",
        "issue-MIN_NUM_FORMS": "1",
        "issue-MAX_NUM_FORMS": "20",
        "issue-0-title": "排水沟堵塞",
        "issue-0-text": "市场后面排水沟堵塞,污水外溢。",
        "issue-0-kind": "help",
        "issue-1-title": "",
        "issue-1-text": "建议增加公共厕所。",
        "issue-1-kind": "suggestion",
        "issue-2-title": "",
        "issue-2-text": "",
        "issue-2-kind": "help",
    }
    response = client.post("/staff/visits/new/", data)
    assert response.status_code == 302
    visit_page = client.get(response["Location"]).content.decode()
    made = Request.objects.filter(channel="visit", address="东塘街道菜市场").order_by("id")
    assert [r.kind for r in made] == ["help", "suggestion"]
    assert all(r.lat == 28.19 for r in made)
    assert all(r.reference in visit_page for r in made)

    data = {
        "date": "2026-03-05",
        "place": "某社区",
        "issue-TOTAL_FORMS": "1",
        "issue-INITIAL_FORMS": "0",
        "issue-MIN_NUM_FORMS": "1",
        "issue-MAX_NUM_FORMS": "20",
        "issue-0-kind": "help",
    }
    response = client.post("/staff/visits/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "form-error" in response.content.decode()
