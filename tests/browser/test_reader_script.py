"""A zh-Hant reader sees a request written in Simplified characters in Traditional ones, reply and unit
name included, and gets the original with one click (issue #11: content in the reader's script).
Screenshots: reader-script-*.png in var/screenshots (docs/screenshots with `make screenshots`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_env import DESKTOP, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIMPLIFIED = "小区东门的路灯坏了两个月,晚上很黑,老人出门不方便,请尽快维修。"
TRADITIONAL = "小區東門的路燈壞了兩個月,晚上很黑,老人出門不方便,請儘快維修。"
REPLY = "已安排维修队,三天内完成更换。"


def _replied_request() -> str:
    """A request written in Simplified, answered by the housing department through the real actions."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Category

    req = submit_request(text=SIMPLIFIED, title="小区东门路灯坏了", auto_route=False)
    now = timezone.now()
    category = Category.objects.get(level=1, name="城乡建设")
    wf.do_dispatch(req, wf.Actor.of(User.objects.get(username="dispatcher")), category=category, at=now)
    assert req.unit is not None
    staff = wf.Actor.of(User.objects.get(username=f"staff-{req.unit.code}"))
    wf.do_sign(req, staff, at=now + timedelta(minutes=1))
    wf.do_reply(req, staff, text=REPLY, at=now + timedelta(minutes=2))
    return req.reference


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reader-script-{name}.png"), full_page=True)


def test_a_zh_hant_reader_sees_a_simplified_request_in_traditional_characters(browser, live_server, city):
    from massline.core.text.script import for_reader
    from massline.workflow.models import Request

    reference = _replied_request()
    unit = Request.objects.get(reference=reference).unit.name
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/requests/{reference}/")
    body = page.inner_text("main")
    assert TRADITIONAL in body and SIMPLIFIED not in body
    assert "已安排維修隊,三天內完成更換。" in body
    assert for_reader(unit, "zh-hant") in body
    _shot(page, "traditional")

    page.get_by_role("link", name="顯示原文").click()
    page.wait_for_url("**script=original")
    body = page.inner_text("main")
    assert SIMPLIFIED in body and REPLY in body and TRADITIONAL not in body
    _shot(page, "original")

    page.get_by_role("link", name="以繁體顯示").click()
    page.wait_for_url(lambda url: "script=original" not in url)
    assert TRADITIONAL in page.inner_text("main")

    # The list reads in the reader's script too.
    page.goto(f"{live_server.url}/requests/?q=路燈")
    assert "小區東門路燈壞了" in page.inner_text("main")
    context.close()
