"""A citizen pages through the public list and a search in real headless Chromium: every request once,
newest first, the search in Traditional finding Simplified text; "First page" leads back.

Screenshot: portal-list-next-page.png in var/screenshots (docs/screenshots with
MASSLINE_SCREENSHOTS_DIR=docs/screenshots)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_env import SHOTS

SH = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed(city, settings):
    from massline.intake.actions import submit_request

    settings.MASSLINE_PREMODERATE = False
    now = datetime.now(SH)
    made = [
        submit_request(
            text=f"第{i + 1}号楼的路灯坏了，晚上很黑。",
            title=f"路灯坏了 {i + 1}号楼",
            at=now - timedelta(hours=50 - i),
            auto_route=False,
        )
        for i in range(45)
    ]
    submit_request(text="自来水停了三天，没有通知。", title="停水", at=now, auto_route=False)
    return made


def walk(page) -> list[str]:
    seen: list[str] = []
    while True:
        seen += page.locator("#results .card h3 a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        following = page.locator(".pager a[rel=next]")
        if not following.count():
            return seen
        following.click()
        page.wait_for_load_state()


def test_paging_the_list_and_a_search(browser, live_server, listed):
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/requests/")
    seen = walk(page)
    assert len(seen) == len(set(seen)) == 46
    page.goto(f"{live_server.url}/requests/?q=路燈")  # Traditional query, Simplified text
    first_page = page.locator("#results .card h3 a").all_inner_texts()
    assert len(first_page) == 20 and all("路燈" in t for t in first_page)  # shown in the reader's script
    page.click(".pager a[rel=next]")
    page.wait_for_load_state()
    assert "q=" in page.url and "after=" in page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "portal-list-next-page.png"), full_page=True)
    page.click(".pager a:has-text('第一頁')")
    page.wait_for_load_state()
    assert "after=" not in page.url and page.locator("#results .card").count() == 20
    page.goto(f"{live_server.url}/requests/?q=路燈")
    assert sorted(walk(page)) == sorted(f"/requests/{r.reference}/" for r in listed)
    context.close()
