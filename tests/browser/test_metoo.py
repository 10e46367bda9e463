"""'Me too' and the similar requests while submitting, in real headless Chromium: a citizen starts typing a
request, sees the public requests that look like theirs (and those near the place they mark), follows one,
and says "me too" with the keyboard alone; the count goes up. Screenshots: submit-similar.png and
metoo.png in var/screenshots (docs/screenshots with MASSLINE_SCREENSHOTS_DIR=docs/screenshots)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_env import DESKTOP, OFFLINE_TILES, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAT, LON = 28.1792, 112.9431


@pytest.fixture
def published(city, settings):
    """Public requests of the last weeks, submitted through intake: one says what the citizen will type,
    one is near the place they will mark, one is about something else; and a misconduct report."""
    from django.utils import timezone

    from massline.intake.actions import submit_request
    from massline.portal.actions import me_too

    settings.MASSLINE_TILE_URL = OFFLINE_TILES
    now = timezone.now()

    def submit(title, text, days, **kwargs):
        return submit_request(
            title=title, text=text, at=now - timedelta(days=days), auto_route=False, **kwargs
        )

    lights = submit("麓山南路路燈壞了", "麓山南路靠近學校的一段路燈壞了兩週，晚上很黑，學生放學很危險。", 6)
    me_too(lights, "a-neighbour")
    drain = submit("井蓋鬆動", "桃子湖路口的井蓋鬆動，車一過就響。", 3, lat=LAT + 0.001, lon=LON + 0.001)
    other = submit("公交站台破損", "五一大道公交站台的頂棚破了，下雨沒地方躲。", 2)
    report = submit("舉報路燈維修", "麓山南路路燈維修的科長收受紅包。", 1, kind="report")
    return {"lights": lights, "drain": drain, "other": other, "report": report}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_citizen_sees_similar_requests_follows_one_and_says_me_too_by_keyboard(
    browser, live_server, published
):
    from massline.portal.models import MeToo

    lights, drain = published["lights"], published["drain"]
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/submit/")

    # Typing: after a pause the similar requests appear under the text, only public ones.
    page.locator("#id_text").press_sequentially("麓山南路的路燈壞了，晚上很黑", delay=40)
    box = page.locator("#similar")
    box.locator(f'a[href="/requests/{lights.reference}/"]').wait_for()
    assert "內容相似" in box.inner_text()
    assert published["report"].reference not in box.inner_html()
    assert published["other"].reference not in box.inner_html()
    assert "我也遇到：1" in box.inner_text()  # the neighbour who already said so

    # Choosing a misconduct report (舉報) hides them, and its text is sent nowhere; back to a complaint.
    page.locator("input[name=kind][value=report]").check()
    box.locator("li").first.wait_for(state="detached")
    page.locator("input[name=kind][value=complaint]").check()
    box.locator(f'a[href="/requests/{lights.reference}/"]').wait_for()

    # Marking the place (typed here; the map picker fills the same fields) adds the request nearby.
    page.fill("#id_lat", str(LAT))
    page.fill("#id_lon", str(LON))
    box.locator(f'a[href="/requests/{drain.reference}/"]').wait_for()
    assert "公尺" in box.inner_text()
    page.locator("#id_text").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -90)")
    shot(page, "submit-similar")

    # It is their problem: they follow the "me too" link instead of sending a new request.
    box.locator(f'a[href="/requests/{lights.reference}/#me-too"]').click()
    page.wait_for_url(f"**/requests/{lights.reference}/#me-too")
    assert "表示「我也遇到」的人數：1" in page.locator("#me-too-count").inner_text()

    # Keyboard alone: Tab to the button (past the optional e-mail field) and press Enter.
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "me-too-button":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "me-too-button", "the button is reachable by Tab"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator(".message-success").wait_for()
    assert "包括您在內，共有 2 人遇到此問題" in page.locator(".messages").inner_text()
    assert "表示「我也遇到」的人數：2" in page.locator("#me-too-count").inner_text()
    assert MeToo.objects.filter(request=lights).count() == 2
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "metoo")

    # Once per person: pressing it again counts nothing more, and says so politely.
    page.locator("#me-too-button").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator(".messages").get_by_text("每人只計算一次").wait_for()
    assert MeToo.objects.filter(request=lights).count() == 2
    context.close()
