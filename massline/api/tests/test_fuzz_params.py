"""Hypothesis over the API's query parameters and Open311's form: no 5xx, and every refusal in the API's
own error shape with a sentence that says what to fix."""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from massline.fuzz import FUZZ, hostile_numbers, hostile_text, maybe, plausible

V2 = "/api/open311/v2"
dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat() + "+08:00"),
    st.sampled_from(["2026-03-01T00:00:00+08:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00"]),
    hostile_text,
)


def present(params: dict) -> dict:
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture
def unthrottled(settings):
    settings.MASSLINE_API_RATE_LIMIT = settings.MASSLINE_API_ANON_RATE_LIMIT = 0


def assert_open311_answer(response):
    assert response.status_code < 500, response.content[:500]
    event(f"status {response.status_code}")
    if response.status_code >= 400:
        body = response.json()
        assert body[0]["code"] == response.status_code and body[0]["description"].strip()


def assert_rest_answer(response):
    assert response.status_code < 500, response.content[:500]
    event(f"status {response.status_code}")
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body["detail"], str) and body["detail"].strip() and body["code"], body


@FUZZ
@given(
    start=maybe(dates),
    end=maybe(dates),
    status=maybe(st.one_of(st.sampled_from(["open", "closed", "open,closed"]), hostile_text)),
    code=maybe(hostile_text),
    ids=maybe(hostile_text),
    jurisdiction=maybe(plausible("massline")),
)
def test_open311_queries_never_fail(client, city, unthrottled, start, end, status, code, ids, jurisdiction):
    params = {"status": status, "service_code": code, "jurisdiction_id": jurisdiction}
    params |= {"start_date": start, "end_date": end, "service_request_id": ids}
    assert_open311_answer(client.get(f"{V2}/requests.json", present(params)))


@FUZZ
@given(
    code=plausible("VALID"),
    lat=plausible("28.2", hostile_numbers),
    lon=plausible("112.9", hostile_numbers),
    address=maybe(hostile_text),
    description=plausible("路灯坏了", hostile_text),
    email=maybe(plausible("li@example.org")),
    media_url=maybe(plausible("https://example.org/a.jpg")),
    attributes=st.one_of(st.just({}), st.dictionaries(hostile_text, hostile_text, max_size=3)),
    as_json=st.booleans(),
)
def test_open311_submissions_never_fail(
    client,
    api_keys,
    category,
    unthrottled,
    code,
    lat,
    lon,
    address,
    description,
    email,
    media_url,
    attributes,
    as_json,
):
    import json

    fields = {
        "api_key": api_keys["client"],
        "service_code": category.code if code == "VALID" else code,
        "lat": lat,
        "long": lon,
        "address_string": address,
        "description": description,
        "email": email,
        "media_url": media_url,
        **{f"attribute[{k}]": v for k, v in attributes.items()},
    }
    fields = present(fields)
    if as_json:
        response = client.post(f"{V2}/requests.json", json.dumps(fields), content_type="application/json")
    else:
        response = client.post(f"{V2}/requests.json", fields)
    assert_open311_answer(response)


@FUZZ
@given(
    state=maybe(hostile_text),
    kind=maybe(hostile_text),
    unit=maybe(hostile_text),
    category=maybe(hostile_text),
    channel=maybe(hostile_text),
    q=maybe(hostile_text),
    after=maybe(plausible("2026-01-01T00:00:00+08:00", dates)),
    before=maybe(plausible("2027-01-01", dates)),
    limit=maybe(plausible("10", hostile_numbers)),
    offset=maybe(plausible("0", hostile_numbers)),
)
def test_rest_list_parameters_never_fail(
    client, api_keys, unthrottled, state, kind, unit, category, channel, q, after, before, limit, offset
):
    params = {
        "state": state,
        "kind": kind,
        "unit": unit,
        "category": category,
        "channel": channel,
        "q": q,
        "received_after": after,
        "received_before": before,
        "limit": limit,
        "offset": offset,
    }
    assert_rest_answer(client.get("/api/requests", present(params), HTTP_X_API_KEY=api_keys["dispatcher"]))
