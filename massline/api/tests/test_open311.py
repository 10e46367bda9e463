"""Open311 GeoReport v2: what a standard client sees, checked against the published schemas."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from .conftest import assert_open311_error

V2 = "/api/open311/v2"
W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
HOSTILE = "<script>alert('x')</script> & ]]> \x01\x0b 路灯坏了"


def post(client, key, **fields):
    data = {"service_code": fields.pop("service_code", None), "api_key": key, **fields}
    return client.post(f"{V2}/requests.json", {k: v for k, v in data.items() if v is not None})


def test_services_list_the_catalogue_in_the_published_shape(client, city, open311_schema):
    from massline.workflow.models import Category

    response = client.get(f"{V2}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    assert len(services) == Category.objects.count()
    assert open311_schema.check(services, open311_schema.load("services.json")) == []
    deepest = Category.objects.order_by("-level").first()
    entry = next(s for s in services if s["service_code"] == deepest.code)
    assert entry["description"] == deepest.full_name()
    assert entry["group"] == deepest.ancestors()[0].name
    assert deepest.name in entry["keywords"]
    assert "城乡建设" in response.content.decode("utf-8")  # readable UTF-8, not \u escapes


def test_services_xml_uses_the_spec_element_names(client, city):
    response = client.get(f"{V2}/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    first = root.find("service")
    assert {c.tag for c in first} >= {"service_code", "service_name", "metadata", "type", "group"}
    assert first.findtext("metadata") == "true"


def test_service_definition_offers_optional_attributes_without_reports(client, category, open311_schema):
    body = client.get(f"{V2}/services/{category.code}.json").json()
    assert open311_schema.check(body, open311_schema.load("service-definition.json")) == []
    assert body["service_code"] == category.code
    assert body["attributes"] and not any(a["required"] for a in body["attributes"])
    kind = next(a for a in body["attributes"] if a["code"] == "kind")
    assert "report" not in {v["key"] for v in kind["values"]}  # misconduct reports have their own channel
    root = ET.fromstring(client.get(f"{V2}/services/{category.code}.xml").content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    assert_open311_error(client.get(f"{V2}/services/no-such-code.json"), 404, "not found")


def test_post_creates_a_routed_request_and_returns_id_and_token(client, api_keys, category):
    from massline.workflow.models import Request

    response = post(
        client,
        api_keys["client"],
        service_code=category.code,
        lat="28.2",
        long="112.9",
        description="小区门口的路灯坏了一个月",
        first_name="三",
        last_name="张",
        phone="13900001111",
        email="zhang@example.org",
        media_url="https://example.org/photo.jpg",
    )
    assert response.status_code == 201, response.content
    [body] = response.json()
    req = Request.objects.get(reference=body["service_request_id"])
    assert body["token"] == req.tracking_token
    assert req.channel == "api" and req.category == category and req.state == "dispatched"
    assert (req.contact_name, req.contact_phone, req.contact_email) == (
        "张三",
        "13900001111",
        "zhang@example.org",
    )
    assert req.unit.name in body["service_notice"]
    assert req.events.first().actor_label == "api:test client"  # the audit names the relaying client
    detail = client.get(f"{V2}/requests/{req.reference}.json").json()[0]
    assert detail["media_url"] == "https://example.org/photo.jpg"
    token = client.get(f"{V2}/tokens/{body['token']}.json").json()
    assert token == [{"service_request_id": req.reference, "token": body["token"]}]


def test_post_without_or_with_a_wrong_api_key_is_refused(client, category):
    from massline.workflow.models import Request

    fields = {"service_code": category.code, "lat": "28.2", "long": "112.9", "description": "路灯坏了"}
    assert_open311_error(client.post(f"{V2}/requests.json", fields), 403, "api_key")
    assert_open311_error(post(client, "ml_not-a-key", **fields), 403, "invalid api_key")
    root = ET.fromstring(client.post(f"{V2}/requests.xml", fields).content)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert not Request.objects.exists()


BAD_FIELDS = [
    ({"service_code": "no-such-service"}, "not a known service"),
    ({"service_code": None}, "service_code was not provided"),
    ({"lat": "91", "long": "112.9"}, "lat 91.0 is out of range"),
    ({"lat": "nan", "long": "112.9"}, "out of range"),
    ({"lat": "north", "long": "112.9"}, "must be a number"),
    ({"lat": "28.2", "long": None}, "lat and long must be sent together"),
    ({"lat": None, "long": None}, "a location is required"),
    ({"description": ""}, "description is required"),
    ({"description": "长" * 4001}, "description is too long"),
    ({"first_name": "名" * 51}, "first_name is too long"),
    ({"email": "not-an-address"}, "email is not a valid"),
    ({"media_url": "javascript:alert(1)"}, "media_url must be an http"),
    ({"attribute[kind]": "report"}, "attribute[kind] must be one of"),
    ({"jurisdiction_id": "elsewhere.gov"}, "jurisdiction_id 'elsewhere.gov' not found"),
]


def test_post_refuses_bad_fields_with_a_clear_description(client, api_keys, category):
    # One test over all cases: building the city catalogue once keeps the suite fast.
    from massline.workflow.models import Request

    for fields, words in BAD_FIELDS:
        data = {"service_code": category.code, "lat": "28.2", "long": "112.9", "description": "路灯坏了"}
        data.update(fields)
        # the spec: an unknown jurisdiction or service_code is "not found"
        status = 404 if "jurisdiction_id" in fields or "known service" in words else 400
        assert_open311_error(post(client, api_keys["client"], **data), status, words)
    assert not Request.objects.exists()


def test_post_accepts_an_address_and_attributes(client, api_keys, category):
    from massline.workflow.models import Request

    response = post(
        client,
        api_keys["client"],
        service_code=category.code,
        address_string="A3区观岭街道",
        description="建议在路口增设红绿灯",
        jurisdiction_id="massline",
        first_name="Li",
        last_name="Si",
        **{"attribute[kind]": "suggestion", "attribute[title]": "增设红绿灯", "attribute[anonymous]": "true"},
    )
    assert response.status_code == 201, response.content
    req = Request.objects.get(reference=response.json()[0]["service_request_id"])
    assert (req.kind, req.title, req.address, req.anonymous) == (
        "suggestion",
        "增设红绿灯",
        "A3区观岭街道",
        True,
    )
    assert req.contact_name == ""  # anonymous: the name sent along is not kept


def test_hostile_text_is_stored_verbatim_and_escaped_in_xml(client, api_keys, category):
    from massline.workflow.models import Request

    response = post(
        client, api_keys["client"], service_code=category.code, lat="28.2", long="112.9", description=HOSTILE
    )
    assert response.status_code == 201
    reference = response.json()[0]["service_request_id"]
    assert Request.objects.get(reference=reference).text == HOSTILE.strip()
    raw = client.get(f"{V2}/requests/{reference}.xml").content
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw
    description = ET.fromstring(raw).findtext("request/description")  # parses: well-formed
    assert description.startswith("<script>alert('x')</script> & ]]>")
    assert client.get(f"{V2}/requests/{reference}.json").json()[0]["description"].startswith("<script>")


def test_requests_never_show_reports_rejected_or_personal_data(client, recent, actors, open311_schema):
    from massline.workflow import actions as wf

    shown = recent(
        text="我叫王小明，电话13912345678，楼下路灯坏了",
        contact_name="王小明",
        contact_phone="13912345678",
        contact_email="wang@example.org",
    )
    report = recent(text="举报某科长收受红包", kind="report")
    junk = recent(text="测试测试")
    wf.do_reject(junk, actors["dispatcher"], note="无效诉求")
    response = client.get(f"{V2}/requests.json")
    records = response.json()
    assert [r["service_request_id"] for r in records] == [shown.reference]
    assert open311_schema.check(records, open311_schema.load("requests.json")) == []
    raw = response.content.decode("utf-8")
    for secret in ("王小明", "13912345678", "wang@example.org", "红包", shown.tracking_token):
        assert secret not in raw
    for reference in (report.reference, junk.reference):
        assert_open311_error(client.get(f"{V2}/requests/{reference}.json"), 404, "not found")
    assert_open311_error(client.get(f"{V2}/tokens/{report.tracking_token}.json"), 404, "not found")


def test_request_records_map_the_workflow(client, recent, actors, category, open311_schema):
    from massline.workflow import actions as wf

    replied = recent(hours_ago=5, text="路灯坏了")
    wf.do_dispatch(replied, actors["dispatcher"], category=category)
    wf.do_sign(replied, actors["staff-housing"])
    wf.do_reply(replied, actors["staff-housing"], text="已修复。联系人:李师傅 13800138000")
    waiting = recent(hours_ago=4, text="噪音扰民")
    lead = recent(hours_ago=3, text="路灯又坏了")
    duplicate = recent(hours_ago=2, text="路灯坏了很久")
    wf.do_merge(duplicate, actors["dispatcher"], lead=lead)

    records = {r["service_request_id"]: r for r in client.get(f"{V2}/requests.json").json()}
    assert open311_schema.check(list(records.values()), open311_schema.load("requests.json")) == []
    r = records[replied.reference]
    assert r["status"] == "open"  # replied, not yet verified by the follow-up
    assert r["status_notes"].startswith("已修复") and "13800138000" not in r["status_notes"]
    assert r["agency_responsible"] == "市住房和城乡建设局"
    assert r["service_code"] == category.code and r["service_name"] == category.name
    assert all(W3.match(r[k]) for k in ("requested_datetime", "updated_datetime", "expected_datetime"))
    assert r["requested_datetime"].endswith("+08:00")
    assert records[waiting.reference]["service_code"] == "unclassified"
    assert records[waiting.reference]["expected_datetime"] is None
    # One disclosure rule: a merged duplicate is not listed (its lead stands for it), as on the portal,
    # but asked for by id it is found, closed, naming its lead.
    assert duplicate.reference not in records and lead.reference in records
    (merged,) = client.get(f"{V2}/requests/{duplicate.reference}.json").json()
    assert merged["status"] == "closed" and lead.reference in merged["status_notes"]
    (by_ids,) = client.get(f"{V2}/requests.json", {"service_request_id": duplicate.reference}).json()
    assert by_ids["service_request_id"] == duplicate.reference


def test_requests_filters(client, recent, actors, category):
    from massline.workflow import actions as wf
    from massline.workflow.models import Category

    child = Category.objects.filter(parent=category).first()
    in_child = recent(hours_ago=2, category=child, auto_route=True)
    closed = recent(hours_ago=3, text="路灯坏了")
    wf.do_dispatch(closed, actors["dispatcher"], category=category)
    wf.do_sign(closed, actors["staff-housing"])
    wf.do_reply(closed, actors["staff-housing"], text="已修复")
    from massline.followup.actions import record_follow_up

    record_follow_up(closed, wf.Actor.requester(), solved=True, satisfaction="satisfied")
    old = recent(hours_ago=24 * 100)
    other = recent(hours_ago=1)

    def ids(**params):
        return {r["service_request_id"] for r in client.get(f"{V2}/requests.json", params).json()}

    assert ids() == {in_child.reference, closed.reference, other.reference}  # default: last 90 days
    assert ids(status="closed") == {closed.reference}
    assert ids(status="open") == {in_child.reference, other.reference}
    assert ids(service_code=category.code) == {in_child.reference, closed.reference}  # and sub-categories
    assert ids(service_code=child.code) == {in_child.reference}
    assert ids(service_request_id=f"{old.reference},{other.reference}") == {old.reference, other.reference}
    start = (timezone.localtime() - timedelta(days=101)).isoformat(timespec="seconds")
    end = (timezone.localtime() - timedelta(days=99)).isoformat(timespec="seconds")
    assert ids(start_date=start, end_date=end) == {old.reference}
    assert ids(start_date=start) == {old.reference}  # 90 days from the start
    # An unencoded '+08:00' arrives as ' 08:00'; it still parses.
    raw = client.get(f"{V2}/requests.json?start_date={start}&end_date={end}").json()
    assert [r["service_request_id"] for r in raw] == [old.reference]
    far = (timezone.localtime() - timedelta(days=200)).isoformat(timespec="seconds")
    assert_open311_error(
        client.get(f"{V2}/requests.json", {"start_date": far, "end_date": end}), 400, "90 days"
    )
    assert_open311_error(client.get(f"{V2}/requests.json", {"status": "pending"}), 400, "status")
    assert_open311_error(client.get(f"{V2}/requests.json", {"start_date": "yesterday"}), 400, "w3")


def test_requests_list_query_count_does_not_grow_with_results(
    client, recent, actors, category, django_assert_max_num_queries
):
    from massline.workflow import actions as wf

    for i in range(30):
        req = recent(hours_ago=i + 1, text=f"第{i}号路灯坏了")
        if i % 2:
            wf.do_dispatch(req, actors["dispatcher"], category=category)
        if i % 4 == 1:
            wf.do_sign(req, actors["staff-housing"])
            wf.do_reply(req, actors["staff-housing"], text=f"第{i}号已修复")
    with django_assert_max_num_queries(3):
        records = client.get(f"{V2}/requests.json").json()
    assert len(records) == 30
    assert sum(1 for r in records if r["status_notes"] and r["status_notes"].endswith("已修复")) == 8


def test_discovery_points_at_v2(client, city):
    body = client.get("/api/open311/discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["url"].endswith("/api/open311/v2")
    assert "application/json" in endpoint["formats"] and "text/xml" in endpoint["formats"]
    assert (
        ET.fromstring(client.get("/api/open311/discovery.xml").content).find("endpoints/endpoint/url")
        is not None
    )


def test_every_swagger_path_is_served_in_both_formats(client, recent, category):
    """swagger.json's paths (including its singular /request/{id}) answer for real ids, JSON and XML."""
    import json

    from massline.shared_data import shared_data

    swagger = json.loads(shared_data("open311", "swagger.json").read_text(encoding="utf-8"))
    req = recent()
    values = {
        "service_request_id": req.reference,
        "service_code": category.code,
        "token_id": req.tracking_token,
    }
    assert len(swagger["paths"]) == 5
    for template in swagger["paths"]:
        for fmt in ("json", "xml"):
            url = V2 + template.format(response_format=fmt, **values)
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:200])
    assert (
        client.get(f"{V2}/request/{req.reference}.json").json()
        == client.get(f"{V2}/requests/{req.reference}.json").json()
    )
