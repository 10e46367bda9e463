"""Webhooks against a real local HTTP receiver that checks every signature: public data only, signed, sent
once after the commit, retried with backoff, nothing for a rolled-back change, never a misconduct report."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from massline.webhooks import tasks
from massline.webhooks.delivery import deliver
from massline.webhooks.models import WebhookDelivery
from massline.webhooks.outbox import due
from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
PERSONAL = {"name": "王小明", "phone": "13912345678", "email": "wang@example.org"}


def personal_request(make_request):
    return make_request(
        text="我是王小明,电话13912345678,小区路灯坏了两个月,晚上很黑。",
        title="王小明:路灯坏了 13912345678",
        contact_name=PERSONAL["name"],
        contact_phone=PERSONAL["phone"],
        contact_email=PERSONAL["email"],
    )


def test_each_event_is_posted_signed_with_public_data_only(
    receiver, subscribe, make_request, actors, django_capture_on_commit_callbacks
):
    subscribe("*")
    with django_capture_on_commit_callbacks(execute=True):
        req = personal_request(make_request)
    with django_capture_on_commit_callbacks(execute=True):
        wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
    assert all(a["signed"] for a in receiver.attempts) and len(receiver.attempts) == 2
    submitted, dispatched = receiver.payloads()
    assert [submitted["event"], dispatched["event"]] == ["submit", "dispatch"]
    assert receiver.attempts[1]["headers"]["X-Massline-Event"] == "dispatch"
    assert receiver.attempts[1]["headers"]["X-Massline-Delivery"] == dispatched["id"]
    public = dispatched["request"]
    assert public["reference"] == req.reference and public["state"] == "dispatched"
    assert public["unit"]["name"] == actors["staff-housing"].unit.name
    assert public["public_url"].endswith(f"/requests/{req.reference}/")
    assert set(dispatched) == {"id", "event", "request", "at"}
    raw = b"".join(a["body"] for a in receiver.attempts).decode()
    for secret_part in (*PERSONAL.values(), req.tracking_token, req.text):
        assert secret_part not in raw  # no name, phone, e-mail, tracking link or raw text
    for payload in (submitted, dispatched):
        title = payload["request"]["title"]
        assert (
            "路灯坏了" in title and "王小明" not in title and "1234" not in title
        )  # the phone's hidden digits


def test_only_the_chosen_events_of_active_subscriptions(
    receiver, subscribe, make_request, actors, django_capture_on_commit_callbacks
):
    subscribe("reply")
    off = subscribe("*", name="switched-off")
    from massline.console.actions import ConsoleActor
    from massline.webhooks.actions import update_subscription

    update_subscription(ConsoleActor.command("test"), off, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request()
        wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
        wf.do_sign(req, actors["staff-housing"], at=MON)
        wf.do_reply(req, actors["staff-housing"], text="路灯已于周二修复。", at=MON)
    assert [p["event"] for p in receiver.payloads()] == ["reply"]
    assert receiver.payloads()[0]["request"]["state"] == "replied"
    assert not WebhookDelivery.objects.filter(subscription=off).exists()


def test_a_failing_receiver_gets_exactly_one_accepted_delivery_after_backoff(
    receiver, subscribe, make_request
):
    subscribe("submit")
    receiver.fail_next = 2
    req = make_request()  # outside the commit capture: the row waits in the outbox
    (row,) = WebhookDelivery.objects.filter(request=req)
    assert row.status == "pending" and due() == [row.pk]
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.attempts == 1 and row.response_code == 503 and "HTTP 503" in row.last_error
    assert due() == []  # not before its backoff
    later = row.next_attempt_at + timedelta(seconds=1)
    assert tasks.relay_due(now=later) == 1
    row.refresh_from_db()
    assert row.status == "retry" and row.attempts == 2 and row.next_attempt_at > later + timedelta(minutes=4)
    assert tasks.relay_due(now=row.next_attempt_at + timedelta(seconds=1)) == 1
    row.refresh_from_db()
    assert row.status == "delivered" and row.attempts == 3 and row.response_code == 204 and not row.last_error
    assert tasks.relay_due(now=timezone.now() + timedelta(days=1)) == 0
    assert deliver(row.pk) == "delivered"  # a late duplicate task does not send it again
    assert len(receiver.attempts) == 3 and len(receiver.accepted) == 1
    assert len({a["body"] for a in receiver.attempts}) == 1  # the same signed body every time


def test_a_rolled_back_change_sends_nothing(
    receiver, subscribe, make_request, actors, django_capture_on_commit_callbacks
):
    subscribe("*")
    req = make_request()
    before = WebhookDelivery.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
            raise RuntimeError("the request failed after the change")
    assert WebhookDelivery.objects.count() == before
    assert receiver.attempts == []


def test_misconduct_reports_never_go_out(
    receiver, subscribe, make_request, actors, django_capture_on_commit_callbacks
):
    subscribe("*")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_request(text="某局干部收受红包。", kind="report", contact_email="r@example.org")
        wf.do_accept(report, actors["discipline"], at=MON + timedelta(days=1))
        wf.do_answer(report, actors["discipline"], text="已立案调查。", at=MON + timedelta(days=2))
    assert not WebhookDelivery.objects.filter(request=report).exists()
    assert receiver.attempts == []


def test_a_worker_that_died_mid_send_is_replaced_and_a_timeout_is_retried(
    receiver, subscribe, make_request, settings
):
    subscribe("submit")
    req = make_request()
    (row,) = WebhookDelivery.objects.filter(request=req)
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - timedelta(minutes=11)
    )
    assert due() == [row.pk]  # claimed eleven minutes ago by a worker that never finished
    settings.MASSLINE_WEBHOOK_TIMEOUT = 0.3
    receiver.delay = 1.0
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.attempts == 2 and "no answer within 0.3 s" in row.last_error
    receiver.delay = 0
    assert deliver(row.pk) == "delivered"


def test_a_receiver_that_rejects_the_signature_is_not_counted_as_delivered(receiver, subscribe, make_request):
    subscribe("submit", secret="another-secret-of-20-characters")
    req = make_request()
    (row,) = WebhookDelivery.objects.filter(request=req)
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.response_code == 401 and receiver.accepted == {}


def test_switching_a_webhook_off_cancels_what_waits(receiver, subscribe, make_request):
    from massline.console.actions import ConsoleActor
    from massline.webhooks.actions import update_subscription

    sub = subscribe("submit")
    req = make_request()
    update_subscription(ConsoleActor.command("test"), sub, active=False)
    (row,) = WebhookDelivery.objects.filter(request=req)
    assert deliver(row.pk) == "cancelled" and receiver.attempts == []
