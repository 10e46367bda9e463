"""A client that retries a submission with the same Idempotency-Key (after a timeout, a killed connection)
gets the request it already made, not a second one; bench/faults.py found such doubles under SIGKILL."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db
V2 = "/api/open311/v2"


def rest(client, key, idem, text="小区门口路灯坏了两周。"):
    headers = {"HTTP_X_API_KEY": key}
    if idem is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idem
    return client.post(
        "/api/requests", data=json.dumps({"text": text}), content_type="application/json", **headers
    )


def test_a_retried_rest_submission_returns_the_first_request(client, api_keys):
    from massline.workflow.models import Request

    first = rest(client, api_keys["client"], "a1b2-retry")
    again = rest(client, api_keys["client"], "a1b2-retry")
    assert first.status_code == again.status_code == 201
    assert first.json()["reference"] == again.json()["reference"]
    assert Request.objects.count() == 1
    other = rest(client, api_keys["client"], "a1b2-other")
    without = rest(client, api_keys["client"], None)
    assert len({first.json()["reference"], other.json()["reference"], without.json()["reference"]}) == 3
    too_long = rest(client, api_keys["client"], "x" * 101)
    assert too_long.status_code == 422 and "Idempotency-Key" in too_long.json()["detail"]


def test_a_retried_open311_submission_returns_the_first_request(client, api_keys, category):
    from massline.workflow.models import Request

    fields = {
        "api_key": api_keys["client"],
        "service_code": category.code,
        "lat": "28.2",
        "long": "112.9",
        "description": "公園東門的大樹倒了。",
    }
    first = client.post(f"{V2}/requests.json", fields, HTTP_IDEMPOTENCY_KEY="tree-1")
    again = client.post(f"{V2}/requests.json", fields, HTTP_IDEMPOTENCY_KEY="tree-1")
    assert first.status_code == again.status_code
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Request.objects.count() == 1
