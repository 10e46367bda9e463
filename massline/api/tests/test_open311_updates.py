"""mySociety's servicerequestupdates extension, and the two spec fixes (404 for an unknown service_code on
POST; descriptions within the published schema's 4,000 characters, with a link to the full text)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import assert_open311_error

V2 = "/api/open311/v2"


def _walk(req, actors, category, reply="已修复。联系人:李师傅 13800138000"):
    from massline.workflow import actions as wf

    wf.do_dispatch(req, actors["dispatcher"], category=category)
    wf.do_sign(req, actors["staff-housing"])
    wf.do_reply(req, actors["staff-housing"], text=reply)
    return req


def test_updates_follow_each_public_step_with_the_reply_redacted(client, recent, actors, category):
    req = _walk(recent(hours_ago=2, text="路灯坏了", contact_name="王小明"), actors, category)
    response = client.get(f"{V2}/servicerequestupdates.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    updates = response.json()
    assert [u["service_request_id"] for u in updates] == [req.reference] * 3
    assert [u["status"] for u in updates] == ["open", "in_progress", "fixed"]
    assert [u["external_status_code"] for u in updates] == ["dispatched", "signed", "replied"]
    dispatched, _signed, replied = updates
    assert dispatched["description"] == "Sent to 市住房和城乡建设局"
    assert replied["description"].startswith("已修复") and "13800138000" not in replied["description"]
    assert len({u["update_id"] for u in updates}) == 3
    assert all(set(u) >= {"update_id", "updated_datetime", "media_url"} for u in updates)
    assert updates == sorted(updates, key=lambda u: (u["updated_datetime"], int(u["update_id"])))

    # The XML that FixMyStreet's Open311::GetServiceRequestUpdates reads (ForceArray on request_update).
    root = ET.fromstring(client.get(f"{V2}/servicerequestupdates.xml").content)
    assert root.tag == "service_requests_updates"
    assert [u.findtext("update_id") for u in root.findall("request_update")] == [
        u["update_id"] for u in updates
    ]


def test_updates_leave_out_reports_held_rejected_and_other_windows(
    client, recent, actors, category, settings
):
    from massline.workflow import actions as wf

    report = recent(text="举报某科长收受红包", kind="report")
    wf.do_accept(report, actors["discipline"])
    junk = recent(text="测试测试")
    wf.do_reject(junk, actors["dispatcher"], note="无效诉求")
    settings.MASSLINE_PREMODERATE = True
    held = recent(text="路灯坏了")
    settings.MASSLINE_PREMODERATE = False
    wf.do_dispatch(held, actors["dispatcher"], category=category)
    shown = recent(text="噪音扰民")
    wf.do_dispatch(shown, actors["dispatcher"], category=category)

    body = client.get(f"{V2}/servicerequestupdates.json").content.decode()
    assert [u["service_request_id"] for u in json.loads(body)] == [shown.reference]
    assert "红包" not in body and report.reference not in body and junk.reference not in body

    later = (timezone.now() + timedelta(days=1)).isoformat(timespec="seconds")
    assert client.get(f"{V2}/servicerequestupdates.json", {"start_date": later}).json() == []
    asked = client.get(f"{V2}/servicerequestupdates.json", {"service_request_id": "nope"}).json()
    assert asked == []
    # api_key is optional (public data): a key sent along changes nothing.
    with_key = client.get(f"{V2}/servicerequestupdates.json", {"api_key": "anything"}).json()
    assert [u["service_request_id"] for u in with_key] == [shown.reference]
    start, end = timezone.now(), timezone.now() - timedelta(days=1)
    wrong = client.get(f"{V2}/servicerequestupdates.json", {"start_date": start, "end_date": end})
    assert_open311_error(wrong, 400, "end_date is before start_date")
    assert_open311_error(client.post(f"{V2}/servicerequestupdates.json"), 405, "GET")


def test_an_unknown_service_code_on_post_is_not_found(client, api_keys, city):
    fields = {"service_code": "no-such-service", "lat": "28.2", "long": "112.9", "description": "路灯坏了"}
    response = client.post(f"{V2}/requests.json", {**fields, "api_key": api_keys["client"]})
    assert_open311_error(response, 404, "not a known service")


@pytest.mark.shared_data
def test_a_long_description_is_cut_after_redaction_and_links_to_the_full_text(client, recent, settings):
    """A 9,000-character request (the demo has some) keeps requests.json valid against the published schema,
    checked with a real JSON Schema validator; the cut text ends with its public page's address."""
    import jsonschema_rs

    from massline.shared_data import shared_data

    settings.MASSLINE_SITE_URL = "https://hotline.example.org"
    text = ("小区路灯坏了两个月，晚上很黑。" * 600) + "联系电话13912345678"
    long_one = recent(text=text)
    short_one = recent(text="路灯坏了")
    response = client.get(f"{V2}/requests.json")
    records = {r["service_request_id"]: r for r in response.json()}
    description = records[long_one.reference]["description"]
    assert len(long_one.text) > 8000 and len(description) <= 4000
    assert description.endswith(f"https://hotline.example.org/requests/{long_one.reference}/")
    assert "13912345678" not in response.content.decode()
    assert records[short_one.reference]["description"] == "路灯坏了"

    folder = shared_data("open311", "request.json").parent
    item = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    schema = json.loads((folder / "requests.json").read_text(encoding="utf-8"))
    schema["items"] = item  # requests.json refers to request.json beside it
    errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(list(records.values()))]
    assert errors == []
    # ... and the unfixed description would not have been
    too_long = {**records[long_one.reference], "description": long_one.text}
    assert not jsonschema_rs.validator_for(item).is_valid(too_long)
