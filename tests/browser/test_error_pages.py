"""Error pages in real Chromium, with DEBUG off as on a served site: a mistyped address gives the site's own
404 in the reader's language, styled and with a way on; a unit's staff member who opens another unit's
request gets the styled 403 with their queue one click away. The language menu names each language in
itself. Screenshots: error-404-zh-hant.png, error-403-zh-hant.png."""

from __future__ import annotations

import pytest
from browser_env import DESKTOP, SHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def header_colour(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")


def test_a_mistyped_address_shows_the_styled_404_in_traditional_chinese(browser, live_server, city, settings):
    settings.DEBUG = False
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    response = page.goto(f"{live_server.url}/requets/")  # a typo
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "找不到頁面"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert header_colour(page) not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded
    options = page.locator("#lang-select option").all_inner_texts()
    assert [o.strip() for o in options] == ["繁體中文", "简体中文", "English"]
    shot(page, "error-404-zh-hant")

    # the way on: search the public requests from the error page
    page.get_by_label("搜尋公開的訴求與答復").fill("路燈")
    page.get_by_role("button", name="搜尋").first.click()
    page.wait_for_url("**/requests/?q=*")
    assert page.locator("h1").count() == 1
    context.close()


def test_staff_outside_their_unit_get_the_styled_403_and_their_queue(browser, live_server, city, settings):
    from django.contrib.auth.models import User

    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Category

    settings.DEBUG = False
    req = submit_request(text="小區路燈壞了兩個月，晚上很黑。", title="路燈壞了", auto_route=False)
    category = Category.objects.get(level=1, name="城乡建设")
    wf.do_dispatch(req, wf.Actor.of(User.objects.get(username="dispatcher")), category=category)

    context, page = login(browser, live_server.url, "staff-transport")
    response = page.goto(f"{live_server.url}/staff/r/{req.reference}/")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "無權訪問"
    assert header_colour(page) not in ("rgba(0, 0, 0, 0)", "transparent")
    shot(page, "error-403-zh-hant")
    page.get_by_role("link", name="回到我的待辦").click()
    page.wait_for_url(f"{live_server.url}/staff/**")
    assert page.locator("h1").count() >= 1
    context.close()
