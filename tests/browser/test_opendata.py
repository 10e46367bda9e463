"""The open-data page in Chromium: a visitor (zh-TW) finds the files of last night's dump with their row
counts, the licence and the README, and downloads the CSV, which holds the request without its personal data.

Screenshot: opendata.png (var/screenshots; docs/screenshots with MASSLINE_SCREENSHOTS_DIR=docs/screenshots).
"""

from __future__ import annotations

import pytest
from browser_env import DESKTOP, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dump(city, settings, tmp_path):
    from django.utils import translation

    from massline.intake.actions import submit_request
    from massline.opendata.tasks import nightly

    settings.MASSLINE_OPENDATA_DIR = tmp_path
    with translation.override("zh-hant"):
        for text in ("我叫王小明，电话13812345678，楼下垃圾三天没人收。", "公园路灯坏了，晚上很黑。"):
            submit_request(text=text, title=text[-10:], contact_name="王小明", auto_route=False)
    assert nightly() == 2
    return tmp_path


def test_a_visitor_finds_and_downloads_the_open_data(browser, live_server, dump):
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW", accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + "/open-data/")
    assert page.locator("h1").inner_text() == "開放資料"
    table = page.locator("#dump-files")
    for name in (
        "requests.csv",
        "replies.csv",
        "timeline.csv",
        "categories.csv",
        "units.csv",
        "requests.json",
    ):
        assert table.get_by_role("link", name=name).is_visible(), name
    requests_row = table.locator("tr", has=page.get_by_role("link", name="requests.csv"))
    assert requests_row.locator("td.num").inner_text() == "2"
    assert page.locator("#licence").get_by_role("link", name="Creative Commons Attribution 4.0").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "opendata.png"), full_page=True)

    with page.expect_download() as info:
        table.get_by_role("link", name="requests.csv").click()
    csv_text = open(info.value.path(), encoding="utf-8-sig").read()
    assert "垃圾三天没人收" in csv_text and "13812345678" not in csv_text and "王小明" not in csv_text

    page.get_by_role("link", name="README.md").click()
    body = page.locator("body").inner_text()
    assert "How to cite" in body and "引用方式" in body
    context.close()
