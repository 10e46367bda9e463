"""Keys, rate limits and size limits: what an abusive or careless client runs into."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from massline.api.xml import render_list

from .conftest import assert_open311_error

V2 = "/api/open311/v2"


def test_apikey_command_prints_the_key_once_and_stores_only_a_hash(db, staff, capsys):
    from massline.api.models import ApiKey
    from massline.cli import main

    assert main(["apikey", "create", "city app", "--user", "dispatcher"]) == 0
    raw = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(name="city app")
    assert raw.startswith("ml_") and raw.startswith(key.prefix) and key.user.username == "dispatcher"
    assert raw not in {key.key_hash, key.prefix}  # the key itself is nowhere in the database
    assert main(["apikey", "create", "city app"]) == 1  # names are unique
    assert main(["apikey", "create", "x", "--user", "nobody"]) == 1
    assert main(["apikey", "list"]) == 0
    listing = capsys.readouterr().out
    assert "city app" in listing and raw not in listing

    from django.test import Client

    client = Client()
    assert client.get("/api/requests", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert main(["apikey", "revoke", "city app"]) == 0
    assert client.get("/api/requests", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_rate_limit_per_key_answers_429_with_retry_after(client, api_keys, settings):
    settings.MASSLINE_API_RATE_LIMIT = 3
    headers = {"HTTP_X_API_KEY": api_keys["dispatcher"]}
    codes = [client.get("/api/requests", **headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/requests", **headers)
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another key has its own budget.
    assert client.get("/api/requests", HTTP_X_API_KEY=api_keys["supervisor"]).status_code == 200


def test_rate_limit_per_address_for_anonymous_calls(client, city, settings):
    settings.MASSLINE_API_ANON_RATE_LIMIT = 2
    assert [client.get(f"{V2}/services.json").status_code for _ in range(2)] == [200, 200]
    refused = client.get(f"{V2}/services.json")
    assert_open311_error(refused, 429, "too many")
    assert refused["Retry-After"]
    other = client.get(f"{V2}/services.json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_oversized_bodies_are_refused_before_parsing(client, api_keys, category, settings):
    from massline.workflow.models import Request

    settings.MASSLINE_API_MAX_BODY_BYTES = 2048
    big = "路" * 2000
    response = client.post(
        f"{V2}/requests.json",
        {
            "api_key": api_keys["client"],
            "service_code": category.code,
            "lat": "1",
            "long": "1",
            "description": big,
        },
    )
    assert_open311_error(response, 413, "too large")
    rest = client.post(
        "/api/requests",
        data=json.dumps({"text": big}),
        content_type="application/json",
        HTTP_X_API_KEY=api_keys["client"],
    )
    assert rest.status_code == 413 and "too large" in rest.json()["detail"]
    assert not Request.objects.exists()


def test_long_fields_are_refused_with_the_limit(client, api_keys, city):
    response = client.post(
        "/api/requests",
        data=json.dumps({"text": "x", "title": "题" * 201}),
        content_type="application/json",
        HTTP_X_API_KEY=api_keys["client"],
    )
    assert response.status_code == 422
    assert "200" in json.dumps(response.json())


def test_post_accepts_a_json_body_too(client, api_keys, category):
    response = client.post(
        f"{V2}/requests.json",
        data=json.dumps(
            {
                "api_key": api_keys["client"],
                "service_code": category.code,
                "lat": 28.2,
                "long": 112.9,
                "description": "坑",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    broken = client.post(f"{V2}/requests.json", data="{not json", content_type="application/json")
    assert_open311_error(broken, 400, "not valid JSON")


def test_xml_writer_keeps_documents_well_formed():
    hostile = "<b>&amp;</b>\x00\x07\ud800 ]]> 路灯"
    doc = render_list("service_requests", "request", [{"description": hostile, "lat": None, "ok": True}])
    root = ET.fromstring(doc.encode("utf-8"))
    request = root.find("request")
    assert request.findtext("description").startswith("<b>&amp;</b>")
    assert request.findtext("description").endswith("]]> 路灯")
    assert request.findtext("lat") == "" and request.findtext("ok") == "true"


def test_open311_posts_count_against_their_key(client, api_keys, category, settings):
    from massline.workflow.models import Request

    settings.MASSLINE_API_RATE_LIMIT = 2
    settings.MASSLINE_API_ANON_RATE_LIMIT = 1
    fields = {"service_code": category.code, "lat": "28.2", "long": "112.9", "description": "路灯坏了"}
    codes = [
        client.post(f"{V2}/requests.json", {**fields, "api_key": api_keys["client"]}).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]  # the key's budget, not the address's (which is 1)
    assert Request.objects.count() == 2
    guesses = [
        client.post(f"{V2}/requests.json", {**fields, "api_key": "ml_guess"}).status_code for _ in range(2)
    ]
    assert guesses == [403, 429]  # wrong keys are counted per address


def test_too_many_form_fields_is_a_client_error(client, api_keys, category):
    from urllib.parse import urlencode

    fields = {f"a{i}": "x" for i in range(1200)}  # over Django's DATA_UPLOAD_MAX_NUMBER_FIELDS, under 64 KiB
    body = urlencode({"api_key": api_keys["client"], **fields})
    response = client.post(f"{V2}/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert_open311_error(response, 400, "refused")
