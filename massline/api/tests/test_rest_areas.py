"""The REST API beyond requests: units, categories, statistics, consultations, supervisions, subscriptions
and webhooks. Who may call what (as on the web), keyset pagination, vote idempotency, the webhook secret
shown once, and /api/health never rate-limited."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from .test_rest import call

SH = ZoneInfo("Asia/Shanghai")


def walk(client, url, key=None, limit=2, between=None):
    """Every item of a paged list, following ``next``; ``between(page_number)`` runs after each page."""
    items, after, pages = [], None, 0
    while True:
        sep = "&" if "?" in url else "?"
        query = f"{sep}limit={limit}" + (f"&after={quote(after)}" if after else "")
        response = call(client, "get", url + query, key)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["limit"] == limit and len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        if between:
            between(pages)
        after = body["next"]
        if after is None:
            return items
        assert pages < 500


@pytest.fixture(autouse=True)
def _english_and_unlimited(client, settings):
    """The checks read the actions' English messages (the API answers in the caller's language), and walk
    lists faster than a client may call (the health test sets its own limit)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    settings.MASSLINE_API_RATE_LIMIT = settings.MASSLINE_API_ANON_RATE_LIMIT = 0


@pytest.fixture
def organiser_key(staff):
    from massline.api.actions import create_api_key

    return create_api_key("organiser", user=staff["supervisor"])[1]


@pytest.fixture
def admin_key(staff):
    from massline.api.actions import create_api_key

    return create_api_key("admin key", user=staff["admin"])[1]


@pytest.fixture
def consultation(staff):
    from massline.consult import actions

    c = actions.create_consultation(
        staff["supervisor"],
        title="夜市",
        question="河濱路每週一晚設夜市，好不好？",
        seed_statements=["夜市讓街道更熱鬧。", "晚上十點以後需要安靜。", "河濱路交通已經太擠了。"],
    )
    actions.open_consultation(c, staff["supervisor"])
    return c


# --- health --------------------------------------------------------------------------------------------


def test_health_is_never_rate_limited_while_everything_else_is(client, settings, city):
    settings.MASSLINE_THROTTLE_ENABLED = True
    settings.MASSLINE_API_ANON_RATE_LIMIT = 5
    statuses = [client.get("/api/health").status_code for _ in range(500)]
    assert statuses == [200] * 500
    others = [client.get("/api/units").status_code for _ in range(7)]
    assert others[:5] == [200] * 5 and others[5:] == [429, 429], others  # the limit was on all along


# --- units and categories --------------------------------------------------------------------------------


def test_units_come_as_a_tree_page_by_page(client, city):
    from massline.workflow.models import Unit

    units = walk(client, "/api/units", limit=4)
    assert [u["code"] for u in units] == list(
        Unit.objects.order_by("path", "id").values_list("code", flat=True)
    )
    seen = set()
    for u in units:  # a parent before its children
        assert u["parent"] is None or u["parent"] in seen
        seen.add(u["code"])
    a3 = client.get("/api/units/a3").json()
    assert "a3-guanling" in [c["code"] for c in a3["children"]]
    branch = walk(client, "/api/units?within=a3")
    assert {u["code"] for u in branch} == {"a3", *(c["code"] for c in a3["children"])}
    assert client.get("/api/units/nope").status_code == 404


def test_categories_say_where_their_requests_go(client, category):
    body = client.get("/api/categories?level=1&limit=200").json()
    row = next(c for c in body["items"] if c["code"] == category.code)
    assert row["routed_to"]["code"] == category.effective_unit().code and row["level"] == 1
    child = category.children.first()
    detail = client.get(f"/api/categories/{child.code}").json()
    assert detail["parent"] == category.code and detail["full_name"].startswith(category.name + " / ")
    assert detail["routed_to"]["code"] == child.effective_unit().code


def test_a_changed_cursor_is_refused(client, city):
    first = client.get("/api/units?limit=2").json()
    other = client.get("/api/categories?limit=2").json()["next"]  # another list's cursor
    for bad in (first["next"][:-3] + "abc", other, "not-a-cursor"):
        response = client.get("/api/units", {"limit": 2, "after": bad})
        assert response.status_code == 422 and response.json()["code"] == "invalid_cursor"


# --- statistics ----------------------------------------------------------------------------------------


def test_statistics_are_the_statistics_page_figures(client, make_request, actors, category):
    from massline.portal import stats
    from massline.workflow import actions as wf

    for i in range(3):
        req = make_request(text=f"第{i}号楼前的路灯坏了")
        wf.do_dispatch(req, actors["dispatcher"], category=category, at=datetime(2026, 3, 2, 11, tzinfo=SH))
    head = client.get("/api/statistics").json()
    page = stats.headline(None)
    assert (head["total"], head["replied"], head["closed"]) == (page.total, page.replied, page.closed)
    ranking = walk(client, "/api/statistics/ranking", limit=1)
    shown = stats.ranking(None)
    assert [r["unit"]["name"] for r in ranking] == [r.unit for r in shown.rows + shown.too_few]
    assert [r["composite"] for r in ranking] == [r.composite for r in shown.rows + shown.too_few]
    month = client.get("/api/statistics/ranking?month=2026-03").json()
    assert sum(r["dispatched"] for r in month["items"]) >= 3
    volumes = walk(client, "/api/statistics/volumes", limit=5)
    assert [(v["month"], v["requests"]) for v in volumes] == [tuple(x) for x in stats.monthly_volumes(12)]
    cats = client.get("/api/statistics/categories").json()["items"]
    assert [(c["category"], c["requests"]) for c in cats] == [
        tuple(x) for x in stats.category_volumes(None, 12)
    ]
    assert client.get("/api/statistics/first-contact").status_code == 200
    bad = client.get("/api/statistics/ranking?month=2026-13")
    assert bad.status_code == 422 and "YYYY-MM" in bad.json()["detail"]


# --- consultations -------------------------------------------------------------------------------------


def test_drafts_are_for_organisers(client, staff, organiser_key, api_keys):
    from massline.consult import actions

    draft = actions.create_consultation(staff["supervisor"], title="草稿", question="還沒公開的問題")
    assert client.get(f"/api/consultations/{draft.pk}").status_code == 404
    assert draft.pk not in [c["id"] for c in walk(client, "/api/consultations")]
    assert call(client, "get", f"/api/consultations/{draft.pk}", api_keys["dispatcher"]).status_code == 404
    assert call(client, "get", f"/api/consultations/{draft.pk}", organiser_key).json()["status"] == "draft"
    assert (
        call(client, "get", "/api/consultations", "ml_wrong").status_code == 401
    )  # a wrong key is no visitor


def test_a_vote_is_idempotent_and_needs_a_participant(client, consultation, organiser_key):
    from massline.consult.embedding import sign_xid
    from massline.consult.models import Vote

    st = consultation.voter_statements().first()
    url = f"/api/consultations/{consultation.pk}/votes"
    nobody = call(client, "post", url, body={"statement": st.pk, "vote": "agree"})
    assert nobody.status_code == 403 and nobody.json()["code"] == "no_participant"
    forged = call(
        client, "post", url, body={"statement": st.pk, "vote": "agree", "xid": "u1", "sig": "0" * 64}
    )
    assert forged.status_code == 403
    signed = {"statement": st.pk, "vote": "agree", "xid": "u1", "sig": sign_xid(consultation, "u1")}
    first = call(client, "post", url, body=signed)
    again = call(client, "post", url, body=signed)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again.json()["changes"] == 0
    assert Vote.objects.filter(statement=st).count() == 1
    changed = call(client, "post", url, body={**signed, "vote": "disagree"}).json()
    assert changed["vote"] == "disagree" and changed["changes"] == 1
    as_account = call(client, "post", url, organiser_key, body={"statement": st.pk, "vote": "pass"})
    assert as_account.status_code == 200 and Vote.objects.filter(statement=st).count() == 2


def test_a_closed_consultation_takes_no_votes(client, consultation, staff):
    from massline.consult import actions
    from massline.consult.embedding import sign_xid

    actions.close_consultation(consultation, staff["supervisor"])
    st = consultation.statements.first()
    body = {"statement": st.pk, "vote": "agree", "xid": "u2", "sig": sign_xid(consultation, "u2")}
    response = call(client, "post", f"/api/consultations/{consultation.pk}/votes", body=body)
    assert response.status_code == 409 and "closed" in response.json()["detail"].lower()


def test_statements_are_moderated_as_on_the_web(client, consultation, settings):
    from massline.consult.embedding import sign_xid

    settings.MASSLINE_HOLD_SCORE = 1.01
    who = {"xid": "u3", "sig": sign_xid(consultation, "u3")}
    url = f"/api/consultations/{consultation.pk}/statements"
    similar = call(client, "post", url, body={**who, "text": "夜市讓街道更熱鬧。"})
    assert similar.status_code == 409 and similar.json()["code"] == "similar_statements"
    assert similar.json()["similar"][0]["text"] == "夜市讓街道更熱鬧。"
    added = call(client, "post", url, body={**who, "text": "夜市應該在晚上九點半結束收攤。", "confirm": True})
    assert added.status_code == 201, added.content
    assert added.json()["state"] == "pending" and added.json()["shown_to_voters"] is False  # pre-moderated
    listed = [s["id"] for s in walk(client, url)]
    assert added.json()["id"] not in listed and len(listed) == 3
    short = call(client, "post", url, body={**who, "text": "好"})
    assert short.status_code == 422


def test_statement_text_is_redacted_for_voters(client, consultation, staff):
    from massline.consult import actions

    actions.add_statement(
        consultation, None, "有事請打13912345678找我", by_organiser=True, user=staff["supervisor"]
    )
    texts = [s["text"] for s in walk(client, f"/api/consultations/{consultation.pk}/statements")]
    assert not any("13912345678" in t for t in texts)


def test_paging_sees_every_row_once_while_rows_are_added(client, consultation, staff):
    """Newest-first and oldest-first lists, with rows inserted between the pages: an OFFSET would show a
    row twice (newest first) or skip one; the keyset shows each row that was there exactly once."""
    from massline.consult import actions
    from massline.consult.models import Consultation

    organiser = staff["supervisor"]
    for i in range(5):
        actions.open_consultation(
            actions.create_consultation(organiser, title=f"題{i}", question="問題"), organiser
        )
    there = set(Consultation.objects.exclude(status="draft").values_list("pk", flat=True))

    def insert(page):
        actions.open_consultation(
            actions.create_consultation(organiser, title=f"新{page}", question="問題"), organiser
        )

    ids = [c["id"] for c in walk(client, "/api/consultations", limit=2, between=insert)]
    assert len(ids) == len(set(ids)) and set(ids) == there  # each once; the new ones are above the cursor

    url = f"/api/consultations/{consultation.pk}/statements"
    there = set(consultation.voter_statements().values_list("pk", flat=True))

    def add(page):
        if page > 3:  # a list that grows a row per page read would never end
            return
        actions.add_statement(
            consultation, None, f"新的觀點第{page}條，請考慮。", by_organiser=True, user=organiser
        )

    seen = [s["id"] for s in walk(client, url, limit=1, between=add)]
    assert len(seen) == len(set(seen)) and there <= set(seen)  # each once; the new ones come at the end
    assert set(seen) == set(consultation.voter_statements().values_list("pk", flat=True))


def test_the_opinion_map_shows_groups_and_consensus(client, consultation, settings):
    from massline.consult import actions
    from massline.consult.models import Vote

    settings.MASSLINE_OPINION_DEBOUNCE_SECONDS = 0
    statements = list(consultation.voter_statements())
    pattern = [(1, -1, 1), (1, -1, 1), (1, 1, -1), (1, 1, -1), (1, -1, -1), (1, 1, 1)]
    for n, votes in enumerate(pattern):
        p = actions.get_or_create_participant(consultation, xid=f"p{n}")
        for st, value in zip(statements, votes, strict=True):
            actions.cast_vote(p, st, value)
    from massline.consult.tasks import recompute_opinion_map

    recompute_opinion_map(consultation.pk, force=True)
    body = client.get(f"/api/consultations/{consultation.pk}/map").json()
    assert body["computed_at"] and body["votes"] == Vote.objects.filter(consultation=consultation).count()
    assert body["participants"] == len(pattern)
    everyone = [r["id"] for r in body["consensus"]["agree"]]
    assert statements[0].pk in everyone  # all six agree with the first statement


# --- supervisions --------------------------------------------------------------------------------------


@pytest.fixture
def supervision(make_request, actors, category):
    from massline.workflow import actions as wf

    req = make_request(text="樓道燈壞了很久沒人修")
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    return wf.raise_supervision(req, "sign_overdue", datetime(2026, 3, 9, 10, tzinfo=SH))


def test_supervisions_are_for_supervisors(client, supervision, api_keys, admin_key):
    assert client.get("/api/supervisions").status_code == 401
    assert call(client, "get", "/api/supervisions", api_keys["client"]).json()["code"] == "not_staff"
    for name in ("dispatcher", "staff-housing", "discipline"):
        assert call(client, "get", "/api/supervisions", api_keys[name]).status_code == 403
    for key in (api_keys["supervisor"], admin_key):
        items = call(client, "get", "/api/supervisions", key).json()["items"]
        assert supervision.pk in [s["id"] for s in items]
    one = call(client, "get", f"/api/supervisions/{supervision.pk}", api_keys["supervisor"]).json()
    assert one["reason"] == "sign_overdue" and one["request"]["reference"] == supervision.request.reference


def test_resolving_a_supervision_goes_through_the_board(client, supervision, api_keys):
    from massline.workflow.models import AuditEvent

    url = f"/api/supervisions/{supervision.pk}/resolve"
    assert call(client, "post", url, api_keys["dispatcher"], body={"note": "已督促"}).status_code == 403
    assert call(client, "post", url, api_keys["supervisor"], body={"note": ""}).status_code == 422
    done = call(client, "post", url, api_keys["supervisor"], body={"note": "已電話督促簽收"})
    assert done.status_code == 200 and done.json()["resolved_at"] and "已電話督促簽收" in done.json()["note"]
    event = AuditEvent.objects.filter(request=supervision.request, action="supervision_resolved").get()
    assert event.actor_label == "supervisor"
    assert call(client, "post", url, api_keys["supervisor"], body={"note": "再一次"}).status_code == 409
    open_now = call(client, "get", "/api/supervisions", api_keys["supervisor"]).json()["items"]
    assert supervision.pk not in [s["id"] for s in open_now]
    resolved = call(client, "get", "/api/supervisions?status=resolved", api_keys["supervisor"]).json()[
        "items"
    ]
    assert supervision.pk in [s["id"] for s in resolved]


# --- subscriptions --------------------------------------------------------------------------------------


def test_following_by_api_takes_the_portals_double_opt_in(client, make_request, actors, category, settings):
    from massline.subscriptions import actions
    from massline.subscriptions.models import Subscription
    from massline.workflow import actions as wf

    settings.MASSLINE_PREMODERATE = False
    req = make_request(text="公園的長椅壞了")
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    asked = call(
        client, "post", "/api/subscriptions", body={"email": "Fan@Example.org", "reference": req.reference}
    )
    assert asked.status_code == 202 and req.reference in asked.json()["following"]
    again = call(
        client, "post", "/api/subscriptions", body={"email": "fan@example.org", "reference": req.reference}
    )
    assert again.json() == asked.json()  # nobody learns what an address follows
    sub = Subscription.objects.get(email="fan@example.org")
    assert not sub.confirmed
    token = urlsplit(actions.confirm_url(sub)).path.rstrip("/").rsplit("/", 1)[1]
    confirmed = call(client, "post", f"/api/subscriptions/confirm/{token}")
    assert confirmed.status_code == 200 and Subscription.objects.get(pk=sub.pk).confirmed
    stop = urlsplit(confirmed.json()["stop_url"]).path.rstrip("/").rsplit("/", 1)[1]
    assert call(client, "delete", f"/api/subscriptions/{stop}").json()["stopped"] is True
    assert call(client, "delete", f"/api/subscriptions/{stop}").json()["stopped"] is False
    assert not Subscription.objects.filter(pk=sub.pk).exists()
    assert call(client, "post", "/api/subscriptions/confirm/forged").status_code == 404


def test_misconduct_reports_cannot_be_followed(client, make_request):
    report = make_request(text="某科长收受红包", kind="report")
    response = call(
        client, "post", "/api/subscriptions", body={"email": "a@example.org", "reference": report.reference}
    )
    assert response.status_code == 404
    bad = call(client, "post", "/api/subscriptions", body={"email": "not-an-address", "unit": "a1"})
    assert bad.status_code == 422


# --- webhooks ------------------------------------------------------------------------------------------


def test_webhooks_are_for_administrators_and_the_secret_is_shown_once(client, admin_key, api_keys):
    import json

    from massline.console.models import ConfigEvent

    body = {
        "name": "city-dashboard",
        "url": "https://dashboard.example.org/hook",
        "events": ["dispatch", "reply"],
    }
    assert client.get("/api/webhooks").status_code == 401
    assert call(client, "post", "/api/webhooks", api_keys["supervisor"], body=body).status_code == 403
    created = call(client, "post", "/api/webhooks", admin_key, body=body)
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert len(secret) >= 16
    listed = call(client, "get", "/api/webhooks", admin_key)
    one = call(client, "get", "/api/webhooks/city-dashboard", admin_key)
    for later in (listed, one):
        assert later.status_code == 200 and secret not in later.content.decode()
    assert one.json()["secret_fingerprint"] == created.json()["secret_fingerprint"]
    event = ConfigEvent.objects.get(action="webhook.create")
    assert secret not in json.dumps(event.after)
    assert call(client, "post", "/api/webhooks", admin_key, body=body).status_code == 409
    unknown = call(
        client, "post", "/api/webhooks", admin_key, body={**body, "name": "x2", "events": ["nope"]}
    )
    assert unknown.status_code == 422 and "nope" in unknown.json()["detail"]
    log = call(client, "get", "/api/webhooks/city-dashboard/deliveries", admin_key)
    assert log.status_code == 200 and log.json()["items"] == []
    assert call(client, "delete", "/api/webhooks/city-dashboard", api_keys["dispatcher"]).status_code == 403
    assert call(client, "delete", "/api/webhooks/city-dashboard", admin_key).status_code == 204
    assert ConfigEvent.objects.filter(action="webhook.delete").exists()
    assert call(client, "get", "/api/webhooks/city-dashboard", admin_key).status_code == 404


def test_the_delivery_log_pages_newest_first(client, admin_key, make_request, actors, category, staff):
    from massline.console.actions import ConsoleActor
    from massline.webhooks import actions
    from massline.workflow import actions as wf

    actions.create_subscription(
        ConsoleActor.of(staff["admin"]), name="log", url="http://127.0.0.1:9/", events=["*"]
    )
    for i in range(3):
        req = make_request(text=f"第{i}个井盖丢了")
        wf.do_dispatch(req, actors["dispatcher"], category=category)
    rows = walk(client, "/api/webhooks/log/deliveries", admin_key, limit=2)
    assert len(rows) == 6 and len({r["id"] for r in rows}) == 6  # submit + dispatch, three times
    assert [r["created_at"] for r in rows] == sorted((r["created_at"] for r in rows), reverse=True)


def test_asking_to_follow_is_throttled_like_the_portal_form(client, make_request, settings):
    settings.MASSLINE_THROTTLE_ENABLED = True
    settings.MASSLINE_SUBSCRIBE_EMAIL_RATE = "2/3600"
    req = make_request(text="公園的長椅壞了")
    body = {"email": "flood@example.org", "reference": req.reference}
    answers = [call(client, "post", "/api/subscriptions", body=body) for _ in range(3)]
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert answers[2].json()["code"] == "throttled" and int(answers[2]["Retry-After"]) > 0
