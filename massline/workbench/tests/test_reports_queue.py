"""The discipline officer's reports queue: tabs along the report's own steps, deadlines named for reports;
and what the reporter reads of it on the tracking page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from massline.workflow import actions as wf

from .conftest import MON

pytestmark = pytest.mark.django_db


def _refs(response):
    return {r.reference for r in response.context["page"].object_list}


def test_tabs_follow_the_steps_of_a_report(as_role, world, make_request, actors):
    new = world["report"]
    late = make_request(text="某所长索要好处费,请纪委查处。", kind="report", at=MON - timedelta(days=40))
    answered = make_request(text="村支书贪污扶贫款,请彻查。", kind="report", at=MON)
    wf.do_accept(answered, actors["discipline"], at=MON + timedelta(hours=2))
    wf.do_answer(
        answered, actors["discipline"], text="经核查,问题部分属实,已作处理。", at=MON + timedelta(days=3)
    )
    client = as_role("discipline")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/staff/reports/")
    assert new.reference in _refs(page) and answered.reference not in _refs(page)
    assert "accept: " in page.content.decode() and "sign: " not in page.content.decode()
    assert {t["key"]: t["count"] for t in page.context["tabs"]}["answered"] == 1
    assert _refs(client.get("/staff/reports/?tab=overdue")) >= {late.reference}
    assert _refs(client.get("/staff/reports/?tab=answered")) == {answered.reference}
    assert _refs(client.get("/staff/reports/?tab=all")) >= {new.reference, late.reference, answered.reference}
    assert _refs(client.get("/staff/reports/?tab=nonsense")) == _refs(page)  # an unknown tab is the first
    for role in ("dispatcher", "admin", "supervisor"):
        assert as_role(role).get("/staff/reports/?tab=all").status_code == 404


def test_the_reporter_reads_why_a_report_is_not_taken_up_but_no_investigation_notes(
    client, make_request, actors
):
    dismissed = make_request(text="举报某局长受贿。", kind="report", at=MON)
    wf.do_accept(dismissed, actors["discipline"], at=MON + timedelta(hours=1))
    wf.do_dismiss(
        dismissed, actors["discipline"], note="反映的问题已经查结,无新的证据", at=MON + timedelta(days=2)
    )
    investigated = make_request(text="举报某科长吃拿卡要。", kind="report", at=MON)
    wf.do_accept(investigated, actors["discipline"], at=MON + timedelta(hours=1))
    wf.do_investigate(
        investigated, actors["discipline"], note="由第二纪检监察室核查", at=MON + timedelta(days=1)
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/track/{dismissed.tracking_token}/").content.decode()
    assert "Not taken up" in page and "反映的问题已经查结,无新的证据" in page
    page = client.get(f"/track/{investigated.tracking_token}/").content.decode()
    assert "An investigation was opened" in page and "Answer due by" in page
    assert "由第二纪检监察室核查" not in page and "Updated" not in page


def test_a_report_the_old_demo_dispatched_to_the_discipline_unit_opens_and_can_be_accepted(
    as_role, world, city
):
    from massline.workflow.models import Request

    report = world["report"]
    # what the old demo left behind (do_dispatch to 市纪委监委, which the report workflow now refuses):
    # written directly, as legacy data, since no action can produce it any more
    Request.objects.filter(pk=report.pk).update(state="dispatched", unit=city["discipline"])
    client = as_role("discipline")
    page = client.get(f"/staff/r/{report.reference}/")
    assert page.status_code == 200 and "accept" in page.context["actions"]
    report.refresh_from_db()
    done = client.post(f"/staff/r/{report.reference}/do/accept/", {"version": report.version})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == "signed"
    for role in ("dispatcher", "admin", "owner", "supervisor"):
        assert as_role(role).get(f"/staff/r/{report.reference}/").status_code == 404, role


def test_an_accepted_report_reads_as_accepted_not_signed_for(as_role, world, actors):
    report = world["report"]
    wf.do_accept(report, actors["discipline"], at=MON + timedelta(hours=1))
    client = as_role("discipline")
    page = client.get(f"/staff/r/{report.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "已受理舉報" in page and "已簽收" not in page
    queue = client.get("/staff/reports/?tab=all", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "已受理舉報" in queue
