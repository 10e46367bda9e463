"""A misconduct report (舉報) from the portal to the discipline officer and back, in real headless Chromium:

a citizen files a report on the public form and keeps the tracking link → the discipline officer signs in,
finds it in the reports queue, accepts it, opens an investigation and answers the reporter → the reporter
reads the answer through the tracking link → a dispatcher and an admin get 404 on the report's page, and
the report is on no public list.

Screenshots go to var/screenshots/misconduct-*.png (not docs/: they hold a made-up accusation).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_env import DESKTOP
from browser_env import login as _login

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ACCUSATION = (
    "我要举报红星街道社区工作人员刘某:我去社区办理低保审核时,他说要先给五百元好处费才给盖章,"
    "我没给,材料就一直压着不办。邻居说他经常这样吃拿卡要,请纪委调查。"
)
ANSWER = "您好!您反映的问题已收悉。经核查,刘某索要好处费的问题属实,已对其立案审查,并责令退还。感谢您的监督。"
INVESTIGATION = "反映问题线索具体,已立案调查,由第一纪检监察室负责核查"


def _zh(text: str) -> str:
    """``text`` as the zh-Hant pages show it: content is shown in the reader's script."""
    from massline.core.text.script import for_reader

    return for_reader(text, "zh-hant")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"misconduct-{name}.png"), full_page=True)


def _state(reference):
    from massline.workflow.models import Request

    return Request.objects.get(reference=reference).state


def _act(page, action, selector="", text=""):
    if selector:
        page.fill(selector, text)
    page.click(f"#act-{action} form.action-form button[type=submit]")
    page.wait_for_selector(".message-success")


def test_a_report_goes_from_the_portal_to_the_discipline_officer_and_back(browser, live_server, city):
    from massline.core.text.misconduct import looks_like_misconduct

    assert looks_like_misconduct(ACCUSATION)  # the kind of message the demo files as a report too
    base = live_server.url

    # 1. a citizen files a misconduct report on the public form and keeps the tracking link
    citizen = browser.new_context(viewport=PHONE, locale="zh-TW")
    page = citizen.new_page()
    page.goto(base + "/submit/")
    page.check("input[name=kind][value=report]")
    page.fill("input[name=title]", "举报社区工作人员索要好处费")
    page.fill("textarea[name=text]", ACCUSATION)
    page.fill("input[name=contact_name]", "陈小红")
    page.fill("input[name=contact_phone]", "13900002222")
    page.click("form button[type=submit].btn-big")
    reference = page.inner_text("#reference").strip()
    tracking_url = page.get_attribute("#tracking-link", "href")
    _shot(page, "receipt")
    citizen.close()
    assert _state(reference) == "received"

    # 2. the discipline officer lands on the reports queue and finds it there
    context, page = _login(browser, base, "discipline")
    assert page.url.endswith("/staff/reports/")
    row = page.locator(f"li[data-row]:has(.ref:text-is('{reference}'))")
    assert row.count() == 1
    # the zh-Hant staff page shows the text in the reader's script: 刘某 reads 劉某
    assert "劉某" in row.inner_text() and row.locator("time.due").count() == 1  # the accept deadline
    _shot(page, "reports-queue")
    row.locator("a[data-open]").click()
    page.wait_for_url(f"**/staff/r/{reference}/")
    assert "陈小红" in page.content()  # the reporter's contact is there for the officer

    # 3. accept, open an investigation with a note, answer the reporter
    _act(page, "accept")
    assert _state(reference) == "signed"
    _act(page, "investigate", "#n-investigate", INVESTIGATION)
    assert _state(reference) == "investigating"
    assert _zh(INVESTIGATION) in page.inner_text("ol.timeline")
    _act(page, "answer", "#answer-text", ANSWER)
    assert _state(reference) == "replied"
    assert page.locator("#act-conclude").count() == 1  # what is left: conclude with the finding
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "detail")
    page.goto(base + "/staff/reports/")  # no longer waiting to be accepted, nor overdue
    assert page.locator(f".ref:text-is('{reference}')").count() == 0
    page.click(".tabs a[href='?tab=answered']")
    badge = page.locator(f"li[data-row]:has(.ref:text-is('{reference}')) .badge")
    assert "badge-replied" in badge.get_attribute("class")
    context.close()

    # 4. the reporter opens the tracking link and reads the answer; no follow-up vote is asked of them,
    # and the investigation note, which is internal, is not shown
    reporter = browser.new_context(viewport=PHONE, locale="zh-TW")
    page = reporter.new_page()
    page.goto(tracking_url)
    body = page.inner_text("main")
    assert _zh(ANSWER) in body
    assert page.locator("input[name=solved]").count() == 0
    assert _zh(INVESTIGATION) not in body and INVESTIGATION not in body
    timeline = page.inner_text("ol.timeline")
    for step in ("紀檢監察機關已受理您的舉報", "已立案調查", "紀檢監察機關已答復您的舉報"):
        assert step in timeline
    assert "已更新" not in timeline  # every step is told in words, none as a bare "updated"
    _shot(page, "tracking")
    reporter.close()

    # 5. nobody else on the staff can even tell the report exists
    for username in ("dispatcher", "admin"):
        context, page = _login(browser, base, username)
        response = page.goto(base + f"/staff/r/{reference}/")
        assert response.status == 404, username
        assert ACCUSATION[:20] not in page.content()
        context.close()

    # 6. nor can the public: not on the list, no public page
    public = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = public.new_page()
    page.goto(base + "/requests/")
    assert reference not in page.content()
    assert page.goto(base + f"/requests/{reference}/").status == 404
    public.close()
