"""Similar public requests while submitting (/requests/similar/): near the place or similar in text,
only listed and redacted, bounded input, and the submit form still works without the script."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from massline.core.similar import containment_scores, distance_m, similar_texts
from massline.portal.actions import me_too

pytestmark = pytest.mark.django_db

LAT, LON = 28.18, 112.94
PHONE = "13912345678"


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def recent(make_request):
    def make(text, days=3, **kwargs):
        kwargs.setdefault("title", text[:12])
        return make_request(text=text, at=timezone.now() - timedelta(days=days), **kwargs)

    return make


def similar(client, **params):
    return client.get("/requests/similar/", params)


# --- the measure (core, no database) --------------------------------------------------------------------


def test_containment_finds_the_request_that_says_what_was_typed_in_either_script():
    texts = ["麓山南路路灯坏了两个月，晚上很黑", "小区垃圾没人清运，臭气熏天", "公交站台破损"]
    hits = similar_texts("麓山南路路燈壞了", texts)
    assert [i for i, _ in hits] == [0] and hits[0][1] > 0.9
    assert similar_texts("路灯", texts) == []  # two characters say too little
    assert containment_scores("anything at all", []).size == 0


def test_distance_is_in_metres():
    assert 299 < distance_m(28.2, 112.9, 28.2027, 112.9) < 302
    assert distance_m(LAT, LON, LAT, LON) == 0


# --- the endpoint ---------------------------------------------------------------------------------------


def test_a_request_similar_in_text_is_found_with_its_state_date_and_me_too_link(client, recent):
    found = recent("麓山南路路灯坏了两个月，晚上很黑，请尽快维修。")
    recent("小区垃圾没人清运，臭气熏天。")
    me_too(found, "a-neighbour")
    page = similar(client, text="麓山南路的路燈壞了").content.decode()
    assert found.reference in page and "similar text" in page
    assert f'href="/requests/{found.reference}/#me-too"' in page
    assert "“Me too”: 1" in page
    assert "垃圾" not in page
    assert "badge-" in page and "<time" in page


def test_a_request_near_the_place_is_found_with_its_distance(client, recent):
    near = recent("这里的井盖松动了，车一过就响。", lat=LAT + 0.0015, lon=LON)  # about 170 m north
    far = recent("这里的井盖松动了，车一过就响。", lat=LAT + 0.02, lon=LON)  # about 2 km
    page = similar(client, lat=LAT, lon=LON).content.decode()
    assert near.reference in page and far.reference not in page
    assert "m away" in page and "similar text" not in page


def test_old_requests_are_not_offered(client, recent):
    old = recent("麓山南路路灯坏了两个月，晚上很黑", days=120)
    assert old.reference not in similar(client, text="麓山南路路灯坏了").content.decode()


def test_no_report_held_request_or_personal_data_is_ever_shown(client, recent, settings):
    text = f"麓山南路路灯坏了，我是王小明，电话{PHONE}，请回电。"
    shown = recent(text, contact_name="王小明", contact_phone=PHONE, lat=LAT, lon=LON)
    report = recent("麓山南路路灯的维修科长收受红包", kind="report", lat=LAT, lon=LON)
    settings.MASSLINE_PREMODERATE = True
    held = recent("麓山南路路灯坏了 HELDWORD", lat=LAT, lon=LON)
    settings.MASSLINE_PREMODERATE = False
    page = similar(client, text="麓山南路路灯坏了请回电", lat=LAT, lon=LON).content.decode()
    assert shown.reference in page
    assert report.reference not in page and held.reference not in page and "HELDWORD" not in page
    assert PHONE not in page and "王小明" not in page
    assert str(LAT + 0) + "0" not in page  # no coordinates either


def test_search_reads_only_the_redacted_text(client, recent):
    req = recent(f"路灯坏了，有事打{PHONE}联系我", title="路灯坏了")
    assert PHONE[3:7] not in req.public_text
    page = similar(client, text=PHONE).content.decode()
    assert "<li" not in page, "a phone number finds nothing: it is masked in the searched column"


def test_the_form_script_posts_so_the_typed_text_is_in_no_url(recent):
    found = recent("麓山南路路灯坏了两个月，晚上很黑，请尽快维修。")
    person = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = person.get("/submit/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = person.post("/requests/similar/", {"text": "麓山南路的路燈壞了", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and found.reference in response.content.decode()
    assert person.post("/requests/similar/", {"text": "麓山南路的路燈壞了"}).status_code == 403  # no token


@pytest.mark.parametrize(
    "params, message",
    [
        ({"text": "路灯" * 1500}, "too long to compare"),
        ({"lat": "north", "lon": "112.9"}, "latitude must be a number"),
        ({"lat": "95", "lon": "112.9"}, "latitude must be a number"),
        ({"lat": "28.1", "lon": "nan"}, "longitude must be a number"),
        ({"lat": "28.1"}, "Give both latitude and longitude"),
    ],
)
def test_bad_input_gets_a_clear_400(client, db, params, message):
    response = similar(client, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_submit_form_carries_the_similar_box_and_still_posts_without_script(client, db):
    page = client.get("/submit/").content.decode()
    assert 'data-similar-url="/requests/similar/"' in page and "portal/similar.js" in page
    assert "<script>" not in page  # no inline script (CSP)
