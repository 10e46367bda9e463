from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from massline.accounts.permissions import visible_requests
from massline.core.routing import Suggestion
from massline.core.workflow import State
from massline.intake.actions import IntakeError, submit_request
from massline.workflow.models import AuditEvent, Request

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_confident_suggestion_routes_and_area_rule_picks_the_district(city):
    req = submit_request(
        text="A3区金星路路灯不亮",
        title="路灯",
        at=AT,
        address="A3区金星路",
        suggestions=[Suggestion("城乡建设", 0.93)],
    )
    assert req.state == State.DISPATCHED and req.unit == city["a3"]
    ev = AuditEvent.objects.get(request=req, action="dispatch")
    assert "auto-routed" in ev.note and "0.93" in ev.note


def test_unsure_suggestion_waits_in_the_dispatcher_queue(city):
    with override_settings(MASSLINE_ROUTING_THRESHOLD=0.6):
        req = submit_request(text="我想问一下", at=AT, suggestions=[Suggestion("城乡建设", 0.41)])
    assert req.state == State.RECEIVED and req.unit is None
    assert req.suggested_category.name == "城乡建设" and req.suggestion_confidence == pytest.approx(0.41)


def test_keyword_rule_beats_the_category_default(city):
    req = submit_request(text="有人在小区搞传销", at=AT, suggestions=[Suggestion("商贸旅游", 0.9)])
    assert req.unit == city["police"]


def test_misconduct_reports_are_never_auto_routed_and_only_discipline_sees_them(city, staff):
    report = submit_request(
        text="某局长索要好处费", kind="report", at=AT, suggestions=[Suggestion("纪检监察", 0.99)]
    )
    assert report.state == State.RECEIVED
    everyone = Request.objects.all()
    for name in ("admin", "dispatcher", "supervisor", "staff-discipline", "staff-housing"):
        assert report not in visible_requests(staff[name], everyone), name
    assert report in visible_requests(staff["discipline"], everyone)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"text": "   "}, "text is empty"),
        ({"text": "x" * 20001}, "too long"),
        ({"text": "ok", "kind": "rumour"}, "unknown kind"),
        ({"text": "ok", "channel": "fax"}, "unknown channel"),
        ({"text": "ok", "lat": 91.0, "lon": 10.0}, "map position"),
        ({"text": "ok", "lat": 30.0}, "map position"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(city, kwargs, message):
    with pytest.raises(IntakeError, match=message):
        submit_request(at=AT, **kwargs)
    assert not Request.objects.exists() and not AuditEvent.objects.exists()


def test_hostile_strings_are_stored_verbatim_but_nul_bytes_dropped(city):
    req = submit_request(text="<script>alert(1)</script>\x00'; DROP TABLE x;--", at=AT, auto_route=False)
    assert Request.objects.get(pk=req.pk).text == "<script>alert(1)</script>'; DROP TABLE x;--"
