"""Routing that learns, in real headless Chromium: the dispatcher corrects the router's suggestion for
several similar requests through the workbench; after the retraining task the next such request is
suggested the dispatcher's category, and the operator console's registry shows the promotion.

Screenshot: routing-registry.png (var/screenshots; docs/screenshots with MASSLINE_SCREENSHOTS_DIR).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_env import SHOTS
from browser_env import login as _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = ["东塘街道", "观岭街道", "魁星街道", "A3区", "A5区", "雨花区", "岳麓区", "开福区"]
HISTORY = {  # (weeks ago, lately): lately the problems run into each other, as real ones do
    "城乡建设": (
        "{p}某小区门口路灯坏了{n}个月，晚上很黑，路灯一直不亮，请修路灯。",
        "{p}学校门口的路灯坏了{n}天，学生放学路上很黑。",
    ),
    "环境保护": (
        "{p}楼下餐馆油烟很大，油烟直排，第{n}次投诉油烟扰民，没法开窗。",
        "{p}路灯下的烧烤摊油烟呛人，第{n}次反映。",
    ),
    "教育文体": (
        "{p}学校乱收补课费，老师要求学生参加收费补课，第{n}次反映学校收费。",
        "{p}学校旁边餐馆的油烟飘进教室，学生上课受影响，第{n}次反映。",
    ),
}
BIKES = "{p}共享单车乱停乱放，单车堵住盲道和路口，第{n}次看到单车挡路。"


@pytest.fixture
def history(settings, city):
    """Decisions the first model learns from: three kinds of problem, dispatched weeks ago and lately."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from massline.intake.actions import submit_request
    from massline.learning.retrain import retrain
    from massline.workflow import actions as wf
    from massline.workflow.models import Category

    settings.MASSLINE_ROUTING_BASE_FILE = ""  # only this city's decisions
    settings.MASSLINE_ROUTING_MIN_EXAMPLES = 3
    settings.MASSLINE_ROUTING_THRESHOLD = 1.01  # nothing routes itself: every request waits in the queue
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    now = timezone.now()
    for name, (older, lately) in HISTORY.items():
        category = Category.objects.get(name=name, level=1)
        for i in range(12):
            at = now - timedelta(days=60 if i < 8 else 3, hours=i)
            text = (older if i < 8 else lately).format(p=PLACES[i % len(PLACES)], n=i + 2)
            req = submit_request(text=text, title=text[:12], at=at, auto_route=False)
            wf.do_dispatch(req, dispatcher, category=category, at=at + timedelta(minutes=5))
    first = retrain(by="first training")
    assert first.active


def _suggested(reference: str):
    from massline.workflow.models import Request

    return Request.objects.select_related("suggested_category").get(reference=reference).suggested_category


def test_corrections_change_the_next_suggestion_after_a_retrain(browser, live_server, history):
    from massline.intake.actions import submit_request
    from massline.intake.tasks import retrain
    from massline.learning.models import ModelVersion
    from massline.workflow.models import Category

    base = live_server.url
    transport = Category.objects.get(name="交通运输", level=1)
    waiting = []
    for i in range(6):
        text = BIKES.format(p=PLACES[i], n=i + 2)
        waiting.append(submit_request(text=text, title=f"共享单车乱停 {i + 1}").reference)
    assert all(_suggested(ref) != transport for ref in waiting)  # the router does not know this yet

    # the dispatcher corrects each one in the workbench: 交通运输, not what was suggested
    context, page = _login(browser, base, "dispatcher")
    for reference in waiting:
        page.goto(base + f"/staff/r/{reference}/")
        page.select_option("#d-cat", transport.code)
        page.click("#act-dispatch form.action-form button[type=submit]")
        page.wait_for_selector(".message-success")
    assert Category.objects.filter(requests__reference__in=waiting).distinct().get() == transport

    assert "v2" in retrain()  # the nightly task, run now
    assert ModelVersion.objects.get(active=True).version == 2

    fresh = submit_request(
        text="开福区共享单车乱停乱放，单车把盲道堵死了，行人只能走机动车道。", title="单车堵盲道"
    )
    assert _suggested(fresh.reference) == transport
    page.goto(base + "/staff/queue/")
    row = page.locator("li[data-row]", has=page.locator(f".ref:text-is('{fresh.reference}')"))
    assert "交通運輸" in row.locator(".suggestion").inner_text()  # shown in the reader's script
    context.close()

    context, page = _login(browser, base, "admin")
    page.goto(base + "/staff/console/routing-models/")
    active = page.locator("tr.active-model")
    assert active.get_attribute("data-version") == "2"
    assert "scheduled retraining" in active.inner_text()
    assert page.locator("svg.chart").count() == 1
    assert page.locator("tr[data-version='1'] button").count() == 1  # v1 can be rolled back to
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "routing-registry.png"), full_page=True)
    context.close()
