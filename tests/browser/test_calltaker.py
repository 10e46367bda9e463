"""The call-taker's screen in Chromium: an operator takes a call, types the caller's number and sees the
caller's earlier requests (open ones first), creates the request, then answers another caller's inquiry
on the spot from the knowledge base (直接答復), which closes it as resolved at first contact (一次辦結).

Screenshots: calltaker-history.png, calltaker-answer.png in var/screenshots (docs/screenshots with
`make screenshots`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_env import SHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")
CALLER = "13800138000"


@pytest.fixture
def caller(city):
    """A caller with an inquiry answered on the call last month and a complaint still open, and the
    knowledge base of the demo."""
    from django.contrib.auth.models import User

    from massline.hotline.demo import seed_knowledge_base
    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    seed_knowledge_base()
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    now = datetime.now(SH)
    closed = submit_request(
        text="请问社保卡丢了怎么补办？",
        title="社保卡补办咨询",
        kind="inquiry",
        channel="hotline",
        contact_phone="138-0013-8000",
        contact_name="陈女士",
        at=now - timedelta(days=30),
        auto_route=False,
    )
    wf.do_answer_on_call(
        closed, dispatcher, text="请先拨打12333挂失，再到银行网点补办。", at=now - timedelta(days=30)
    )
    opened = submit_request(
        text="小区门口路灯坏了两周，晚上很黑。",
        title="小区路灯不亮",
        channel="hotline",
        contact_phone="+86 138 0013 8000",
        contact_name="陈女士",
        at=now - timedelta(days=3),
        auto_route=False,
    )
    wf.do_dispatch(opened, dispatcher, unit=Unit.objects.get(code="a1"), at=now - timedelta(days=3))
    return {"closed": closed.reference, "open": opened.reference}


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_operator_takes_a_call_finds_the_history_creates_and_answers(browser, live_server, caller):
    from massline.workflow.models import Reply, Request

    context, page = login(browser, live_server.url, "dispatcher")
    page.click("nav >> text=來電")
    page.wait_for_url("**/staff/calls/")
    page.wait_for_selector("#caller-phone:focus")
    assert page.evaluate("document.activeElement.id") == "caller-phone"  # type at once
    page.keyboard.type("138 0013 8000")
    page.keyboard.press("Enter")
    page.wait_for_selector("#history")
    rows = page.locator("#history .ref").all_inner_texts()
    assert rows == [caller["open"], caller["closed"]]  # open first, then closed
    assert (
        page.input_value("#id_contact_name") == "陳女士" or page.input_value("#id_contact_name") == "陈女士"
    )
    _shot(page, "calltaker-history")

    # the caller reports a new problem: the request is created through intake and routed as usual
    page.select_option("#id_kind", "complaint")
    page.fill("#id_title", "人行道井蓋缺失")
    page.fill("#id_text", "東塘街道人行道井蓋缺失，行人容易跌倒，請盡快處理。")
    page.fill("#id_address", "A1區東塘街道")
    page.click("button[name=mode][value=create]")
    page.wait_for_selector("#new-reference")
    created = Request.objects.get(reference=page.inner_text("#new-reference").strip())
    assert created.channel == "hotline" and created.contact_phone == "138 0013 8000"
    assert created.state in ("received", "dispatched")
    assert page.locator("#history .ref").all_inner_texts()[0] in (created.reference, caller["open"])

    # another caller asks a question the knowledge base answers: answered on the spot and closed
    page.goto(live_server.url + "/staff/calls/")
    page.fill("#caller-phone", "139 0000 2222")
    page.keyboard.press("Enter")
    page.wait_for_selector("#h-new")
    page.fill("#kb-q", "居住證到期")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-kb-answer]")
    page.fill("#id_text", "我的居住證下個月到期了，去哪裡續簽？")
    page.locator("[data-kb-answer]").first.locator("[data-use-answer]").click()
    assert "居住" in page.input_value("#id_answer")
    assert page.input_value("#id_text").startswith("我的居住證")  # what was typed stays
    _shot(page, "calltaker-answer")
    page.click("button[name=mode][value=answer]")
    page.wait_for_selector("#new-reference")
    answered = Request.objects.get(reference=page.inner_text("#new-reference").strip())
    assert answered.state == "closed" and answered.kind == "inquiry"
    assert "居住证" in Reply.objects.get(request=answered).text
    assert answered.events.filter(action="answer_on_call").exists()
    context.close()
