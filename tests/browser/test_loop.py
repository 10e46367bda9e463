"""The whole loop in real headless Chromium, as the people in it would do it:

a citizen submits on the public form → the dispatcher signs in and dispatches → the unit signs and
replies (with a reply template) → the citizen opens the tracking link and says "not solved" → the
request reopens → the unit replies again → the citizen says "satisfied" → it closes → the unit
ranking changes. Along the way the supervisor runs the deadline sweep and logs a visit.

Screenshots of the workbench pages: workbench-*.png in var/screenshots (docs/screenshots with
`make screenshots`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_env import DESKTOP, OFFLINE_TILES, SHOTS
from browser_env import login as _login

UNIT = "housing"
SH = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(settings):
    """The demo city plus a little history, so the boards are not empty: a few requests dispatched a
    week ago and never signed (the sweep will catch them), and some waiting for a dispatcher."""
    from django.contrib.auth.models import User
    from django.core.cache import cache

    from massline.core.routing import Suggestion
    from massline.demo.city import build_city, build_staff, install_holidays
    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Request, Unit

    build_city()
    install_holidays([2025, 2026])
    build_staff()
    city = {u.code: u for u in Unit.objects.all()}
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))

    def make_request(text, title, at, suggestions=None):
        return submit_request(text=text, title=title, at=at, auto_route=False, suggestions=suggestions)

    settings.MASSLINE_TILE_URL = OFFLINE_TILES
    settings.MASSLINE_ROUTING_THRESHOLD = 1.01  # nothing routes itself: the dispatcher must act
    cache.clear()
    now = datetime.now(SH)
    week_ago = now - timedelta(days=7)
    lat, lon = settings.MASSLINE_MAP_CENTER
    history = [
        ("东塘街道路灯不亮", "东塘街道某小区门口路灯坏了一个月,晚上很黑。", "a1"),
        ("公交站台破损", "公交站台顶棚破损,下雨无处躲雨。", "transport"),
        ("餐馆油烟扰民", "楼下餐馆油烟很大,每天中午熏得没法开窗。", "env"),
        ("小区电梯频繁故障", "小区5栋电梯一个月坏了三次,老人出行困难。", UNIT),
        ("老旧小区外墙脱落", "老旧小区外墙瓷砖脱落,砸坏了停放的车辆。", UNIT),
    ]
    for i, (title, text, unit) in enumerate(history):
        req = make_request(text=text, title=title, at=week_ago + timedelta(hours=i))
        wf.do_dispatch(req, dispatcher, unit=city[unit], at=week_ago + timedelta(hours=i, minutes=5))
    # waiting for a dispatcher, with the classifier's (unsure) suggestions; one repeats an earlier request
    waiting = [
        ("夜间施工噪音扰民", "夜间施工噪音扰民,影响休息。", "城乡建设", 0.46),
        ("人行道井盖缺失", "人行道井盖缺失,行人容易跌倒。", "交通运输", 0.38),
        ("小区电梯又坏了", "小区5栋电梯一个月坏了三次,老人出行很困难!", "城乡建设", 0.55),
    ]
    for i, (title, text, label, confidence) in enumerate(waiting):
        req = make_request(text, title, now - timedelta(hours=5 - i), [Suggestion(label, confidence)])
        Request.objects.filter(pk=req.pk).update(lat=lat + 0.01 * (i - 1), lon=lon + 0.012 * (i - 1))
    return city


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"workbench-{name}.png"))


def _state(reference):
    from massline.workflow.models import Request

    return Request.objects.get(reference=reference).state


def _reply_as_unit(page, base, reference, text, tab="new", shot=""):
    page.goto(base + f"/staff/unit/?tab={tab}")
    page.click(f"li:has(.ref:text-is('{reference}')) a[data-open]")
    page.click("#act-sign form.action-form button[type=submit]")
    page.wait_for_selector(".message-success")
    page.select_option("#tpl", index=1)  # the reply template goes into the textarea (JS)
    assert page.input_value("#reply-text").strip()
    page.fill("#reply-text", page.input_value("#reply-text") + "\n" + text)
    if shot:
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, shot)
    page.click("#act-reply form.action-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert _state(reference) == "replied"


def _follow_up(browser, tracking_url, solved, satisfaction):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    page = context.new_page()
    page.goto(tracking_url)
    page.check(f"input[name=solved][value={solved}]")
    page.check(f"input[name=satisfaction][value={satisfaction}]")
    page.click("form:has(input[name=solved]) button[type=submit]")
    page.wait_for_selector(".message-success")
    context.close()


def test_the_whole_loop_from_submission_to_a_changed_ranking(browser, live_server, town):
    from django.core.cache import cache

    from massline.followup.metrics import unit_ranking

    base = live_server.url
    before = {s.unit: s for s in unit_ranking()}

    # 1. a citizen submits on the public form
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    page = citizen.new_page()
    page.goto(base + "/submit/")
    page.fill("textarea[name=text]", "芙蓉路口小区楼道灯坏了三个星期,老人晚上上下楼很危险,请尽快修理。")
    page.fill("input[name=title]", "楼道灯坏了三个星期")
    page.fill("input[name=address]", "芙蓉路口小区3栋")
    page.fill("input[name=contact_name]", "李四")
    page.fill("input[name=contact_phone]", "13700001111")
    page.click("form button[type=submit].btn-big")
    reference = page.inner_text("#reference").strip()
    tracking_url = page.get_attribute("#tracking-link", "href")
    citizen.close()
    assert _state(reference) == "received"

    # 2. the dispatcher signs in, sees it in the queue and dispatches it to the housing department
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(base + "/staff/login/")
    _shot(page, "login")
    context.close()
    context, page = _login(browser, base, "dispatcher")
    assert page.url.endswith("/staff/queue/")
    assert page.locator(f".ref:text-is('{reference}')").count() == 1
    page.keyboard.press("j")  # keyboard: j moves to the first row and focuses its link
    assert page.evaluate("document.activeElement.hasAttribute('data-open')")
    _shot(page, "dispatcher-queue")
    page.goto(base + "/staff/queue/map/")
    page.wait_for_timeout(300)
    _shot(page, "queue-map")
    page.goto(base + f"/staff/r/{reference}/")
    page.select_option("#d-unit", UNIT)
    page.click("#act-dispatch form.action-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert _state(reference) == "dispatched"
    assert "李四" in page.content()  # contact details are there for staff
    context.close()

    # 3. the unit signs for it and replies, starting from a reply template
    unit_ctx, unit = _login(browser, base, f"staff-{UNIT}")
    assert unit.url.endswith("/staff/unit/")
    _shot(unit, "unit-queue")
    _reply_as_unit(unit, base, reference, "已安排物业更换楼道灯。", shot="request-detail")

    # 4. the citizen says it is not solved: the request reopens with the same unit
    _follow_up(browser, tracking_url, "no", "dissatisfied")
    assert _state(reference) == "reopened"

    # 5. the unit sees it in the reopened tab and replies again
    _reply_as_unit(unit, base, reference, "楼道灯已全部更换,经现场核实可正常使用。", tab="reopened")
    unit_ctx.close()

    # 6. satisfied: it closes
    _follow_up(browser, tracking_url, "yes", "satisfied")
    assert _state(reference) == "closed"

    # 7. the ranking changed: the housing department now has two hand-overs and two follow-ups
    after = {s.unit: s for s in unit_ranking()}
    housing = after[UNIT]
    assert (housing.dispatched, housing.followed_up) != (
        (before[UNIT].dispatched, before[UNIT].followed_up) if UNIT in before else (0, 0)
    )
    assert housing.followed_up == 2 and housing.resolution_rate == 0.5
    cache.clear()
    public = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    stats = public.new_page()
    stats.goto(base + "/statistics/")
    from massline.core.text.script import for_reader

    assert for_reader(town[UNIT].name, "zh-hant") in stats.content()  # unit names in the reader's script
    public.close()

    # 8. the supervisor runs the sweep, looks at the dashboard and logs a visit
    context, page = _login(browser, base, "supervisor")
    page.click("form[action$='/supervision/sweep/'] button")
    page.wait_for_selector(".message-success")
    assert page.locator("ol.queue > li").count() >= 5  # the week-old unsigned requests
    _shot(page, "supervision-board")
    page.goto(base + "/staff/dashboard/")
    assert page.locator("svg.chart").count() >= 3
    _shot(page, "dashboard")
    page.goto(base + "/staff/visits/new/")
    page.fill("#id_place", "芙蓉路口小区")
    page.fill("#id_issue-0-title", "小区消防通道被占")
    page.fill("#id_issue-0-text", "走访发现小区消防通道长期停放车辆。")
    page.click("form.visit-form button[type=submit].btn-big")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    assert page.locator(".qrow").count() == 1
    page.goto(base + "/staff/visits/")
    _shot(page, "visits")
    context.close()

    from massline.workflow.models import Request

    assert Request.objects.filter(channel="visit", title="小区消防通道被占").exists()
