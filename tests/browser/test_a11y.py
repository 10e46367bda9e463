"""axe-core (from npm: package.json, node_modules/axe-core) in real Chromium over every public page and the
main workbench pages, in Traditional Chinese and English. A page fails on any violation of impact serious or
critical; the failure prints the rule, its impact, the elements (CSS selectors) and axe's help URL.

Each language's scan also writes var/a11y/<audience>-<language>.json: every page and its violations of every
impact, the figures docs/accessibility.md quotes. Pages that other work adds (the call screen, the monthly
problem) are scanned as soon as their URLs resolve.

axe is injected into the page by Playwright; our Content-Security-Policy forbids inline scripts, so the
scanning browser context bypasses it (the policy itself is tested in test_csp.py)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_env import DESKTOP, OFFLINE_TILES, PASSWORD, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "var" / "a11y"
FAILING = ("critical", "serious")
# axe files an aria-describedby naming an id that is not on the page, and a label pointing at an id used twice,
# under "needs review"; both are plain bugs (the wrong text, or none, is read out): these fail like violations.
REVIEW_FAILS = {"aria-valid-attr-value", "duplicate-id-aria"}
LANGUAGES = {"zh-hant": "zh-TW", "en": "en-US"}
SH = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        how = "run `make test` (npm ci)" if shutil.which("npm") else "install npm, then run `make test`"
        pytest.skip(f"{AXE.relative_to(ROOT)} is missing: {how} to install axe-core from package-lock.json")
    return AXE


@pytest.fixture
def scene(city, settings):
    """A little public life on top of the demo city: replied, answered and open requests, a request's
    private tracking page, an open consultation with statements, a logged visit, an overdue request."""
    from django.contrib.auth.models import User

    from massline.consult import actions as consult
    from massline.followup.actions import record_follow_up
    from massline.intake.actions import submit_request
    from massline.workbench.actions import IssueFound, log_visit
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    settings.MASSLINE_TILE_URL = OFFLINE_TILES
    lat, lon = settings.MASSLINE_MAP_CENTER
    housing = Unit.objects.get(code="housing")
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    staff = wf.Actor.of(User.objects.get(username="staff-housing"))
    now = datetime.now(SH)
    week_ago = now - timedelta(days=8)

    def new(title, text, at, **extra):
        return submit_request(title=title, text=text, at=at, auto_route=False, lat=lat, lon=lon, **extra)

    replied = new(
        "小区电梯频繁故障", "小区5栋电梯一个月坏了三次，老人出行困难。", week_ago, address="岳麓区麓山南路"
    )
    wf.do_dispatch(replied, dispatcher, unit=housing, at=week_ago + timedelta(minutes=5))
    wf.do_sign(replied, staff, at=week_ago + timedelta(hours=1))
    wf.do_reply(replied, staff, text="已联系物业更换电梯主板，请您查看。", at=week_ago + timedelta(hours=3))
    answered = new("路灯不亮", "东塘街道某小区门口路灯坏了一个月，晚上很黑。", week_ago + timedelta(hours=2))
    wf.do_dispatch(answered, dispatcher, unit=housing, at=week_ago + timedelta(hours=3))
    wf.do_sign(answered, staff, at=week_ago + timedelta(hours=4))
    wf.do_reply(answered, staff, text="路灯已于昨晚修复。", at=week_ago + timedelta(hours=5))
    record_follow_up(
        answered, wf.Actor.requester(), solved=True, satisfaction="satisfied", at=week_ago + timedelta(days=1)
    )
    overdue = new("外墙瓷砖脱落", "老旧小区外墙瓷砖脱落，砸坏了停放的车辆。", week_ago + timedelta(hours=6))
    wf.do_dispatch(overdue, dispatcher, unit=housing, at=week_ago + timedelta(hours=7))
    new("夜间施工噪音扰民", "夜间施工噪音扰民，影响休息。", now - timedelta(hours=2))

    wf.sweep_overdue()
    visit = log_visit(
        User.objects.get(username="staff-housing"),
        date=date.today(),
        place="麓山南路社区",
        issues=[IssueFound(text="社区活动中心的无障碍坡道破损。", title="坡道破损")],
    )
    organiser = User.objects.get(username="supervisor")
    consultation = consult.create_consultation(
        organiser,
        title="河西夜市要不要办？",
        question="麓山南路每週末办夜市，您怎么看？",
        languages=("zh-hant", "en"),
        seed_statements=["夜市能带动小商户。", "晚上十点以后居民需要安静。", "路太窄，人多车多不安全。"],
    )
    consult.open_consultation(consultation, organiser)
    problem = monthly_problem(organiser, housing, [replied.pk, overdue.pk])
    return {
        "problem": problem,
        "replied": replied.reference,
        "answered": answered.reference,
        "token": replied.tracking_token,
        "consultation": consultation.pk,
        "visit": visit.pk,
    }


def monthly_problem(supervisor, unit, members) -> int | None:
    """The monthly problem (每月一題) with a first milestone, where that app is installed."""
    try:
        from massline.monthly import actions as monthly
    except ImportError:
        return None
    today = date.today()
    problem = monthly.choose_problem(
        supervisor,
        title="老旧小区电梯频繁故障",
        month=today,
        lead_unit=unit,
        plan="六月底前完成全区老旧电梯排查，七月起分批更换主板。",
        members=members,
    )
    monthly.post_milestone(problem, supervisor, title="完成排查", date=today, progress=30, token="a11y-1")
    return problem.pk


def optional(*paths: str) -> list[tuple[str, str]]:
    """Pages being added by other work: scanned once their URL resolves."""
    from django.urls import Resolver404, resolve

    found = []
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            continue
        found.append((re.sub(r"(?<=-)\d+(?=-|$)", "one", path.strip("/").replace("/", "-")), path))
    return found


def similar_requests_exist() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("portal:similar")
    except NoReverseMatch:
        return False
    return True


def public_pages(s) -> list[tuple[str, str]]:
    from massline.consult.embedding import sign_xid
    from massline.consult.models import Consultation

    c = s["consultation"]
    return [
        ("home", "/"),
        ("submit", "/submit/"),
        ("list", "/requests/"),
        ("map", "/requests/map/"),
        ("detail", f"/requests/{s['replied']}/"),
        ("detail-answered", f"/requests/{s['answered']}/"),
        ("statistics", "/statistics/"),
        ("report", "/report/"),
        ("privacy", "/privacy/"),
        ("track", f"/track/{s['token']}/"),
        ("receipt", f"/track/{s['token']}/receipt/"),
        ("consultations", "/consult/"),
        ("consultation", f"/consult/{c}/"),
        ("vote", f"/consult/{c}/vote/"),
        (
            "embed",
            f"/consult/{c}/embed/?xid=reader-1&sig={sign_xid(Consultation.objects.get(pk=c), 'reader-1')}",
        ),
        ("open-data", "/open-data/"),
        ("follow", "/follow/"),
        ("not-found", "/requests/NO-SUCH-REQUEST/"),
        *optional("/monthly/", *([f"/monthly/{s['problem']}/"] if s["problem"] else [])),
    ]


def staff_pages(s) -> list[tuple[str, str, str]]:
    """(name, path, who): the main workbench pages, each as a role that works on it."""
    return [
        ("login", "/staff/login/", ""),
        ("home", "/staff/", "dispatcher"),
        ("dispatch-queue", "/staff/queue/", "dispatcher"),
        ("dispatch-map", "/staff/queue/map/", "dispatcher"),
        ("unit-queue", "/staff/unit/", "staff-housing"),
        ("detail", f"/staff/r/{s['replied']}/", "staff-housing"),
        ("detail-dispatch", f"/staff/r/{s['answered']}/", "dispatcher"),
        ("supervision", "/staff/supervision/", "supervisor"),
        ("dashboard", "/staff/dashboard/", "supervisor"),
        ("visits", "/staff/visits/", "staff-housing"),
        ("visit", f"/staff/visits/{s['visit']}/", "staff-housing"),
        ("visit-new", "/staff/visits/new/", "staff-housing"),
        ("held", "/staff/held/", "dispatcher"),
        ("consult-manage", "/consult/manage/", "supervisor"),
        ("consult-manage-one", f"/consult/manage/{s['consultation']}/", "supervisor"),
        ("all-requests", "/staff/requests/", "supervisor"),
        ("work-order", f"/staff/r/{s['replied']}/print/", "staff-housing"),
        ("misconduct-reports", "/staff/reports/", "discipline"),
        ("console", "/staff/console/", "admin"),
        *[(n, p, "dispatcher") for n, p in optional("/staff/open311/")],
        *[(n, p, "dispatcher") for n, p in optional("/staff/calls/", "/staff/calls/answers/")],
        *[
            (n, p, "supervisor")
            for n, p in optional(
                "/staff/monthly/",
                "/staff/monthly/new/",
                *([f"/staff/monthly/{s['problem']}/"] if s["problem"] else []),
            )
        ],
    ]


def scan(page, url: str, fill: dict[str, str] | None = None, wait_for: str = "") -> list[dict]:
    """axe's violations on the page at ``url``, after typing ``fill`` into its fields and waiting for
    ``wait_for`` (what the typing brings up)."""
    response = page.goto(url)
    expected = 404 if "NO-SUCH" in url else 200
    assert response is not None and response.status == expected, f"{url}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    if fill:
        for selector, text in fill.items():
            page.fill(selector, text)
        page.locator(wait_for).first.wait_for()
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
            const brief = (v, kind) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, kind: kind,
                targets: v.nodes.map(n => n.target.join(' ')),
                why: v.nodes.map(n => (n.any.concat(n.all, n.none).find(c => c.message) || {}).message || ''),
            });
            return r.violations.map(v => brief(v, 'violation'))
                .concat(r.incomplete.map(v => brief(v, 'needs review')));
        }"""
    )


def new_context(browser, language: str):
    return browser.new_context(viewport=DESKTOP, locale=LANGUAGES[language], bypass_csp=True)


def sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def report(audience: str, language: str, found: dict[str, list[dict]]) -> list[str]:
    """Write the JSON record and return the lines describing the failing violations. axe's "needs review"
    results (what it could not decide, such as text over a gradient) are recorded, not failed."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    count = {
        kind: Counter(v["impact"] for vs in found.values() for v in vs if v["kind"] == kind)
        for kind in ("violation", "needs review")
    }
    (REPORTS / f"{audience}-{language}.json").write_text(
        json.dumps({"pages": len(found), "count": count, "results": found}, indent=1, ensure_ascii=False)
    )
    lines = []
    for name, results in found.items():
        for v in results:
            if v["impact"] in FAILING and (v["kind"] == "violation" or v["id"] in REVIEW_FAILS):
                lines.append(f"[{language}] {name}: {v['id']} ({v['impact']}) {v['help']}\n  {v['helpUrl']}")
                lines += [f"    {t}: {why}" for t, why in list(zip(v["targets"], v["why"], strict=True))[:8]]
    return lines


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_public_pages_have_no_serious_or_critical_violations(
    browser, live_server, scene, axe_source, language
):
    context = new_context(browser, language)
    page = context.new_page()
    found = {}
    for name, path in public_pages(scene):
        found[name] = scan(page, live_server.url + path)
        assert page.evaluate("document.documentElement.lang").lower().startswith(language[:2])
    if similar_requests_exist():  # the form shows similar public requests as the citizen types
        typed = {"#id_title": "电梯坏了", "#id_text": "小区5栋电梯一个月坏了三次，老人出行困难。"}
        found["submit-similar"] = scan(page, live_server.url + "/submit/", typed, "#similar a")
    context.close()
    failing = report("public", language, found)
    assert not failing, "axe-core found serious or critical violations:\n" + "\n".join(failing)


# The workbench is scanned in the staff's working language only (Traditional Chinese), to keep CI under ten
# minutes; its English pages share the same templates and were clean too (docs/accessibility.md).
@pytest.mark.parametrize("language", ["zh-hant"])
def test_workbench_pages_have_no_serious_or_critical_violations(
    browser, live_server, scene, axe_source, language
):
    found = {}
    contexts: dict[str, object] = {}
    for name, path, who in staff_pages(scene):
        if who not in contexts:
            contexts[who] = new_context(browser, language)
            page = sign_in(contexts[who], live_server.url, who) if who else contexts[who].new_page()
        page = contexts[who].pages[0]
        found[name] = scan(page, live_server.url + path)
    for context in contexts.values():
        context.close()
    failing = report("staff", language, found)
    assert not failing, "axe-core found serious or critical violations:\n" + "\n".join(failing)
