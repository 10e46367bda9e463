"""Hypothesis over the public forms and addresses: whatever is typed, the answer is a page, a redirect or
a 4xx, never a server error (the test client raises the view's exception if there is one)."""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from massline.fuzz import FUZZ, hostile_numbers, hostile_text, plausible

KINDS = st.sampled_from(["complaint", "help", "suggestion", "inquiry", "report", "praise", "", "x"])


def assert_no_server_error(response):
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def portal(client, settings):
    settings.MASSLINE_THROTTLE_ENABLED = False
    return client


@FUZZ
@given(
    kind=KINDS,
    title=plausible("路灯"),
    text=st.one_of(plausible("小区门口的路灯坏了两个月"), hostile_text.map(lambda t: "井盖丢失 " + t)),
    address=plausible("观岭街道"),
    lat=st.one_of(st.just(""), st.floats(-90, 90).map(repr), hostile_numbers),
    lon=st.one_of(st.just(""), st.floats(-180, 180).map(repr), hostile_numbers),
    name=plausible("李四"),
    phone=plausible("13800001111"),
    email=plausible("li@example.org"),
    anonymous=st.sampled_from(["", "on", "x"]),
)
def test_the_submit_form_never_fails(
    portal, city, kind, title, text, address, lat, lon, name, phone, email, anonymous
):
    from massline.workflow.models import Request

    before = Request.objects.count()
    response = portal.post(
        "/submit/",
        {
            "kind": kind,
            "title": title,
            "text": text,
            "address": address,
            "lat": lat,
            "lon": lon,
            "contact_name": name,
            "contact_phone": phone,
            "contact_email": email,
            "anonymous": anonymous,
        },
    )
    assert_no_server_error(response)
    event(f"status {response.status_code}")
    if response.status_code == 302:  # accepted: stored clean
        req = Request.objects.order_by("-id").first()
        assert Request.objects.count() == before + 1
        assert req.text and "\x00" not in req.text and "\u202e" not in req.text + req.title
    else:
        assert Request.objects.count() == before


@FUZZ
@given(
    q=hostile_text,
    category=hostile_text,
    unit=hostile_text,
    status=hostile_text,
    month=hostile_text,
    page=hostile_numbers,
    path=st.sampled_from(["/requests/", "/requests/map/"]),
)
def test_the_list_filters_never_fail(portal, city, q, category, unit, status, month, page, path):
    params = {"q": q, "category": category, "unit": unit, "status": status, "month": month, "page": page}
    assert_no_server_error(portal.get(path, params))


@FUZZ
@given(solved=hostile_text, satisfaction=hostile_text, comment=hostile_text, version=hostile_numbers)
def test_the_follow_up_form_never_fails(portal, replied, solved, satisfaction, comment, version):
    req = replied()
    response = portal.post(
        f"/track/{req.tracking_token}/",
        {"solved": solved, "satisfaction": satisfaction, "comment": comment, "version": version},
    )
    assert_no_server_error(response)


@FUZZ
@given(segment=hostile_text.filter(lambda s: "/" not in s and s not in {"", ".", ".."}))
def test_unknown_references_tokens_and_months_are_not_found(portal, city, segment):
    from urllib.parse import quote

    for url in (f"/requests/{quote(segment)}/", f"/track/{quote(segment)}/", f"/report/{quote(segment)}/"):
        response = portal.get(url)
        assert_no_server_error(response)
