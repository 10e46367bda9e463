"""The proof of issue 9: personal data seeded through every way in is found on no public page or endpoint.

The corpus (``corpus.py``: every class of the issue) goes in through the portal form, Open311 POST, REST POST
and consultation statements (seed statements too), through the real views; the requests are dispatched,
signed and replied to with personal data in the replies as well. Then an anonymous visitor crawls the site
breadth-first from ``/`` and reads the list of API URLs (``api_urls``). No seed may appear in full, by its
secret part, or as any 8 of its digits in a row (``leaks.py``).

A new public URL must join the crawl: ``test_every_url_pattern_is_crawled_or_excluded_with_a_reason`` fails
for a pattern that is neither crawled nor listed in ``EXCLUDED``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter, deque
from urllib.parse import parse_qs, quote, quote_plus, urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from .corpus import SEEDS
from .leaks import digit_windows, digits_view, secrets_of
from .seeds import Seed

pytestmark = pytest.mark.django_db

MAX_PAGES = 700
MAX_PER_ROUTE = 120

# Seeds of one character (a surname after 敝姓/我姓) cannot be looked for on a whole page: the character
# occurs in unit and category names. The corpus test checks them in the text itself.
CRAWL_SEEDS = [s for s in SEEDS if len(s.raw) >= 2]
# Ours, on top of the corpus: the requester's own name and contacts given in the form (never in the text
# with an introduction the detector knows), and the exact coordinates.
REQUESTER = {"name": "欧阳志远", "phone": "13755551234", "email": "ouyang.zy@example.net"}
EXTRA_SEEDS = [
    Seed("requester_name", REQUESTER["name"], f"{REQUESTER['name']}家门口的井盖丢了"),
    Seed("requester_phone", REQUESTER["phone"], f"回电{REQUESTER['phone']}"),
    Seed("requester_email", REQUESTER["email"], f"或写信给{REQUESTER['email']}"),
    Seed("point", "28.123456", ""),
    Seed("point", "112.987654", ""),
]
LAT, LON = 28.123456, 112.987654
SIMILAR_TEXT_URL = "/requests/similar/?text=" + quote("小区路灯坏了，晚上很黑")

# URL patterns of massline/urls.py the anonymous crawl does not read, and why. Everything else must be read.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: staff login required (checked: anonymous is sent to the login page)",
    "staff/": "workbench and console: staff login required (checked: anonymous is sent to the login page)",
    "consult/manage/": "organisers only (checked: anonymous is sent to the login page); the openData export "
    "is read as an organiser below",
}
EXCLUDED = {
    "i18n/setlang/": "POST only: switches the language, shows no data",
    "submit/": "read by the crawl (the form); its POST is how the seeds go in",
    "track/<str:token>/": "the requester's private page behind a secret token (noindex); the REST track view "
    "of the same token is crawled",
    "track/<str:token>/receipt/": "the requester's private receipt behind the secret token",
    "api/requests": "POST: submit (how seeds go in); GET: staff key required",
    "api/requests/<reference>": "staff key required",
    "api/requests/<reference>/actions/<action>": "staff key required, POST only",
    "api/requests/track/<token>/follow-up": "POST only: the requester's follow-up",
    "api/consultations/<consultation_id>/votes": "POST only: a vote",
    "api/supervisions": "supervisor or admin key required",
    "api/supervisions/<supervision_id>": "supervisor or admin key required",
    "api/supervisions/<supervision_id>/resolve": "supervisor or admin key required, POST only",
    "api/subscriptions": "POST only: asks for a confirmation e-mail, shows no request text",
    "api/subscriptions/confirm/<token>": "POST only, behind a signed token sent by e-mail",
    "api/subscriptions/<token>": "DELETE only, behind a signed stop token sent by e-mail",
    "api/webhooks": "admin key required",
    "api/webhooks/<name>": "admin key required",
    "api/webhooks/<name>/deliveries": "admin key required",
    "consult/<int:pk>/vote/cast/": "POST only: a vote",
    "consult/<int:pk>/statements/": "POST only: how statements go in",
    "consult/<int:pk>/embed/cast/": "POST only: a vote",
    "consult/<int:pk>/embed/statements/": "POST only: how statements go in",
    "notify/unsubscribe/<str:token>/": "behind a secret token; shows no request text",
    "attachments/<int:pk>/": "an image, served after the reader's right is checked (portal photos tests)",
    "follow/confirm/<str:token>/": "behind a signed token sent by e-mail; shows only the reference followed",
    "follow/stop/<str:token>/": "behind a signed token sent by e-mail; shows only the reference followed",
}


def _route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def all_routes() -> list[str]:
    out: list[str] = []

    def join(prefix: str, pattern) -> str:  # as Django joins routes in ResolverMatch.route
        part = str(pattern)
        return prefix + (part.removeprefix("^") if prefix else part)

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, join(prefix, p.pattern))
            elif isinstance(p, URLPattern):
                out.append(join(prefix, p.pattern))

    walk(get_resolver())
    return out


# --- seeding through the real ways in ------------------------------------------------------------------


def _build_city():
    from django.contrib.auth.models import User

    from massline.demo.city import build_city, build_staff, install_holidays
    from massline.workflow.models import CalendarDay

    if not (User.objects.filter(username="admin").exists() and CalendarDay.objects.exists()):
        build_city()
        install_holidays([2025, 2026])
        build_staff()


def _sentence(i: int, seed: Seed) -> str:
    # An ordinary complaint around the seed, with a marker that proves the request was published.
    return f"小区路灯坏了，晚上很黑。{seed.text}。请尽快维修 MARK{i:03d}Q"


def _submit_web(client, i, seed, **extra):
    from massline.workflow.models import Request

    data = {
        "kind": "complaint",
        "title": f"路灯坏了 MARK{i:03d}T",
        "text": _sentence(i, seed),
        "address": extra.get("address", "长沙市岳麓区麓山南路"),
        "contact_name": extra.get("name", ""),
        "contact_phone": extra.get("phone", ""),
        "contact_email": extra.get("email", ""),
    }
    if "lat" in extra:
        data.update(lat=str(extra["lat"]), lon=str(extra["lon"]))
    response = client.post("/submit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").split("/")[-2]
    return Request.objects.get(tracking_token=token)


def _submit_open311(client, key, i, seed, category):
    from massline.workflow.models import Request

    response = client.post(
        "/api/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": category.code,
            "description": _sentence(i, seed),
            "address_string": seed.text if seed.kind == "address" else "长沙市芙蓉区五一大道",
            "lat": "28.2001",
            "long": "112.9401",
            "first_name": "志远",
            "last_name": "欧阳",
            "phone": REQUESTER["phone"],
            "email": REQUESTER["email"],
        },
    )
    assert response.status_code == 201, response.content
    return Request.objects.get(reference=response.json()[0]["service_request_id"])


def _submit_rest(client, key, i, seed):
    from massline.workflow.models import Request

    body = {
        "kind": "help",
        "title": f"井盖 MARK{i:03d}T",
        "text": _sentence(i, seed),
        "place": {"address": seed.text if seed.kind == "address" else "长沙市天心区", "lat": LAT, "lon": LON},
        "contact": REQUESTER,
    }
    response = client.post(
        "/api/requests", data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key
    )
    assert response.status_code == 201, response.content
    return Request.objects.get(reference=response.json()["reference"])


def _serve(req, i, seed, actors):
    """Dispatch (unless routed at intake), sign and reply, with a seed in the reply."""
    from massline.workflow import registry
    from massline.workflow.actions import ActionInput

    req.refresh_from_db()
    if req.state == "received":
        registry.perform(
            "dispatch", req, actors["dispatcher"], ActionInput(unit="housing", expected_version=req.version)
        )
    unit_staff = actors[f"staff-{req.unit.code}"] if f"staff-{req.unit.code}" in actors else actors["admin"]
    registry.perform("sign", req, unit_staff, ActionInput(expected_version=req.version))
    # The unit names the requester in its reply, as units do: the pipeline must hide it.
    text = f"您好，已派人处理，路灯已修复。{seed.text}。感谢{req.contact_name or '市民'}的反映。"
    registry.perform("reply", req, unit_staff, ActionInput(text=text, expected_version=req.version))


@pytest.fixture
def seeded(client, settings):
    """Every seed goes in through one of the ways in; returns what the crawl needs."""
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache

    from massline.api.actions import create_api_key
    from massline.consult import actions as consult
    from massline.workflow.actions import Actor
    from massline.workflow.models import Category, Request

    # One visitor reads hundreds of pages here: the abuse throttles (tested elsewhere) stay out of the way.
    settings.MASSLINE_THROTTLE_ENABLED = False
    settings.MASSLINE_API_RATE_LIMIT = settings.MASSLINE_API_ANON_RATE_LIMIT = 100_000
    settings.MASSLINE_CONSULT_STATEMENTS_PER_HOUR = 100_000
    settings.MASSLINE_PREMODERATE = False
    settings.MASSLINE_HOLD_SCORE = 1.01  # nothing held here: the crawl must see redaction, not absence
    cache.clear()
    _build_city()
    actors = {u.username: Actor.of(u) for u in User.objects.all() if u.groups.exists()}
    key = create_api_key("crawl client")[1]
    category = Category.objects.get(level=1, name="城乡建设")

    requests = []
    for i, seed in enumerate(CRAWL_SEEDS + EXTRA_SEEDS[:3]):
        way = i % 3
        if way == 0:
            extra = {"address": f"长沙市{seed.text}" if seed.kind == "address" else "长沙市岳麓区麓山南路"}
            if i % 2 == 0:
                extra.update(REQUESTER, lat=LAT, lon=LON)
            req = _submit_web(client, i, seed, **extra)
        elif way == 1:
            req = _submit_open311(client, key, i, seed, category)
        else:
            req = _submit_rest(client, key, i, seed)
        reply_seed = CRAWL_SEEDS[(i * 7 + 3) % len(CRAWL_SEEDS)]
        _serve(req, i, reply_seed, actors)
        requests.append(req)

    # One request that must wait for a moderator: never on a public page.
    settings.MASSLINE_PREMODERATE = True
    held = _submit_web(client, 999, Seed("held", "HELDWORD", "HELDWORD"))
    settings.MASSLINE_PREMODERATE = False
    assert Request.objects.get(pk=held.pk).held

    organiser = User.objects.create_user("crawl-organiser", password="massline-demo")
    organiser.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    c = consult.create_consultation(
        organiser,
        title="夜市征求意见",
        question="是否在河西开设夜市？",
        moderation="post",
        seed_statements=[f"{s.text}。支持夜市" for s in CRAWL_SEEDS[::4]],
    )
    consult.open_consultation(c, organiser)
    for n, seed in enumerate(CRAWL_SEEDS[1::4]):
        visitor = type(client)()
        response = visitor.post(
            f"/consult/{c.pk}/statements/", {"text": f"夜市太吵{n}号意见：{seed.text}", "confirm": "1"}
        )
        assert response.status_code in (200, 302), response.content.decode()[:1000]
    assert c.statements.count() >= len(CRAWL_SEEDS[::4]) + len(CRAWL_SEEDS[1::4])
    # The monthly problem (每月一題) links every seeded request: /monthly/<id>/ shows them as public cards.
    from datetime import date

    from massline.monthly import actions as monthly
    from massline.workflow.models import Unit

    problem = monthly.choose_problem(
        organiser,
        title="路灯维修",
        month=date.today(),
        lead_unit=Unit.objects.get(code="housing"),
        plan="全市路灯排查，一个月内修复。",
        members=[r.pk for r in requests],
        hot_issue_title="长沙市 路灯坏了",
        hot_issue_place="长沙市",
    )
    monthly.post_milestone(problem, organiser, title="排查完成", date=date.today(), progress=40, token="crawl")
    cache.clear()
    return {
        "requests": [Request.objects.get(pk=r.pk) for r in requests],
        "held": held,
        "consultation": c,
        "organiser": organiser,
    }


# --- the crawl ------------------------------------------------------------------------------------------


def api_urls(seeded) -> list[str]:
    """Public endpoints no page links to: Open311 (JSON and XML), the REST tracking view, search."""
    from massline.portal import stats

    urls = [
        "/api/open311/discovery.json",
        "/api/open311/discovery.xml",
        "/api/open311/v2/services.json",
        "/api/open311/v2/services.xml",
        "/api/open311/v2/requests.json",
        "/api/open311/v2/requests.xml",
        "/api/open311/v2/servicerequestupdates.json",
        "/api/open311/v2/servicerequestupdates.xml",
        "/api/openapi.json",
        "/api/docs",
        "/api/health",
        "/api/",
        "/requests/map/",
        "/report/",
        f"/report/{stats.latest_month()}/",
        "/statistics/",
        "/open-data/",
        "/open-data/requests.csv",
        "/open-data/requests.json",
        *(f"/open-data/{name}" for name in ("replies.csv", "timeline.csv", "categories.csv", "units.csv")),
        *(f"/open-data/{name}" for name in ("requests.schema.json", "datapackage.json", "README.md")),
        "/follow/",
        "/feeds/requests/",
        "/feeds/requests/?area=housing",
        "/feeds/requests/?area=A1区",
        SIMILAR_TEXT_URL,
        f"/requests/similar/?lat={LAT}&lon={LON}",
    ]
    code = seeded["requests"][0].category.code if seeded["requests"][0].category else "unclassified"
    urls += [f"/api/open311/v2/services/{code}.json", f"/api/open311/v2/services/{code}.xml"]
    for req in seeded["requests"] + [seeded["held"]]:
        urls += [
            f"/api/open311/v2/requests/{req.reference}.json",
            f"/api/open311/v2/requests/{req.reference}.xml",
            f"/api/open311/v2/request/{req.reference}.json",
            f"/requests/{req.reference}/",
            f"/feeds/requests/{req.reference}/",
            f"/follow/request/{req.reference}/",
        ]
    for req in seeded["requests"]:  # by token: what a requester (or whoever got the link) reads
        urls += [
            f"/api/open311/v2/tokens/{req.tracking_token}.json",
            f"/api/requests/track/{req.tracking_token}",
        ]
    from massline.monthly.models import MonthlyProblem

    urls += ["/monthly/", *(f"/monthly/{pk}/" for pk in MonthlyProblem.objects.values_list("pk", flat=True))]
    urls.append("/consult/")  # the crawl reaches its page limit (MAX_PAGES) before the list is linked to
    c = seeded["consultation"]
    try:
        from massline.consult.embedding import sign_xid

        embed = f"/consult/{c.pk}/embed/?xid=crawler&sig={sign_xid(c, 'crawler')}"
    except ImportError:  # before embedded xids were signed
        embed = f"/consult/{c.pk}/embed/?xid=crawler"
    urls += [f"/consult/{c.pk}/", f"/consult/{c.pk}/vote/", embed]
    # The REST API's public reads: the catalogue, the statistics, consultations with their statements and map.
    urls += ["/api/units?limit=200", "/api/units/a1", "/api/categories?limit=200", f"/api/categories/{code}"]
    urls += [f"/api/statistics{part}" for part in ("", "/volumes", "/categories", "/ranking")]
    urls.append("/api/statistics/first-contact")
    urls += ["/api/consultations", f"/api/consultations/{c.pk}", f"/api/consultations/{c.pk}/map"]
    urls += [f"/api/consultations/{c.pk}/statements?limit=200"]
    # The vote page shows one statement at a time; ask for each (as the "similar statements" links do).
    urls += [f"/consult/{c.pk}/vote/?statement={pk}" for pk in c.statements.values_list("pk", flat=True)]
    urls += [f"{embed}&statement={pk}" for pk in c.statements.values_list("pk", flat=True)]
    for seed in CRAWL_SEEDS + EXTRA_SEEDS:  # the search must not find a request by its personal data
        if seed.raw:
            urls += [f"/requests/?q={quote(seed.raw)}", f"/requests/map/?q={quote(seed.raw)}"]
    for seed in EXTRA_SEEDS[:3]:  # nor the similar requests shown while submitting
        urls.append(f"/requests/similar/?text={quote(seed.raw)}")
    return urls


_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if "pdf" in content_type or "zip" in content_type or "image" in content_type:
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    # JSON escapes (\u6c11) and HTML entities would hide a seed from a plain search: read both decoded.
    if "json" in content_type:
        try:
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text + "\n" + html.unescape(text)


def _without_echo(url: str, text: str) -> str:
    """A search page repeats the visitor's own query (the search box, the pager links): not a leak."""
    queries = parse_qs(urlsplit(url).query).get("q", [])
    if queries:
        text = _SEARCH_BOX.sub("", text)
        text = _QUERY_LINK.sub("", text)
    for query in queries:
        for form in {query, html.escape(query), quote(query), quote_plus(query), json.dumps(query)[1:-1]}:
            text = text.replace(form, "")
    return text


# The search box and the language switch's "next" field carry the query back.
_SEARCH_BOX = re.compile(r"<input[^>]*name=[\"'](?:q|next)[\"'][^>]*>")
_QUERY_LINK = re.compile(r"""href=["'][^"']*\?[^"']*["']""")


def crawl(client, extra_urls: list[str]) -> tuple[dict[str, str], set[str]]:
    """Breadth-first from ``/`` within the site, then the extra URLs: {url: text}, routes read."""
    pages: dict[str, str] = {}
    routes: set[str] = set()
    per_route: Counter[str] = Counter()
    queue = deque(["/", *extra_urls])
    seen = set(queue)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        route = _route_of(path)
        if route is None or any(route.startswith(p) for p in EXCLUDED_PREFIXES):
            continue
        if per_route[route] >= MAX_PER_ROUTE and url not in extra_urls:
            continue
        per_route[route] += 1
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        routes.add(route)
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver") and target not in seen:
                seen.add(target)
                queue.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
            continue
        text = _text_of(response)
        pages[url] = _without_echo(url, text)
        if "html" in response.get("Content-Type", ""):
            for href in _LINK.findall(text):
                target = urljoin(url, html.unescape(href)).split("#")[0]
                parts = urlsplit(target)
                if parts.netloc not in ("", "testserver") or parts.path.startswith(("/static/", "/media/")):
                    continue
                local = parts._replace(scheme="", netloc="").geturl()
                if local not in seen:
                    seen.add(local)
                    queue.append(local)
    return pages, routes


def _in_both_scripts(secret: str) -> set[str]:
    from massline.core.text.script import for_reader

    return {secret, for_reader(secret, "zh-hant"), for_reader(secret, "zh-hans")}


def find_leaks(pages: dict[str, str], seeds: list[Seed]) -> list[tuple[str, str, str]]:
    found = []
    for url, text in pages.items():
        lower, view = text.lower(), digits_view(text)
        for seed in seeds:
            # The raw value always; a secret part (an e-mail's local part, a plate's tail) only when it is
            # long enough not to be an ordinary word of any page ("name", the 12345 hotline).
            # Pages show content in the reader's script, so a secret is looked for in both scripts too.
            hits = [
                s
                for s in secrets_of(seed)
                if (s == seed.raw or len(s) >= 6) and any(v.lower() in lower for v in _in_both_scripts(s))
            ]
            hits += [w for w in digit_windows(seed) if w in view]
            found += [(url, seed.raw, hit) for hit in hits]
    return found


def test_no_seeded_personal_data_on_any_public_page_or_endpoint(client, seeded, settings, tmp_path):
    from massline.opendata.dump import write

    settings.MASSLINE_OPENDATA_DIR = tmp_path
    write(tmp_path)  # the nightly open-data dump, so that /open-data/requests.* serve one to the crawl
    pages, routes = crawl(client, api_urls(seeded))
    for dump in ("/open-data/requests.csv", "/open-data/requests.json"):
        published_in_dump = [i for i in range(len(seeded["requests"])) if f"MARK{i:03d}Q" in pages[dump]]
        assert len(published_in_dump) == len(seeded["requests"]), f"{dump} misses seeded requests"

    # The crawl saw what it had to see: every published request, its reply, the statements.
    everything = "\n".join(pages.values())
    published = [i for i in range(len(seeded["requests"])) if f"MARK{i:03d}Q" in everything]
    assert len(published) == len(seeded["requests"]), "some seeded requests were never seen"
    assert "路灯已修复" in everything and "支持夜市" in everything and "夜市太吵" in everything
    assert "HELDWORD" not in everything and "MARK999" not in everything  # held for review: nowhere

    leaks = find_leaks(pages, CRAWL_SEEDS + EXTRA_SEEDS)
    assert leaks == [], "\n".join(f"{url}: {raw!r} shows as {hit!r}" for url, raw, hit in leaks[:40])

    # Search finds nothing by personal data, and still finds ordinary words.
    # (A flat such as 4樓 is searched as its words, "4" among them, which any number matches: left out.)
    found = [
        seed.raw
        for seed in CRAWL_SEEDS + EXTRA_SEEDS[:3]
        if seed.kind != "address" and "MARK" in pages[f"/requests/?q={quote(seed.raw)}"]
    ]
    assert found == [], f"searching these found a request: {found}"
    assert "MARK" in client.get("/requests/?q=路燈").content.decode()
    # The similar requests shown while submitting find the seeded ones, by text and by place.
    assert "MARK" in pages[SIMILAR_TEXT_URL] and "MARK" in pages[f"/requests/similar/?lat={LAT}&lon={LON}"]

    unread = {r for r in all_routes() if _public(r)} - routes
    assert unread == set(), f"public URL patterns the crawl did not read: {sorted(unread)}"


def _public(route: str) -> bool:
    return not any(route.startswith(p) for p in EXCLUDED_PREFIXES) and route not in EXCLUDED


def test_every_url_pattern_is_crawled_or_excluded_with_a_reason(client, db):
    """A new URL either joins the crawl (``api_urls`` or a link) or is listed here with its reason."""
    routes = all_routes()
    for listed in EXCLUDED:
        assert listed in routes, f"EXCLUDED names {listed!r}, which massline/urls.py no longer has"
    for prefix in EXCLUDED_PREFIXES:
        assert any(r.startswith(prefix) for r in routes), prefix
    # What is excluded as staff-only really refuses an anonymous visitor.
    for url in ("/admin/", "/staff/", "/staff/queue/", "/staff/console/", "/consult/manage/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response["Location"], url
    crawled = {r for r in routes if _public(r)}
    # The crawl test asserts that it reads each of these; this names them, so the list is reviewed.
    assert {"", "requests/", "requests/map/", "statistics/", "api/requests/track/<token>"} <= crawled


def test_the_report_pdf_shows_no_seeded_personal_data(client, seeded):
    if not (shutil.which("pdftotext") and (shutil.which("chromium") or shutil.which("/usr/bin/chromium"))):
        pytest.skip("pdftotext and Chromium are needed to read the PDF report")
    from massline.portal import stats

    response = client.get(f"/report/{stats.latest_month()}.pdf")
    assert response.status_code == 200, response.content[:500]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode("utf-8", errors="replace")
    assert "路灯" in text or "路燈" in text  # the latest replies are printed
    assert find_leaks({"report.pdf": text}, CRAWL_SEEDS + EXTRA_SEEDS) == []


def test_the_consultation_open_data_export_shows_no_seeded_personal_data(client, seeded):
    from massline.consult import actions as consult
    from massline.consult.models import Vote

    c = seeded["consultation"]
    statements = list(c.statements.all())
    for n in range(8):  # enough votes for a map
        p = consult.get_or_create_participant(c, cookie_key=f"voter-{n}")
        for k, st in enumerate(statements):
            consult.cast_vote(p, st, Vote.AGREE if (n + k) % 3 else Vote.DISAGREE)
    client.force_login(seeded["organiser"])
    response = client.get(f"/consult/manage/{c.pk}/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        # Cell by cell: the vote matrix's columns 1,2,3,… would read as "12345678" once commas are dropped.
        files = {
            name: "\n".join("|".join(row) for row in csv.reader(io.StringIO(zf.read(name).decode("utf-8"))))
            for name in zf.namelist()
        }
    assert any("支持夜市" in text for text in files.values())
    assert find_leaks(files, CRAWL_SEEDS) == []
