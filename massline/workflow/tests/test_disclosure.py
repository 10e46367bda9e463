"""One disclosure rule: the portal and Open311 list the same requests, and the same ones have pages."""

import pytest

from massline.workflow import actions as wf
from massline.workflow import disclosure

pytestmark = pytest.mark.django_db
V2 = "/api/open311/v2"


def test_portal_and_open311_show_the_same_requests(client, make_request, actors):
    plain = make_request(text="路灯坏了,请修理。")
    lead = make_request(text="小区门口路灯坏了。")
    duplicate = make_request(text="小区门口路灯坏了很久。")
    wf.do_merge(duplicate, actors["dispatcher"], lead=lead)
    junk = make_request(text="测试测试")
    wf.do_reject(junk, actors["dispatcher"], note="无效来电")
    report = make_request(text="某干部收受红包。", kind="report")

    assert set(disclosure.listed().values_list("reference", flat=True)) == {plain.reference, lead.reference}
    window = {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-05T00:00:00+08:00"}
    open311 = {r["service_request_id"] for r in client.get(f"{V2}/requests.json", window).json()}
    assert open311 == {plain.reference, lead.reference}
    portal_list = client.get("/requests/").content.decode()
    for req in (plain, lead):
        assert req.reference in portal_list
    for req in (duplicate, junk, report):
        assert req.reference not in portal_list

    for req, has_page in ((plain, True), (duplicate, True), (junk, False), (report, False)):
        assert disclosure.has_public_page(req) is has_page
        portal = client.get(f"/requests/{req.reference}/").status_code
        api = client.get(f"{V2}/requests/{req.reference}.json").status_code
        assert (portal, api) == ((200, 200) if has_page else (404, 404)), req.reference
