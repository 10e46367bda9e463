"""Atom feeds: new public requests by area and category, and one request's public timeline. Only what a
public page shows, redacted, cut after redaction."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
ATOM = "{http://www.w3.org/2005/Atom}"
PHONE = "13912345678"
NAME = "欧阳志远"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return feed, response.content.decode()


def titles(feed) -> list[str]:
    return [e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def published(make_request, actors, city, category):
    """A served request with personal data in its text and reply, and the ones that must stay out."""

    def dispatched(text, unit="housing", **kw):
        req = make_request(text=text, **kw)
        wf.do_dispatch(req, actors["dispatcher"], unit=city[unit], category=category, at=MON)
        return req

    public = dispatched(
        f"路灯坏了，我是{NAME}，电话{PHONE}", contact_name=NAME, title=f"{NAME}家门口路灯坏了"
    )
    wf.do_sign(public, actors["staff-housing"], at=MON)
    wf.do_reply(public, actors["staff-housing"], text=f"已修复，已电话{PHONE}告知{NAME}。", at=MON)
    district = dispatched("观岭街道井盖丢了", unit="a3-guanling")
    report = make_request(kind="report", text="某科长收受红包 REPORTWORD")
    lead = dispatched("路灯又坏了")
    merged = dispatched("路灯坏了 MERGEDWORD")
    wf.do_merge(merged, actors["dispatcher"], lead=lead, at=MON)
    rejected = make_request(text="广告推销 REJECTEDWORD")
    wf.do_reject(rejected, actors["dispatcher"], note="无效", at=MON)
    return {"public": public, "district": district, "report": report, "merged": merged, "rejected": rejected}


def test_the_new_requests_feed_is_redacted_and_lists_only_listed_requests(
    client, published, make_request, settings
):
    settings.MASSLINE_PREMODERATE = True
    held = make_request(text="路灯坏了 HELDWORD")
    feed, raw = entries(client, "/feeds/requests/")
    assert feed.tag == f"{ATOM}feed"
    assert any(published["public"].reference in t for t in titles(feed))
    assert PHONE not in raw and NAME not in raw and "1391234" not in raw
    assert held.held and "HELDWORD" not in raw
    for word in ("REPORTWORD", "红包", "MERGEDWORD", "REJECTEDWORD"):
        assert word not in raw
    for key in ("report", "merged", "rejected"):
        assert published[key].reference not in raw


def test_feeds_filter_by_area_as_unit_code_or_district_and_by_category(client, published, category):
    _feed, by_code = entries(client, "/feeds/requests/?area=a3-guanling")
    _feed, by_district = entries(client, "/feeds/requests/?area=A3区")
    _feed, by_category = entries(client, f"/feeds/requests/?area=housing&category={category.code}")
    assert published["district"].reference in by_code and published["public"].reference not in by_code
    assert published["district"].reference in by_district
    assert published["public"].reference in by_category and published["district"].reference not in by_category


def test_unknown_filters_get_a_clear_400(client, db):
    response = client.get("/feeds/requests/?area=atlantis", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "atlantis" in response.content.decode()
    response = client.get("/feeds/requests/?category=nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "There is no category" in response.content.decode()


def test_a_requests_feed_tells_its_public_timeline_with_the_reply_redacted(client, published):
    req = published["public"]
    feed, raw = entries(client, f"/feeds/requests/{req.reference}/")
    assert len(titles(feed)) == 4  # received, dispatched, signed, replied
    assert "已修复" in raw and PHONE not in raw and NAME not in raw and "1391234" not in raw
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(set(ids)) == 4


def test_no_feed_where_there_is_no_public_page(client, published, settings):
    for key in ("report", "rejected"):
        assert client.get(f"/feeds/requests/{published[key].reference}/").status_code == 404


def test_excerpts_are_cut_after_redaction(client, make_request, actors, city):
    # the number straddles the 500-character cut: cutting first would leave its first digits readable
    req = make_request(text="路" * 494 + PHONE + "后面还有话")
    wf.do_dispatch(req, actors["dispatcher"], unit=city["housing"], at=MON)
    _feed, raw = entries(client, "/feeds/requests/")
    assert req.reference in raw and "13912" not in raw and "路…" in raw  # the mask is dropped whole


def test_list_and_detail_pages_link_their_feeds(client, published, category):
    page = client.get(f"/requests/?unit=housing&category={category.code}").content.decode()
    assert 'type="application/atom+xml" title="' in page
    assert f"/feeds/requests/?area=housing&amp;category={category.code}" in page
    assert f"/follow/?area=housing&amp;category={category.code}" in page
    detail = client.get(f"/requests/{published['public'].reference}/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in detail
    assert f"/feeds/requests/{published['public'].reference}/" in detail


def test_feed_queries_do_not_grow_with_the_number_of_requests(client, published, make_request, actors, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count("/feeds/requests/")
    for i in range(8):
        wf.do_dispatch(
            make_request(text=f"第{i}盏路灯坏了"), actors["dispatcher"], unit=city["housing"], at=MON
        )
    assert count("/feeds/requests/") == before
    assert count(f"/feeds/requests/{published['public'].reference}/") <= 8
