"""A dispatcher searches in real headless Chromium: filters the queue by category, sorts, pages and exports
it as CSV; finds what is late in one category among all requests; prints a request as a work order.

Screenshots: staff-filters.png, staff-workorder.png in var/screenshots (docs/screenshots with
MASSLINE_SCREENSHOTS_DIR=docs/screenshots).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_env import SHOTS, login

SH = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(city, settings):
    """55 requests waiting for a dispatcher that the classifier thinks are about construction (城乡建设),
    5 about transport; and three construction requests dispatched, two of them a week ago and never
    signed for (late)."""
    from django.contrib.auth.models import User

    from massline.core.routing import Suggestion
    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Category, Unit

    settings.MASSLINE_ROUTING_THRESHOLD = 1.01  # nothing routes itself
    now = datetime.now(SH)
    for i in range(55):
        submit_request(
            text=f"第{i + 1}号楼外墙瓷砖脱落，楼下行人有危险。",
            title=f"外墙瓷砖脱落 {i + 1}号楼",
            at=now - timedelta(hours=60 - i),
            auto_route=False,
            suggestions=[Suggestion("城乡建设", 0.45)],
        )
    for i in range(5):
        submit_request(
            text=f"第{i + 1}路公交车站牌倒了。",
            title=f"公交站牌倒了 {i + 1}",
            at=now - timedelta(hours=3, minutes=i),
            auto_route=False,
            suggestions=[Suggestion("交通运输", 0.4)],
        )
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    construction = Category.objects.get(level=1, name="城乡建设")
    housing = Unit.objects.get(code="housing")
    for title, days in (("老旧小区电梯停运", 7), ("小区路灯不亮", 6), ("工地夜间施工噪音", 0)):
        at = now - timedelta(days=days)
        req = submit_request(text=f"{title}，请尽快处理。", title=title, at=at, auto_route=False)
        wf.do_dispatch(req, dispatcher, unit=housing, category=construction, at=at + timedelta(minutes=5))
    return construction


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=name == "staff-workorder")


def test_dispatcher_filters_sorts_pages_exports_and_prints(browser, live_server, queue):
    context, page = login(browser, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/staff/queue/")
    assert page.locator("h1 .count").inner_text() == "60"

    # filter by category, newest first
    page.select_option("#id_category", queue.code)
    page.select_option("#id_sort", "-received")
    page.click(".filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1 .count").inner_text() == "55"
    titles = page.locator(".qrow-title").all_inner_texts()
    assert titles[0] == "外牆瓷磚脫落 55號樓" and len(titles) == 50  # newest first, Traditional script
    assert not any("公交" in t for t in titles)
    _shot(page, "staff-filters")

    # the next page keeps the filters
    page.click(".pager a[rel=next]")
    page.wait_for_load_state()
    assert f"category={queue.code}" in page.url and "sort=-received" in page.url and "after=" in page.url
    assert page.locator(".qrow-title").all_inner_texts() == [f"外牆瓷磚脫落 {n}號樓" for n in range(5, 0, -1)]
    assert page.locator("#id_category").input_value() == queue.code
    # keyset paging: no "previous", a link back to the first page of the same filters; no next page here
    assert page.locator(".pager a[rel=next]").count() == 0
    first = page.locator(".pager a", has_text="第一頁")
    assert "after=" not in first.get_attribute("href") and f"category={queue.code}" in first.get_attribute(
        "href"
    )
    _shot(page, "staff-next-page")

    # export the filtered list (all pages) as CSV
    with page.expect_download() as info:
        page.click("a[data-export=csv]")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as fh:
        body = fh.read()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][0] == "編號" and len(rows) == 56
    assert {r[rows[0].index("標題")] for r in rows[1:]} == {f"外墙瓷砖脱落 {n}号楼" for n in range(1, 56)}

    # what is late in this category, among all requests
    page.click("nav a[href='/staff/requests/']")
    page.select_option("#id_category", queue.code)
    page.check("#id_overdue")
    page.select_option("#id_sort", "due")
    page.click(".filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".qrow-title").all_inner_texts() == ["老舊小區電梯停運", "小區路燈不亮"]
    assert page.locator(".qrow .due-over").count() == 2

    # open the oldest and print it as a work order
    page.click(".qrow-title >> nth=0")
    page.wait_for_load_state()
    with context.expect_page() as opened:
        page.click("a[href$='/print/']")
    order = opened.value
    order.wait_for_load_state()
    assert "工單" in order.title() and order.locator(".wo-ref").inner_text().strip() in order.url
    assert order.locator(".signature").count() == 3
    assert "自動派單" not in order.content() and "派單員 王敏" in order.locator(".timeline").inner_text()
    order.emulate_media(media="print")
    assert not order.locator(".screen-only").is_visible()
    order.emulate_media(media="screen")
    _shot(order, "staff-workorder")
    context.close()
