"""API submissions answered before routing (intake.deferred): the worker routes them, nothing is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from massline.core.workflow import State
from massline.intake.deferred import deferred, route_due, route_pending
from massline.intake.models import PendingRouting
from massline.workflow.models import AuditEvent, Request

pytestmark = pytest.mark.django_db
OPEN311 = "/api/open311/v2/requests.json"


@pytest.fixture
def api_key(db):
    from massline.api.actions import create_api_key

    return create_api_key("deferred intake test")[1]


def submit_open311(client, key, category, text="小区门口的路灯坏了一个月"):
    return client.post(
        OPEN311,
        {"api_key": key, "service_code": category.code, "lat": "28.2", "long": "112.9", "description": text},
    )


def test_without_a_broker_routing_stays_in_the_request():
    assert deferred() is False  # tests run tasks in-process: the receipt names the unit, as before
    with override_settings(MASSLINE_INTAKE_DEFER="1"):
        assert deferred() is True


@override_settings(MASSLINE_INTAKE_DEFER="1")
def test_open311_post_is_answered_at_once_and_the_worker_routes_it(
    client, api_key, category, django_capture_on_commit_callbacks
):
    from massline.workbench.models import DuplicateSketch

    with django_capture_on_commit_callbacks() as callbacks:
        response = submit_open311(client, api_key, category)
    assert response.status_code == 201, response.content
    [body] = response.json()
    req = Request.objects.get(reference=body["service_request_id"])
    assert body["token"] == req.tracking_token
    assert "正在派給承辦單位" in body["service_notice"]  # "being routed", not "a dispatcher will send it"
    assert req.state == State.RECEIVED and req.public_text  # stored with its public form
    assert PendingRouting.objects.filter(request=req).exists()
    assert not DuplicateSketch.objects.filter(request=req).exists()  # the worker sketches it

    for callback in callbacks:  # after the commit: the task (in-process here, a worker in production)
        callback()
    req.refresh_from_db()
    assert req.state == State.DISPATCHED and req.unit == category.effective_unit()
    assert req.reply_due is not None and not PendingRouting.objects.filter(request=req).exists()
    assert DuplicateSketch.objects.filter(request=req).exists()
    assert AuditEvent.objects.filter(request=req, action="dispatch").count() == 1
    assert route_pending(req.pk) == "not pending"  # a second delivery of the task changes nothing
    assert AuditEvent.objects.filter(request=req, action="dispatch").count() == 1


@override_settings(MASSLINE_INTAKE_DEFER="1")
def test_a_submission_the_worker_never_heard_of_is_routed_by_the_sweep(
    client, api_key, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the callbacks are dropped: the broker was down
        response = client.post(
            "/api/requests",
            {"title": "噪音", "text": "工地夜间施工噪音扰民", "category": category.code},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api_key}",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "received" and body["unit"] is None  # true when answered
    req = Request.objects.get(reference=body["reference"])
    assert route_due() == 0  # too recent: the worker may still be on it
    assert route_due(now=timezone.now() + timedelta(minutes=2)) == 1
    req.refresh_from_db()
    assert req.state == State.DISPATCHED and req.unit == category.effective_unit()
    assert not PendingRouting.objects.exists()


@override_settings(MASSLINE_INTAKE_DEFER="1")
def test_a_dispatcher_who_was_quicker_keeps_the_request(
    client, api_key, category, city, actors, django_capture_on_commit_callbacks
):
    from massline.workflow.actions import do_dispatch

    with django_capture_on_commit_callbacks():
        response = submit_open311(client, api_key, category, text="路灯坏了，请派到街道")
    req = Request.objects.get(reference=response.json()[0]["service_request_id"])
    do_dispatch(req, actors["dispatcher"], unit=city["a3"], category=category, note="by hand")
    assert route_pending(req.pk) == State.DISPATCHED.value
    req.refresh_from_db()
    assert req.unit == city["a3"]  # the dispatcher's choice stands
    assert AuditEvent.objects.filter(request=req, action="dispatch").count() == 1
    assert not PendingRouting.objects.filter(request=req).exists()
