"""A cached request page works like a fresh one in Chromium, with scripts off: a visitor who gets the
page from the cache says "me too" and switches the language through its forms (their own form token),
and a reply through the registry shows on the next visit.

Screenshot: pagecache-detail.png (var/screenshots; docs/screenshots with MASSLINE_SCREENSHOTS_DIR)."""

from __future__ import annotations

import pytest
from browser_env import DESKTOP, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed(city):
    from django.contrib.auth.models import User

    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    req = submit_request(
        text="幸福路的路灯坏了两个月，晚上很黑，请尽快维修。", title="幸福路路灯坏了", auto_route=False
    )
    wf.do_dispatch(
        req, wf.Actor.of(User.objects.get(username="dispatcher")), unit=Unit.objects.get(code="housing")
    )
    wf.do_sign(req, wf.Actor.of(User.objects.get(username="staff-housing")))
    req.refresh_from_db()
    return req


def test_forms_of_a_cached_page_post_without_scripts_and_a_reply_shows_next(
    browser, live_server, signed, settings
):
    from django.contrib.auth.models import User

    from massline.workflow import registry
    from massline.workflow.actions import ActionInput, Actor

    settings.MASSLINE_PAGE_CACHE = True
    url = f"{live_server.url}/requests/{signed.reference}/"
    first = browser.new_context(viewport=DESKTOP, locale="zh-TW", java_script_enabled=False)
    assert first.new_page().goto(url).headers["x-page-cache"] == "miss"
    first.close()

    visitor = browser.new_context(viewport=DESKTOP, locale="zh-TW", java_script_enabled=False)
    page = visitor.new_page()
    assert page.goto(url).headers["x-page-cache"] == "hit"
    page.click("#me-too-button")
    assert "我也遇到" in page.inner_text("#me-too") and "1" in page.inner_text("#me-too-count")
    assert page.locator(".messages").count() == 1  # the thank-you message: this page was rendered for them

    page.goto(url)
    page.select_option("#lang-select", "en")
    page.click(".lang-switch button[type=submit]")  # no script: the visible button posts the form
    assert page.locator("html").get_attribute("lang") == "en"
    assert "People who said “me too”: 1" in page.inner_text("#me-too-count")

    staff = Actor.of(User.objects.get(username="staff-housing"))
    registry.perform(
        "reply", signed, staff, ActionInput(text="路灯已经修好，感谢反映。", expected_version=signed.version)
    )
    # this visitor now holds a "me too" key, so their pages are rendered for them; a new visitor gets the
    # page rendered again since the reply retired it
    assert page.goto(url).headers["x-page-cache"] == "pass" and "修好" in page.inner_text("main")
    fresh = browser.new_context(viewport=DESKTOP, locale="zh-TW", java_script_enabled=False).new_page()
    assert fresh.goto(url).headers["x-page-cache"] == "miss" and "修好" in fresh.inner_text("main")
    assert fresh.goto(url).headers["x-page-cache"] == "hit"
    SHOTS.mkdir(parents=True, exist_ok=True)
    fresh.screenshot(path=str(SHOTS / "pagecache-detail.png"), full_page=True)
    fresh.context.close()
    visitor.close()
