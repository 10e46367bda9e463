"""A citizen who leaves an e-mail hears back, through a real SMTP server: the receipt (reference and
tracking link) after submitting on the portal in Chromium or through Open311, then the reply with the
follow-up link, which opens the tracking page where they answer; then the closing message."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CITIZEN = "lin@example.org"


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, live_server) -> str:
    found = re.findall(rf"{re.escape(live_server.url)}/track/[\w-]+/", text_of(message))
    assert found, text_of(message)
    return found[0]


def reply_to(reference: str, text: str) -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from massline.workflow import actions as wf
    from massline.workflow.models import Request, Unit

    req = Request.objects.get(reference=reference)
    now = timezone.now()
    wf.do_dispatch(
        req, wf.Actor.of(User.objects.get(username="dispatcher")), unit=Unit.objects.get(code="housing")
    )
    staff = wf.Actor.of(User.objects.get(username="staff-housing"))
    wf.do_sign(req, staff, at=now + timedelta(minutes=1))
    wf.do_reply(req, staff, text=text, at=now + timedelta(minutes=2))


def test_the_portal_citizen_gets_the_receipt_and_the_reply_and_answers_it(browser, live_server, city, inbox):
    from massline.workflow.models import Request

    page = browser.new_context(locale="zh-TW").new_page()
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("投訴").check()
    page.get_by_label("標題").fill("社區路燈壞了")
    page.get_by_label("發生了什麼事？").fill("社區 3 棟旁的路燈壞了兩週，晚上很黑，請盡快維修。")
    page.get_by_label("電子郵件").fill(CITIZEN)
    page.get_by_role("button", name="提交訴求").click()
    page.wait_for_url("**/receipt/")
    reference = page.locator("#reference").inner_text().strip()

    (receipt,) = inbox.wait_for(CITIZEN)
    assert reference in receipt["Subject"] and "我們已收到您的訴求" in receipt["Subject"]
    tracking = link_in(receipt, live_server)
    assert tracking == page.locator("#tracking-link").inner_text().strip()

    reply_to(reference, "路燈已於昨晚修復，請您查看。")
    mails = inbox.wait_for(CITIZEN, count=3)  # receipt, dispatched, replied
    replied = mails[-1]
    assert "路燈已於昨晚修復" in text_of(replied) and link_in(replied, live_server) == tracking

    page.goto(link_in(replied, live_server))
    assert "路燈已於昨晚修復" in page.content()
    page.get_by_label("是，已經解決").check()
    page.get_by_label("滿意", exact=True).check()
    page.get_by_role("button", name="提交評價").click()
    page.get_by_text("謝謝。您的評價已記錄。").wait_for()
    closing = inbox.wait_for(CITIZEN, count=4)[-1]
    assert reference in closing["Subject"] and "已辦結" in closing["Subject"]
    assert Request.objects.get(reference=reference).state == "closed"
    assert len({m["Message-ID"] for m in inbox.to(CITIZEN)}) == 4  # each message once


def test_an_open311_submission_gets_its_receipt(live_server, city, inbox):
    from massline.api.actions import create_api_key
    from massline.workflow.models import Category

    _key, raw = create_api_key("city-app")
    category = Category.objects.get(level=1, name="城乡建设")
    body = urllib.parse.urlencode(
        {
            "api_key": raw,
            "service_code": category.code,
            "lat": "28.2",
            "long": "112.9",
            "description": "公園東門的大樹倒了，擋住了人行道。",
            "email": "wang@example.org",
        }
    ).encode()
    with urllib.request.urlopen(
        f"{live_server.url}/api/open311/v2/requests.json", data=body, timeout=20
    ) as r:
        (created,) = json.loads(r.read())
    receipt = inbox.wait_for("wang@example.org")[0]  # then "dispatched": a service code routes at once
    assert created["service_request_id"] in receipt["Subject"] and "我們已收到您的訴求" in receipt["Subject"]
    assert f"{live_server.url}/track/" in text_of(receipt)
