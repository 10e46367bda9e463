"""The public portal in real headless Chromium, at phone width first: a citizen submits a request with the
form (marking the place on the map, with a photo), gets the receipt, opens the tracking link, and answers
the follow-up once the unit has replied; the language switcher changes the whole page. The map tiles
point at a closed port, as on an offline network: the picker and the markers must still work.
Screenshots: portal-*.png in var/screenshots (docs/screenshots with `make screenshots`)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from browser_env import OFFLINE_TILES, SHOTS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(city, settings):
    """The demo city (tests/browser/conftest.py), with map tiles from nowhere, as on an offline network."""
    settings.MASSLINE_TILE_URL = OFFLINE_TILES


def shot(page, name: str, tall: int = 2400) -> None:
    """A screenshot of the page from the top, at most ``tall`` pixels, for the docs and the README."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), tall)
    width = page.viewport_size["width"]
    page.screenshot(
        path=str(SHOTS / f"portal-{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def photo_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def reply_to(reference: str, text: str = "路燈已於昨晚修復，請您查看。") -> None:
    """The back office does its part through the real actions: dispatch, sign, reply."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from massline.workflow import actions as wf
    from massline.workflow.models import Category, Request

    req = Request.objects.get(reference=reference)
    now = timezone.now()
    category = Category.objects.get(level=1, name="城乡建设")
    if req.state == "received":
        wf.do_dispatch(req, wf.Actor.of(User.objects.get(username="dispatcher")), category=category, at=now)
    assert req.unit is not None
    staff = wf.Actor.of(User.objects.get(username=f"staff-{req.unit.code}"))
    wf.do_sign(req, staff, at=now + timedelta(minutes=1))
    wf.do_reply(req, staff, text=text, at=now + timedelta(minutes=2))


def test_citizen_submits_tracks_and_answers_the_follow_up(browser, live_server, city):
    from massline.intake.models import Attachment
    from massline.workflow.models import Request

    context = browser.new_context(viewport=PHONE, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    shot(page, "home-phone")
    page.get_by_role("link", name="我要反映").first.click()
    page.wait_for_url("**/submit/")

    page.get_by_label("投訴").check()
    page.get_by_label("標題").fill("公園路路燈壞了")
    page.get_by_label("發生了什麼事？").fill("公園路 12 號前的路燈壞了一週，晚上很黑，老人小孩走路危險。")
    page.get_by_label("地址或地點").fill("公園路 12 號")
    picker = page.locator("#picker")
    picker.wait_for(state="visible")
    page.locator("#picker-note").wait_for(state="visible")  # the tiles failed, and the page says so
    picker.click(position={"x": 180, "y": 150})
    assert page.input_value("#id_lat") and page.input_value("#id_lon"), "a tap on the map fills the place"
    page.set_input_files(
        "#id_photo", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    page.get_by_label("電話").fill("13812345678")
    assert no_horizontal_scroll(page)
    shot(page, "submit-phone", tall=4200)
    page.get_by_role("button", name="提交訴求").click()

    page.wait_for_url("**/receipt/")
    reference = page.locator("#reference").inner_text().strip()
    req = Request.objects.get(reference=reference)
    assert (
        req.channel == "web" and req.lat is not None and Attachment.objects.filter(request=req).count() == 1
    )
    tracking = page.locator("#tracking-link").inner_text().strip()
    assert tracking.endswith(f"/track/{req.tracking_token}/")
    shot(page, "receipt-phone")

    page.get_by_role("link", name="打開查詢頁面").click()
    page.wait_for_url(f"**/track/{req.tracking_token}/")
    assert "公園路 12 號前的路燈壞了一週" in page.content()
    assert page.get_by_text("訴求已受理").count() == 1

    reply_to(reference)
    page.reload()
    assert "路燈已於昨晚修復" in page.content()
    page.get_by_label("是，已經解決").check()
    page.get_by_label("滿意", exact=True).check()
    shot(page, "tracking-phone", tall=3000)
    page.get_by_role("button", name="提交評價").click()
    page.get_by_text("謝謝。您的評價已記錄。").wait_for()
    req.refresh_from_db()
    assert req.state == "closed"
    assert page.get_by_text("回訪：已解決，訴求辦結").count() == 1
    context.close()

    wide = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = wide.new_page()
    page.goto(tracking + "receipt/")
    shot(page, "receipt-desktop")
    page.goto(tracking)
    shot(page, "tracking-desktop")
    wide.close()


def test_language_switcher_changes_the_page_and_remembers_it(browser, live_server, city):
    context = browser.new_context(viewport=PHONE, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/submit/")
    assert page.get_attribute("html", "lang") == "zh-Hant"
    page.select_option("#lang-select", "en")  # submits itself with JavaScript
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/submit/")
    assert page.get_by_role("button", name="Send the request").count() == 1
    page.goto(f"{live_server.url}/statistics/")
    assert page.get_by_role("heading", name="Requests per month").count() == 1
    page.select_option("#lang-select", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")
    assert page.get_by_role("heading", name="每月诉求量").count() == 1
    # keyboard users reach the skip link first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    context.close()


def test_public_pages_at_phone_and_desktop_width_with_markers_but_no_tiles(browser, live_server, city):
    from massline.followup.actions import record_follow_up
    from massline.intake.actions import submit_request
    from massline.workflow.actions import Actor
    from massline.workflow.models import Request

    cases = [
        (
            (28.2282, 112.9388),
            "小區路燈壞了",
            "小區 3 棟旁的路燈壞了兩個月，晚上很黑，請盡快維修。",
            "已派維修班組更換燈具，路燈已恢復照明。",
        ),
        (
            (28.2101, 112.9702),
            "大樹倒伏擋住人行道",
            "公園東門的大樹倒了，擋住了人行道，行人只能走車道。",
            "園林所已清理倒伏樹木，人行道已恢復通行。",
        ),
        (
            (28.2455, 112.9124),
            "垃圾站三天沒清運",
            "菜市場旁的垃圾站三天沒有清運，氣味很大，聯繫電話 13812345678。",
            "環衛所已安排每日清運兩次，並對垃圾站消毒。",
        ),
        (
            (28.1989, 112.9511),
            "學校門口交通擁堵",
            "實驗小學門口上下學時段交通擁堵，車牌湘A12345 的車天天違停。",
            "交警大隊已在上下學時段增派警力，並劃設臨時停車區。",
        ),
    ]
    places = [place for place, *_ in cases]
    verdicts = [(True, "satisfied"), (True, "basically"), (False, "dissatisfied"), None]
    for ((lat, lon), title, text, answer), verdict in zip(cases, verdicts, strict=True):
        req = submit_request(text=text, title=title, lat=lat, lon=lon, auto_route=False)
        reply_to(req.reference, answer)
        if verdict:
            req.refresh_from_db()
            record_follow_up(req, Actor.requester(), solved=verdict[0], satisfaction=verdict[1])
    submit_request(text="某科長收受紅包。", kind="report", lat=28.23, lon=112.94, auto_route=False)
    month = f"{Request.objects.first().received_at:%Y-%m}"

    for size, tag in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(viewport=size, locale="zh-TW")
        page = context.new_page()
        for path, name in (
            ("/", "home"),
            ("/requests/", "list"),
            ("/statistics/", "statistics"),
            (f"/report/{month}/", "report"),
        ):
            page.goto(live_server.url + path)
            assert no_horizontal_scroll(page), f"{path} scrolls sideways at {size['width']} px"
            assert "13812345678" not in page.content() and "湘A12345" not in page.content()
            if not (tag == "phone" and name == "home"):
                shot(page, f"{name}-{tag}")
        page.goto(f"{live_server.url}/requests/map/")
        page.locator("#map-note").wait_for(state="visible")  # tiles failed …
        markers = page.locator("#request-map path.leaflet-interactive")
        assert markers.count() == len(places)  # … yet every public request is on the map, and no report
        shot(page, f"map-{tag}")
        context.close()

    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/submit/")
    shot(page, "submit-desktop")
    context.close()
    assert re.match(r"\d{4}-\d{2}", month)


def test_the_core_forms_work_without_javascript(browser, live_server, city):
    from massline.workflow.models import Request

    context = browser.new_context(viewport=PHONE, locale="zh-TW", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/submit/")
    assert not page.locator("#picker").is_visible()  # no map without JavaScript …
    page.get_by_label("發生了什麼事？").fill("河堤步道的欄杆鬆脫了。")
    page.get_by_label("緯度").fill("28.21")  # … but the place can still be typed
    page.get_by_label("經度").fill("112.95")
    page.get_by_role("button", name="提交訴求").click()
    page.wait_for_url("**/receipt/")
    req = Request.objects.get(reference=page.locator("#reference").inner_text().strip())
    assert (req.lat, req.lon) == (28.21, 112.95)
    page.get_by_role("button", name="切換").wait_for()  # the switcher keeps its button
    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="切換").click()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", name="Thank you. Your request has been received.").count() == 1
    context.close()
