"""Every public page through the Django test client, as a visitor sees it."""

from __future__ import annotations

import re

import pytest

from massline.core.text.script import for_reader
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db

PHONE, ID_NUMBER = "13812345678", "430102199003071234"


def test_home_shows_the_submit_button_latest_reply_and_figures(client, replied):
    replied(reply="已安排维修,三天内完成。")
    page = client.get("/").content.decode()
    assert 'href="/submit/"' in page
    assert "已安排維修" in page
    assert re.search(r'class="stat-value">1<', page), "one public request counted"


def test_every_input_of_the_submit_form_has_a_label(client, db):
    page = client.get("/submit/").content.decode()
    ids = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page)
    inputs = [i for i in ids if i != "lang-select"]
    assert {"id_text", "id_photo", "id_lat", "id_lon", "id_contact_phone"} <= set(inputs)
    for input_id in inputs + ["lang-select"]:
        assert f'for="{input_id}"' in page, f"input {input_id} has no label"
    assert '<html lang="zh-Hant">' in page


def test_submitting_gives_a_receipt_with_reference_and_tracking_link(client, db):
    response = client.post(
        "/submit/",
        {
            "kind": "complaint",
            "title": "路燈壞了",
            "text": "公園路的路燈壞了一週。",
            "address": "公園路 12 號",
            "contact_name": "陳大文",
            "contact_phone": PHONE,
        },
    )
    req = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/track/{req.tracking_token}/receipt/"
    assert req.channel == "web" and req.contact_phone == PHONE
    receipt = client.get(response["Location"]).content.decode()
    assert req.reference in receipt
    assert f"http://testserver/track/{req.tracking_token}/" in receipt
    tracking = client.get(f"/track/{req.tracking_token}/").content.decode()
    assert "公園路的路燈壞了一週" in tracking and req.reference in tracking


def test_anonymous_submission_keeps_no_contact_details(client, db):
    client.post(
        "/submit/",
        {
            "kind": "help",
            "text": "樓道燈不亮",
            "anonymous": "on",
            "contact_name": "陳大文",
            "contact_phone": PHONE,
            "contact_email": "a@b.cn",
        },
    )
    req = Request.objects.get()
    assert req.anonymous and not (req.contact_name or req.contact_phone or req.contact_email)


def test_a_form_error_is_shown_next_to_the_form_and_nothing_is_stored(client, db):
    page = client.post("/submit/", {"kind": "complaint", "text": "", "lat": "28.1"}).content.decode()
    assert 'role="alert"' in page and "field-error" in page
    assert Request.objects.count() == 0


def test_a_misconduct_report_is_explained_and_never_public(client, plain_request):
    assert (
        "protected channel" in client.get("/submit/").content.decode()
        or "受保護" in client.get("/submit/").content.decode()
    )
    secret = plain_request(text="某科長收受紅包,請查處。", kind="report")
    visible = plain_request(text="公園的長椅壞了。")
    listing = client.get("/requests/").content.decode()
    assert visible.reference in listing and secret.reference not in listing
    assert secret.reference not in client.get("/requests/?q=紅包").content.decode()
    assert client.get(f"/requests/{secret.reference}/").status_code == 404
    assert client.get(f"/requests/{visible.reference}/").status_code == 200


def test_personal_data_inside_text_and_reply_is_redacted_on_public_pages(client, replied):
    req = replied(
        text=f"我叫李小明,電話 {PHONE},身份證 {ID_NUMBER},車牌湘A12345 的車天天堵在消防通道。",
        reply=f"已聯繫車主(電話 {PHONE})挪車。",
        contact_name="李小明",
    )
    for url in ("/", "/requests/", f"/requests/{req.reference}/", "/requests/?q=消防通道"):
        page = client.get(url).content.decode()
        assert PHONE not in page and ID_NUMBER not in page and "李小明" not in page, url
        assert "湘A12345" not in page
    detail = client.get(f"/requests/{req.reference}/").content.decode()
    assert "消防通道" in detail and 'class="redacted"' in detail
    assert "138****5678" in detail and "湘A*****" in detail  # partial masks keep what helps a reader
    # the requester's own tracking page shows what they wrote
    assert PHONE in client.get(f"/track/{req.tracking_token}/").content.decode()


def test_search_finds_chinese_words_in_either_script(client, plain_request):
    lamp = plain_request(text="小区路灯坏了两个月,晚上很黑。")
    tree = plain_request(text="公园的大树倒了,挡住了人行道。")
    traditional = client.get("/requests/", {"q": "路燈壞了"}).content.decode()
    assert lamp.reference in traditional and tree.reference not in traditional
    both = client.get("/requests/", {"q": "大树 人行道"}).content.decode()
    assert tree.reference in both and lamp.reference not in both
    assert (
        "Nothing matches" in client.get("/requests/", {"q": "地铁"}).content.decode()
        or "沒有" in client.get("/requests/", {"q": "地铁"}).content.decode()
    )


def test_list_filters_by_status_and_unit_and_pages_without_counting(client, replied, make_request, city):
    answered = replied()
    waiting = make_request(text="垃圾没人收。")
    page = client.get("/requests/", {"status": "replied"}).content.decode()
    assert answered.reference in page and waiting.reference not in page
    page = client.get("/requests/", {"unit": "housing"}).content.decode()
    assert answered.reference in page and waiting.reference not in page


def test_list_page_query_count_does_not_grow_with_rows(
    client, replied, make_request, django_assert_max_num_queries
):
    for i in range(25):
        make_request(text=f"第{i}号楼下水道堵了。")
    replied()
    with django_assert_max_num_queries(8):
        page = client.get("/requests/").content.decode()
    assert 'rel="next"' in page
    with django_assert_max_num_queries(8):
        client.get("/requests/", {"q": "下水道", "status": "received", "page": "2"})


def test_detail_shows_status_unit_timeline_and_reply(client, replied):
    req = replied()
    page = client.get(f"/requests/{req.reference}/").content.decode()
    assert for_reader(req.unit.name, "zh-hant") in page and "已安排維修" in page
    assert page.count("<time") >= 4  # received, dispatched, signed, replied
    assert "dispatcher" not in page and "staff-housing" not in page  # staff accounts are never named


def test_tracking_page_takes_the_follow_up_and_closes_the_request(client, replied):
    req = replied()
    url = f"/track/{req.tracking_token}/"
    page = client.get(url).content.decode()
    assert 'name="satisfaction"' in page and "已安排維修" in page  # the reply in the reader's script
    response = client.post(
        url, {"solved": "yes", "satisfaction": "satisfied", "comment": "", "version": req.version}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == "closed" and req.followups.get().satisfaction == "satisfied"
    after = client.get(url).content.decode()
    assert 'name="satisfaction"' not in after


def test_an_outdated_follow_up_is_refused_with_a_clear_message(client, replied):
    req = replied()
    response = client.post(
        f"/track/{req.tracking_token}/",
        follow=True,
        data={"solved": "no", "satisfaction": "dissatisfied", "version": req.version - 1},
    )
    req.refresh_from_db()
    assert req.state == "replied"
    assert "message-error" in response.content.decode()


def test_unknown_tracking_token_is_404(client, db):
    assert client.get("/track/not-a-token/").status_code == 404


def test_statistics_page_has_svg_charts_and_the_unit_ranking(client, replied, settings):
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 1  # one request is enough to rank here
    replied()
    page = client.get("/statistics/").content.decode()
    assert page.count("<svg") == 2 and page.count("<title") >= 3  # month line, category bars, labelled points
    assert 'class="bar"' in page  # the ranking table carries its own bars
    assert "城鄉建設" in page  # category volume, in the reader's script (Traditional by default)
    assert "住房" in page or "housing" in page.lower()


def test_monthly_report_html_and_navigation(client, replied):
    req = replied()
    month = f"{req.received_at:%Y-%m}"
    assert client.get("/report/")["Location"] == f"/report/{month}/"
    page = client.get(f"/report/{month}/").content.decode()
    assert month in page and f"/report/{month}.pdf" in page and "<svg" in page
    assert client.get("/report/2026-13/").status_code == 404


def test_pdf_fails_clearly_without_chromium(client, replied, monkeypatch):
    from massline.portal import report

    req = replied()
    monkeypatch.setattr(report, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(report.shutil, "which", lambda name: None)
    response = client.get(f"/report/{req.received_at:%Y-%m}.pdf")
    assert response.status_code == 503 and "Chromium" in response.content.decode()


def test_map_view_lists_requests_with_a_place(client, plain_request):
    placed = plain_request(text="井盖丢了。", lat=28.2, lon=112.9)
    plain_request(text="噪音扰民。")
    page = client.get("/requests/map/").content.decode()
    assert f"/requests/{placed.reference}/" in page and "map-points" in page and "leaflet.js" in page


def test_statistics_follow_a_new_follow_up_at_once_despite_the_cache(client, replied):
    from massline.followup.actions import record_follow_up
    from massline.workflow.actions import Actor

    def rates(page: str) -> list[str]:
        table = page.split('id="h-rank"')[1]
        return re.findall(r'<td class="num">([^<]*%|–)</td>', table)

    req = replied()
    assert rates(client.get("/statistics/").content.decode()) == [
        "100.0%",
        "–",
        "–",
    ]  # signed in time, no follow-up
    record_follow_up(req, Actor.requester(), solved=True, satisfaction="satisfied")
    assert rates(client.get("/statistics/").content.decode()) == ["100.0%", "100.0%", "100.0%"]


def test_monthly_report_downloads_as_a_pdf(client, replied):
    from pathlib import Path

    from massline.portal import report

    if not Path(report.CHROMIUM).exists():
        pytest.skip(f"{report.CHROMIUM} is missing: the PDF is printed by headless Chromium")
    req = replied()
    response = client.get(f"/report/{req.received_at:%Y-%m}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/Type /Page" in response.content
    assert "attachment" in response["Content-Disposition"]


def test_a_merged_duplicate_leaves_the_list_and_points_to_its_lead(client, make_request, actors):
    from massline.workflow.actions import do_merge

    lead = make_request(text="幸福路井盖丢失,很危险。")
    duplicate = make_request(text="幸福路有个井盖没了。")
    do_merge(duplicate, actors["dispatcher"], lead=lead)
    listing = client.get("/requests/").content.decode()
    assert lead.reference in listing and duplicate.reference not in listing
    detail = client.get(f"/requests/{duplicate.reference}/").content.decode()
    assert f'href="/requests/{lead.reference}/"' in detail


def test_a_missing_page_is_explained_in_the_visitors_language(client, db):
    response = client.get("/requests/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
