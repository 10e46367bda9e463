"""The page cache as visitors meet it: a cached page, then a change through the registry, then the next
visit; languages; staff and anonymous visitors; cookies; forms posted from a cached page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.actions import ActionInput

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True, params=["memory", "files"])
def _page_cache_on(request, settings, tmp_path):
    """Each test twice: with this process's memory, and with a cache shared between processes (files,
    standing in for Redis), where the near cache of recent pages is used as well."""
    from django.core.cache import cache

    from massline.pagecache.generations import forget
    from massline.pagecache.pages import near

    if request.param == "files":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path),
            }
        }
    settings.MASSLINE_PAGE_CACHE = True
    cache.clear()
    near.clear()
    forget()
    yield
    cache.clear()
    near.clear()
    forget()


@pytest.fixture
def signed(make_request, actors, category):
    """A public request the housing department has signed for (nothing replied yet)."""
    req = make_request(text="幸福路的路灯坏了两个月，晚上很黑，请尽快维修。")
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    wf.do_sign(req, actors["staff-housing"])
    req.refresh_from_db()
    return req


def get(client, url, lang="en", **extra):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang, **extra)


def test_a_reply_through_the_registry_shows_on_the_next_visit(
    client, signed, actors, django_capture_on_commit_callbacks
):
    page = f"/requests/{signed.reference}/"
    first = get(client, page)
    assert first["X-Page-Cache"] == "miss" and "Not replied yet." in first.content.decode()
    assert get(client, page)["X-Page-Cache"] == "hit"
    assert get(client, "/requests/")["X-Page-Cache"] == "miss"
    assert get(client, "/requests/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        inp = ActionInput(text="路灯已经修好，感谢反映。", expected_version=signed.version)
        registry.perform("reply", signed, actors["staff-housing"], inp)

    after = get(client, page)
    assert after["X-Page-Cache"] == "miss"
    assert "路灯已经修好" in after.content.decode() and "Not replied yet." not in after.content.decode()
    assert get(client, "/requests/")["X-Page-Cache"] == "miss"  # the card's state changed too


def test_another_requests_change_keeps_a_page_cached(client, signed, make_request, actors, category):
    page = f"/requests/{signed.reference}/"
    get(client, page)
    other = make_request(text="和平街的下水道堵了，污水流到路上。")
    wf.do_dispatch(other, actors["dispatcher"], category=category)
    assert get(client, page)["X-Page-Cache"] == "hit"
    assert get(client, "/requests/")["X-Page-Cache"] == "miss"


def test_languages_never_mix(client, signed):
    english = get(client, "/requests/", "en")
    simplified = get(client, "/requests/", "zh-hans")
    traditional = get(client, "/requests/", "zh-hant")
    assert [r["X-Page-Cache"] for r in (english, simplified, traditional)] == ["miss"] * 3
    for lang, tag in (("en", 'lang="en"'), ("zh-hans", 'lang="zh-Hans"'), ("zh-hant", 'lang="zh-Hant"')):
        again = get(client, "/requests/", lang)
        assert again["X-Page-Cache"] == "hit" and f"<html {tag}>" in again.content.decode()
    # the request's text in each reader's script: 灯 for Simplified, 燈 for Traditional
    assert "路灯" in get(client, "/requests/", "zh-hans").content.decode()
    assert "路燈" in get(client, "/requests/", "zh-hant").content.decode()
    original = get(client, "/requests/?script=original", "zh-hant")
    assert original["X-Page-Cache"] == "miss" and "路灯" in original.content.decode()


def test_staff_never_get_an_anonymous_page_nor_leave_theirs(client, signed, staff):
    staff_client = Client()
    staff_client.force_login(staff["dispatcher"])
    seen_by_staff = get(staff_client, "/requests/")
    assert seen_by_staff["X-Page-Cache"] == "pass"
    assert get(client, "/requests/")["X-Page-Cache"] == "miss"  # the staff member's page was not stored
    assert get(client, "/requests/")["X-Page-Cache"] == "hit"
    assert get(staff_client, "/requests/")["X-Page-Cache"] == "pass"


def test_a_cached_page_sets_no_cookie_and_each_visitor_gets_their_own_token(client, signed):
    page = f"/requests/{signed.reference}/"
    get(client, page)  # stored
    alice, bob = Client(), Client()
    first_a, first_b = get(alice, page), get(bob, page)
    assert first_a["X-Page-Cache"] == first_b["X-Page-Cache"] == "hit"
    # a first visit gets its own form-token cookie, nothing else
    assert set(first_a.cookies) == {"csrftoken"} and set(first_b.cookies) == {"csrftoken"}
    assert first_a.cookies["csrftoken"].value != first_b.cookies["csrftoken"].value
    again = get(alice, page)
    assert again["X-Page-Cache"] == "hit" and not again.cookies and "Set-Cookie" not in again
    tokens_a = set(TOKEN.findall(first_a.content.decode()))
    tokens_b = set(TOKEN.findall(first_b.content.decode()))
    assert tokens_a and tokens_b and not tokens_a & tokens_b


def test_forms_posted_from_a_cached_page_work(client, signed):
    page = f"/requests/{signed.reference}/"
    get(client, page)  # stored by someone else
    visitor = Client(enforce_csrf_checks=True)
    cached = get(visitor, page)
    assert cached["X-Page-Cache"] == "hit"
    token = TOKEN.search(cached.content.decode()).group(1)
    said = visitor.post(
        f"/requests/{signed.reference}/me-too/", {"csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert said.status_code == 302
    thanked = get(visitor, page)  # a message waits: rendered for this visitor, not stored
    assert thanked["X-Page-Cache"] == "pass" and "You are the first" in thanked.content.decode()
    counted = get(Client(), page)
    assert "People who said “me too”: 1" in counted.content.decode()

    # the language switcher of a cached page
    switched = visitor.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "zh-hans", "next": page}
    )
    assert switched.status_code == 302 and visitor.cookies["django_language"].value == "zh-hans"
    # a forged post (no token) is still refused
    assert Client(enforce_csrf_checks=True).post(f"/requests/{signed.reference}/me-too/").status_code == 403


def test_a_message_for_the_visitor_is_never_stored(client, signed):
    page = f"/requests/{signed.reference}/"
    client.post(f"/requests/{signed.reference}/me-too/", HTTP_ACCEPT_LANGUAGE="en")
    with_message = get(client, page)
    assert with_message["X-Page-Cache"] == "pass" and "message" in with_message.content.decode()
    plain = get(Client(), page)
    assert plain["X-Page-Cache"] == "miss" and 'class="messages"' not in plain.content.decode()


def test_unknown_and_odd_addresses_are_never_stored(client, db):
    assert get(client, "/requests/nope%00x/").status_code == 400
    for _ in range(2):
        missing = get(client, "/requests/ZZ-unknown/")
        assert missing.status_code == 404 and missing.get("X-Page-Cache") != "hit"
    for _ in range(2):
        odd = get(client, "/requests/%E4%B8%AD%20%7B%7D/")
        assert odd.status_code == 404 and odd.get("X-Page-Cache") != "hit"


def test_open311_reads_are_cached_until_a_change(client, signed, actors, django_capture_on_commit_callbacks):
    one = f"/api/open311/v2/requests/{signed.reference}.json"
    before = client.get(one)
    assert before["X-Page-Cache"] == "miss" and client.get(one)["X-Page-Cache"] == "hit"
    assert client.get("/api/open311/v2/requests.json")["X-Page-Cache"] == "miss"
    assert client.get("/api/open311/v2/requests.json")["X-Page-Cache"] == "hit"
    assert client.get(one + "?api_key=x")["X-Page-Cache"] == "pass"  # a caller with a key: never cached
    with django_capture_on_commit_callbacks(execute=True):
        inp = ActionInput(text="路灯已经修好。", expected_version=signed.version)
        registry.perform("reply", signed, actors["staff-housing"], inp)
    after = client.get(one)
    assert after["X-Page-Cache"] == "miss" and after.json() != before.json()
    assert client.get("/api/open311/v2/requests.json")["X-Page-Cache"] == "miss"


def test_switched_off_everything_is_rendered(client, signed, settings):
    settings.MASSLINE_PAGE_CACHE = False
    assert get(client, "/requests/")["X-Page-Cache"] == "pass"
    assert get(client, "/requests/")["X-Page-Cache"] == "pass"


def test_a_change_made_by_another_process_retires_the_page(client, signed, settings):
    """Another web process's bump is an increment of the shared counter; asked on every page (0 s of
    trust) the next visit here renders again."""
    from django.core.cache import cache

    from massline.pagecache.generations import PREFIX, REQUESTS

    settings.MASSLINE_PAGE_CACHE_COUNTER_SECONDS = 0
    get(client, "/requests/")
    assert get(client, "/requests/")["X-Page-Cache"] == "hit"
    cache.incr(PREFIX + REQUESTS)  # what another process's bump does
    assert get(client, "/requests/")["X-Page-Cache"] == "miss"


def test_staff_filter_choices_are_kept_until_the_city_changes(staff):
    """The staff lists' unit and catalogue choices come from the cache; a unit the operator console adds
    is offered at once."""
    from massline.console.actions import ConsoleActor, save_unit
    from massline.workbench.filters import RequestFilterForm
    from massline.workflow.models import Unit

    def units() -> set[str]:
        return {code for code, _label in RequestFilterForm().fields["unit"].choices}

    before = units()
    assert units() == before  # the second form reads the cache
    root = Unit.objects.filter(parent__isnull=True).first()
    save_unit(ConsoleActor.of(staff["admin"]), "pc-new", name="新區街道辦", parent=root, create=True)
    assert units() == before | {"pc-new"}
