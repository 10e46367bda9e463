"""Issue 9 on the portal: search reads only the redacted text, excerpts are redacted before they are cut,
the requester is hidden everywhere, places are coarse, and held requests stay off every public page."""

from __future__ import annotations

import json
import re

import pytest

PHONE = "13812345678"
ID = "430104198703151233"
NAME = "欧阳志远"


@pytest.fixture
def published(make_request, settings):
    settings.MASSLINE_PREMODERATE = False
    return make_request(
        text=f"麓山南路的路燈壞了兩個月。請回電{PHONE}，身份證{ID}。{NAME}敬上",
        title="路燈壞了",
        contact_name=NAME,
        address="长沙市岳麓区麓山南路12号3栋2单元501室",
        lat=28.123456,
        lon=112.987654,
    )


def _found(client, q: str, path: str = "/requests/") -> bool:
    return "路燈壞了" in client.get(path, {"q": q}).content.decode()


def test_public_search_reads_only_the_redacted_text(client, published):
    assert _found(client, "路燈") and _found(client, "路灯")  # both scripts still find it
    assert _found(client, "138****5678")  # what the page shows can be searched
    # The hidden digits cannot be found one at a time, nor the whole number, the ID or the name.
    for guess in [f"138{d}" for d in "0123456789"] + [PHONE, ID, ID[6:14], NAME]:
        assert not _found(client, guess), guess
        assert not _found(client, guess, "/requests/map/"), guess


def test_the_stored_public_text_follows_the_text(published):
    assert PHONE not in published.public_text and NAME not in published.public_text
    assert "路燈壞了" in published.public_text


def test_cards_redact_before_they_cut(client, make_request):
    # A number straddling the 140-character cut used to show its first digits.
    make_request(text="路灯坏了" + "很" * 128 + f"电话{PHONE}谢谢", title="路灯")
    page = client.get("/requests/").content.decode()
    assert "138123" not in re.sub(r"\s", "", page) and "13812" not in page


def test_the_requester_and_the_flat_are_hidden_and_points_rounded(client, published):
    for url in ("/requests/", f"/requests/{published.reference}/", "/requests/map/"):
        page = client.get(url).content.decode()
        assert NAME not in page and "501室" not in page and "2单元" not in page, url
    detail = client.get(f"/requests/{published.reference}/").content.decode()
    assert "麓山南路12号3栋" in detail
    points = json.loads(
        re.search(
            r'id="map-points"[^>]*>(.*?)</script>', client.get("/requests/map/").content.decode(), re.S
        ).group(1)
    )
    assert [(p["lat"], p["lon"]) for p in points] == [(28.123, 112.988)]
    record = client.get(f"/api/open311/v2/requests/{published.reference}.json").json()[0]
    assert (record["lat"], record["long"]) == (28.123, 112.988)
    assert record["address"] == "长沙市岳麓区麓山南路12号3栋" and NAME not in record["description"]


def test_a_held_request_is_on_no_public_page_until_released(client, make_request, settings, actors):
    from massline.workflow import moderation

    settings.MASSLINE_PREMODERATE = True
    req = make_request(text="人行道的井盖丢了", title="井盖丢了")
    assert req.held
    assert "井盖丢了" not in client.get("/requests/").content.decode()
    assert client.get(f"/requests/{req.reference}/").status_code == 404
    assert client.get(f"/api/open311/v2/requests/{req.reference}.json").status_code == 404
    moderation.release(req, actors["dispatcher"])
    assert "井蓋丟了" in client.get("/requests/").content.decode()
    assert [e.action for e in req.events.all()][-1] == "release"
    # The public timeline does not show the office's review.
    assert client.get(f"/requests/{req.reference}/").status_code == 200


def test_a_text_that_still_looks_personal_is_held(make_request, settings):
    settings.MASSLINE_PREMODERATE = False
    settings.MASSLINE_HOLD_SCORE = 0.5
    # A number the detector cannot place (12 digits in groups) still looks personal once redacted.
    assert make_request(text="路灯坏了，编号 8812 3456 7781 是我的").held
    assert not make_request(text="小区路灯坏了两个月，晚上很黑").held
