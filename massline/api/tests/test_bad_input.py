"""Bad input over the API gets a 4xx with a message a person can act on, never a 500 (issue 9, items
10 and 11). Each case here was a 500, or was wrongly accepted, before its fix."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_open311_error

V2 = "/api/open311/v2"


def rest_get(client, url, key, **params):
    return client.get(url, params, HTTP_X_API_KEY=key)


def rest_post(client, url, key, raw_body: str):
    return client.post(url, data=raw_body, content_type="application/json", HTTP_X_API_KEY=key)


def assert_rest_error(response, status: int, words: str):
    """Our one error shape, {"detail": "<a sentence>", "code": "…"}, with the words that say what to fix."""
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert isinstance(body["detail"], str) and body["code"], body
    assert words.lower() in body["detail"].lower(), body["detail"]
    return body["detail"]


# --- item 10: the 500s ---------------------------------------------------------------------------------


def test_rest_offset_past_any_integer_the_database_holds_is_refused(client, api_keys):
    response = rest_get(client, "/api/requests", api_keys["dispatcher"], offset="100000000000000000000")
    assert_rest_error(response, 422, "offset")


@pytest.mark.parametrize("name", ["received_before", "received_after"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31T23:59:59"])
def test_rest_dates_out_of_range_are_refused(client, api_keys, name, value):
    response = rest_get(client, "/api/requests", api_keys["dispatcher"], **{name: value})
    assert_rest_error(response, 422, name)


@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("value", ["9999-12-31T00:00:00+08:00", "0001-01-01T00:00:00+08:00", "0001-01-01"])
def test_open311_dates_at_the_ends_of_the_calendar_are_refused(client, city, name, value):
    response = client.get(f"{V2}/requests.json", {name: value})
    assert_open311_error(response, 400, name)


def test_open311_json_with_a_lone_surrogate_is_refused(client, api_keys, category):
    from massline.workflow.models import Request

    fields = {"api_key": api_keys["client"], "service_code": category.code, "lat": 28.2, "long": 112.9}
    body = json.dumps(fields)[:-1] + ', "description": "\\ud800"}'  # json.dumps cannot write one
    response = client.post(f"{V2}/requests.json", data=body, content_type="application/json")
    assert_open311_error(response, 400, "surrogate")
    assert not Request.objects.exists()


def test_rest_json_with_a_lone_surrogate_is_refused(client, api_keys, city):
    from massline.workflow.models import Request

    response = rest_post(client, "/api/requests", api_keys["client"], '{"text": "路灯\\udc00坏了"}')
    assert_rest_error(response, 400, "surrogate")
    assert not Request.objects.exists()


# --- item 11: the smaller ones ---------------------------------------------------------------------------


def test_discipline_key_lists_misconduct_reports_not_complaints(client, api_keys, staff, make_request):
    from django.contrib.auth.models import Group

    complaint = make_request(text="路灯坏了两个月")
    report = make_request(text="某街道干部吃拿卡要", kind="report")
    listed = rest_get(client, "/api/requests", api_keys["discipline"]).json()
    assert [item["reference"] for item in listed["items"]] == [report.reference]
    assert rest_get(client, f"/api/requests/{complaint.reference}", api_keys["discipline"]).status_code == 403

    # A person who also dispatches sees both, through each role.
    staff["discipline"].groups.add(Group.objects.get(name="dispatcher"))
    both = rest_get(client, "/api/requests", api_keys["discipline"]).json()
    assert {item["reference"] for item in both["items"]} == {report.reference, complaint.reference}


def test_rest_refuses_a_contact_email_that_is_not_one(client, api_keys, city):
    from massline.workflow.models import Request

    body = {"text": "路灯坏了", "contact": {"name": "李四", "email": "not-an-email"}}
    response = rest_post(client, "/api/requests", api_keys["client"], json.dumps(body))
    assert_rest_error(response, 422, "email")
    assert not Request.objects.exists()


def test_the_longest_text_fits_the_body_limit_even_fully_escaped(client, api_keys, city):
    """20,000 characters is the text limit; ensure_ascii JSON writes each CJK one as 6 bytes (120 KB), and
    each character outside the BMP as 12; the body limit is set so that such a request still fits."""
    from massline.intake.actions import MAX_TEXT

    longest = json.dumps({"text": "路" * (MAX_TEXT - 1) + "😀"})
    assert len(longest) > 64 * 1024
    accepted = rest_post(client, "/api/requests", api_keys["client"], longest)
    assert accepted.status_code == 201, accepted.content[:300]
    over = rest_post(client, "/api/requests", api_keys["client"], json.dumps({"text": "路" * (MAX_TEXT + 1)}))
    assert_rest_error(over, 422, str(MAX_TEXT))


def test_open311_accepts_the_bearer_key_that_the_docs_offer(client, api_keys, category):
    fields = {"service_code": category.code, "lat": "28.2", "long": "112.9", "description": "路灯坏了"}
    response = client.post(f"{V2}/requests.json", fields, HTTP_AUTHORIZATION=f"Bearer {api_keys['client']}")
    assert response.status_code == 201, response.content
    wrong = client.post(f"{V2}/requests.json", fields, HTTP_AUTHORIZATION="Bearer ml_not-a-key")
    assert_open311_error(wrong, 403, "invalid api_key")


@pytest.mark.parametrize("value", [{"text": "路灯"}, ["路灯"], 12])
def test_open311_json_arguments_must_be_text_or_numbers(client, api_keys, category, value):
    from massline.workflow.models import Request

    body = {"api_key": api_keys["client"], "service_code": category.code, "lat": 28.2, "long": 112.9}
    response = client.post(
        f"{V2}/requests.json",
        data=json.dumps({**body, "description": value}),
        content_type="application/json",
    )
    if isinstance(value, (dict, list)):
        assert_open311_error(response, 400, "description")
        assert not Request.objects.exists()
    else:  # a number sent as JSON is still a plain value, as it would be in a form
        assert response.status_code == 201, response.content


def test_a_valid_key_beside_a_wrong_one_is_refused(client, api_keys):
    """Found by schemathesis: the call was served on whichever header was checked first."""
    both = client.get(
        "/api/requests", HTTP_X_API_KEY=api_keys["dispatcher"], HTTP_AUTHORIZATION="Bearer ml_wrong"
    )
    assert_rest_error(both, 401, "api key")
    same = client.get(
        "/api/requests",
        HTTP_X_API_KEY=api_keys["dispatcher"],
        HTTP_AUTHORIZATION=f"Bearer {api_keys['dispatcher']}",
    )
    assert same.status_code == 200


def test_every_refusal_has_the_documented_shape(client, api_keys, settings):
    """The schema promises {detail, code} for each error; the size limit's answer lacked the code."""
    settings.MASSLINE_API_MAX_BODY_BYTES = 100
    too_big = rest_post(client, "/api/requests", api_keys["client"], json.dumps({"text": "路" * 200}))
    assert_rest_error(too_big, 413, "too large")
    settings.MASSLINE_API_MAX_BODY_BYTES = 256 * 1024
    not_json = rest_post(client, "/api/requests", api_keys["client"], "{not json")
    assert_rest_error(not_json, 400, "not valid JSON")
    nan = rest_post(client, "/api/requests", api_keys["client"], '{"text": "x", "place": {"lat": NaN}}')
    assert_rest_error(nan, 400, "NaN")
    schema = client.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if path.startswith("/api/requests"):
                assert "422" in operation["responses"] and "429" in operation["responses"], (method, path)
