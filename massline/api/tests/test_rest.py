"""The native REST API: submitting, tracking and following up; staff listing and workflow actions."""

from __future__ import annotations

import json


def call(client, method, url, key=None, body=None, bearer=False):
    headers = {}
    if key:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if bearer else {"HTTP_X_API_KEY": key}
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(url, **kwargs, **headers)


def test_submit_then_track_then_follow_up(client, api_keys, category, actors):
    from massline.workflow import actions as wf
    from massline.workflow.models import Request

    response = call(
        client,
        "post",
        "/api/requests",
        api_keys["client"],
        {
            "kind": "help",
            "title": "路灯",
            "text": "小区门口的路灯坏了一个月",
            "place": {"address": "A3区观岭街道", "lat": 28.2, "lon": 112.9},
            "contact": {"name": "李四", "phone": "13800001111", "email": "li@example.org"},
            "category": category.code,
        },
        bearer=True,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    req = Request.objects.get(reference=body["reference"])
    assert (req.kind, req.channel, req.contact_name, req.lat) == ("help", "api", "李四", 28.2)
    assert body["tracking_url"].endswith(f"/track/{req.tracking_token}/")
    assert body["state"] == "dispatched" and body["unit"] == req.unit.name
    assert body["reply_due"].endswith("+08:00")  # local time with its offset

    token = body["tracking_token"]
    page = client.get(f"/api/requests/track/{token}")
    assert "小区门口" in page.content.decode("utf-8")  # readable UTF-8, not \u escapes
    tracked = page.json()
    assert tracked["reference"] == req.reference and tracked["state"] == "dispatched"
    assert tracked["can_follow_up"] is False
    assert "13800001111" not in json.dumps(tracked, ensure_ascii=False)  # no contact details by link
    assert client.get("/api/requests/track/not-the-token").status_code == 404

    req.refresh_from_db()
    unit_staff = actors[f"staff-{req.unit.code}"]
    wf.do_sign(req, unit_staff)
    wf.do_reply(req, unit_staff, text="已修复")
    req.refresh_from_db()
    tracked = client.get(f"/api/requests/track/{token}").json()
    assert tracked["can_follow_up"] and tracked["replies"][0]["text"] == "已修复"

    stale = call(
        client,
        "post",
        f"/api/requests/track/{token}/follow-up",
        body={"solved": True, "satisfaction": "satisfied", "expected_version": req.version - 1},
    )
    assert stale.status_code == 409 and stale.json()["version"] == req.version
    done = call(
        client,
        "post",
        f"/api/requests/track/{token}/follow-up",
        body={
            "solved": False,
            "satisfaction": "dissatisfied",
            "comment": "还是不亮",
            "expected_version": req.version,
        },
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "reopened" and done.json()["followups"][0]["comment"] == "还是不亮"
    again = call(
        client,
        "post",
        f"/api/requests/track/{token}/follow-up",
        body={"solved": True, "satisfaction": "satisfied"},
    )
    assert again.status_code == 422 and "reopened" in again.json()["detail"]


def test_submit_needs_a_key_and_valid_fields(client, api_keys, city):
    from massline.workflow.models import Request

    body = {"text": "路灯坏了"}
    response = call(client, "post", "/api/requests", None, body)
    assert response.status_code == 401 and "API key" in response.json()["detail"]
    assert call(client, "post", "/api/requests", "ml_wrong", body).status_code == 401
    assert call(client, "post", "/api/requests", api_keys["client"], {"text": ""}).status_code == 422
    too_far = {"text": "x", "place": {"lat": 95, "lon": 0}}
    assert call(client, "post", "/api/requests", api_keys["client"], too_far).status_code == 422
    for not_an_object in ({"text": "x", "place": False}, {"text": "x", "contact": "张三"}):
        refused = call(client, "post", "/api/requests", api_keys["client"], not_an_object)
        assert refused.status_code == 422 and "JSON object or null" in refused.json()["detail"]
    unknown = call(client, "post", "/api/requests", api_keys["client"], {"text": "x", "category": "zz"})
    assert unknown.status_code == 422 and "unknown category" in unknown.json()["detail"]
    assert not Request.objects.exists()


def test_anonymous_submission_keeps_no_contact(client, api_keys, city):
    from massline.workflow.models import Request

    body = {"text": "举报某单位违规收费", "kind": "report", "anonymous": True, "contact": {"name": "张三"}}
    response = call(client, "post", "/api/requests", api_keys["client"], body)
    assert response.status_code == 201
    req = Request.objects.get(reference=response.json()["reference"])
    assert req.anonymous and req.contact_name == "" and req.state == "received"  # reports never auto-route


def test_staff_list_is_filtered_by_role(client, api_keys, make_request, actors, category, city):
    from massline.workflow import actions as wf

    housing = make_request(text="房屋漏水")
    wf.do_dispatch(housing, actors["dispatcher"], category=category)
    district = make_request(text="A3区道路坑洼")
    wf.do_dispatch(district, actors["dispatcher"], unit=city["a3"])
    report = make_request(text="举报某科长", kind="report")

    def refs(username, **params):
        response = client.get("/api/requests", params, HTTP_X_API_KEY=api_keys[username])
        assert response.status_code == 200, response.content
        return {item["reference"] for item in response.json()["items"]}

    assert refs("dispatcher") == {housing.reference, district.reference}
    assert refs("staff-housing") == {housing.reference}
    assert refs("staff-a3") == {district.reference}
    assert report.reference in refs("discipline")
    assert refs("dispatcher", unit="a3") == {district.reference}
    assert refs("dispatcher", q="漏水") == {housing.reference}
    assert refs("dispatcher", state="received") == set()
    items = client.get("/api/requests", HTTP_X_API_KEY=api_keys["staff-housing"]).json()["items"]
    assert items[0]["allowed_actions"] == ["sign", "transfer", "return"]  # the registry order
    assert "contact" not in items[0]  # contact details only in the detail

    client_key = client.get("/api/requests", HTTP_X_API_KEY=api_keys["client"])
    assert client_key.status_code == 403 and "not bound to a staff account" in client_key.json()["detail"]


def test_staff_detail_shows_contact_but_hides_other_units_and_reports(
    client, api_keys, make_request, actors, category
):
    from massline.workflow import actions as wf

    req = make_request(text="房屋漏水", contact_name="王五", contact_phone="13911112222")
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    report = make_request(text="举报", kind="report")

    detail = client.get(f"/api/requests/{req.reference}", HTTP_X_API_KEY=api_keys["staff-housing"]).json()
    assert detail["contact"]["phone"] == "13911112222"
    assert [e["action"] for e in detail["events"]] == ["submit", "dispatch"]
    other = client.get(f"/api/requests/{req.reference}", HTTP_X_API_KEY=api_keys["staff-a3"])
    assert other.status_code == 403
    hidden = client.get(f"/api/requests/{report.reference}", HTTP_X_API_KEY=api_keys["dispatcher"])
    assert hidden.status_code == 404  # not even its existence
    seen = client.get(f"/api/requests/{report.reference}", HTTP_X_API_KEY=api_keys["discipline"])
    assert seen.status_code == 200


def test_workflow_actions_with_optimistic_locking(client, api_keys, make_request, city, category):
    req = make_request(text="房屋漏水")
    url = f"/api/requests/{req.reference}/actions"

    dispatched = call(
        client,
        "post",
        f"{url}/dispatch",
        api_keys["dispatcher"],
        {"expected_version": 1, "category": category.code},
    )
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["state"] == "dispatched" and dispatched.json()["version"] == 2

    # Someone who still holds version 1 must not overwrite the dispatch.
    stale = call(
        client,
        "post",
        f"{url}/transfer",
        api_keys["dispatcher"],
        {"expected_version": 1, "unit": "a3", "note": "区里管"},
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict" and stale.json()["version"] == 2
    assert "reload" in stale.json()["detail"]

    foreign = call(client, "post", f"{url}/sign", api_keys["staff-a3"], {"expected_version": 2})
    assert foreign.status_code == 403 and "another unit" in foreign.json()["detail"]
    wrong_role = call(client, "post", f"{url}/sign", api_keys["dispatcher"], {"expected_version": 2})
    assert wrong_role.status_code == 403

    no_reason = call(client, "post", f"{url}/return", api_keys["staff-housing"], {"expected_version": 2})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    signed = call(client, "post", f"{url}/sign", api_keys["staff-housing"], {"expected_version": 2})
    assert signed.status_code == 200 and signed.json()["allowed_actions"] == ["reply", "transfer"]
    replied = call(
        client, "post", f"{url}/reply", api_keys["staff-housing"], {"expected_version": 3, "text": "已维修"}
    )
    assert replied.status_code == 200 and replied.json()["replies"][0]["text"] == "已维修"
    # A stale version is a conflict even when the state has moved on as well.
    late = call(client, "post", f"{url}/sign", api_keys["staff-housing"], {"expected_version": 2})
    assert late.status_code == 409 and late.json()["state"] == "replied" and late.json()["version"] == 4
    assert (
        call(client, "post", f"{url}/fly", api_keys["dispatcher"], {"expected_version": 4}).status_code == 404
    )
    missing = call(client, "post", f"{url}/sign", api_keys["staff-housing"], {})
    assert missing.status_code == 422  # expected_version is required


def test_merge_and_transfer_need_their_target(client, api_keys, make_request, city):
    lead, dup = make_request(text="路灯坏了"), make_request(text="路灯还是坏的")
    url = f"/api/requests/{dup.reference}/actions"
    no_lead = call(client, "post", f"{url}/merge", api_keys["dispatcher"], {"expected_version": 1})
    assert no_lead.status_code == 422 and "lead" in no_lead.json()["detail"]
    merged = call(
        client,
        "post",
        f"{url}/merge",
        api_keys["dispatcher"],
        {"expected_version": 1, "lead": lead.reference},
    )
    assert merged.status_code == 200 and merged.json()["merged_into"] == lead.reference
    unknown_unit = call(
        client,
        "post",
        f"/api/requests/{lead.reference}/actions/dispatch",
        api_keys["dispatcher"],
        {"expected_version": 1, "unit": "atlantis"},
    )
    assert unknown_unit.status_code == 422 and "atlantis" in unknown_unit.json()["detail"]


def test_openapi_docs_are_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/requests/{reference}/actions/{action}" in schema["paths"]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/health").json()["status"] == "ok"
