"""Notifications through a real SMTP server: the outbox is written with the change, sent once after the
commit, retried with backoff, and a misconduct report is told to nobody but the reporter and discipline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone, translation

from massline.notify import tasks
from massline.notify.delivery import deliver
from massline.notify.models import Message, Suppression
from massline.notify.outbox import due
from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.actions import ActionInput

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
CITIZEN = "citizen@example.org"


def body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_the_requester_hears_at_each_step(smtp, make_request, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(contact_email=CITIZEN)
    (receipt,) = smtp.to(CITIZEN)
    assert req.reference in receipt["Subject"] and f"/track/{req.tracking_token}/" in body(receipt)
    assert receipt["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with django_capture_on_commit_callbacks(execute=True):
        wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
        wf.do_sign(req, actors["staff-housing"], at=MON)
        wf.do_reply(req, actors["staff-housing"], text="路燈已於週二修復。", at=MON)
    replied = smtp.to(CITIZEN)[-1]
    assert "路燈已於週二修復。" in body(replied) and f"/track/{req.tracking_token}/" in body(replied)
    with django_capture_on_commit_callbacks(execute=True):
        registry.perform(
            "follow_up", req, wf.Actor.requester(), ActionInput(solved=False, satisfaction="dissatisfied")
        )
    assert len(smtp.to(CITIZEN)) == 4  # receipt, dispatched, replied, reopened (signing tells nobody)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_messages_follow_the_requesters_language(smtp, make_request, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        req = make_request(contact_email=CITIZEN)
    (receipt,) = smtp.to(CITIZEN)
    assert "我们已收到您的诉求" in receipt["Subject"] and req.reference in receipt["Subject"]
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        make_request(contact_email="en@example.org")
    assert "We have received your request" in smtp.to("en@example.org")[0]["Subject"]


def test_a_rolled_back_change_sends_nothing(smtp, make_request, actors, django_capture_on_commit_callbacks):
    req = make_request(contact_email=CITIZEN)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
            raise RuntimeError("the request failed after the change")
    assert Message.objects.count() == before
    assert smtp.to(CITIZEN) == []  # the receipt was never relayed either: no commit callbacks ran for it


def test_each_message_is_sent_once_and_retried_with_backoff(smtp, make_request):
    req = make_request(contact_email=CITIZEN)  # outside the commit capture: the row waits in the outbox
    (row,) = Message.objects.filter(request=req)
    assert row.status == "pending" and due() == [row.pk]
    smtp.refuse.set()
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.attempts == 1 and "451" in row.last_error and row.next_attempt_at > timezone.now()
    assert due() == []  # not before its backoff
    smtp.refuse.clear()
    assert due(now=row.next_attempt_at + timedelta(seconds=1)) == [row.pk]
    assert deliver(row.pk) == "sent"
    assert deliver(row.pk) == "sent"  # a second delivery of the same row sends nothing
    assert len(smtp.to(CITIZEN)) == 1


def test_a_worker_that_died_mid_send_is_picked_up(smtp, make_request):
    req = make_request(contact_email=CITIZEN)
    (row,) = Message.objects.filter(request=req)
    Message.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert tasks.relay_due() == 1
    assert len(smtp.to(CITIZEN)) == 1 and Message.objects.get(pk=row.pk).status == "sent"


def test_one_click_unsubscribe_stops_the_mail(client, smtp, make_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_request(contact_email=CITIZEN)
    link = smtp.to(CITIZEN)[0]["List-Unsubscribe"].strip("<>")
    path = link.split("8000", 1)[1]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Suppression.objects.filter(address=CITIZEN).exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_request(contact_email=CITIZEN)
    assert len(smtp.to(CITIZEN)) == 1
    assert Message.objects.filter(status="suppressed").count() == 1
    assert client.get("/notify/unsubscribe/forged-token/").status_code == 404


def test_a_misconduct_report_is_told_only_to_the_reporter_and_discipline(
    smtp, make_request, staff, actors, django_capture_on_commit_callbacks
):
    for name in ("dispatcher", "supervisor", "admin", "discipline", "staff-housing"):
        staff[name].email = f"{name}@city.example"
        staff[name].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        report = make_request(text="某局干部收受红包。", kind="report", contact_email=CITIZEN)
        wf.sweep_overdue(MON + timedelta(days=3))
        wf.do_accept(report, actors["discipline"], at=MON + timedelta(days=3))
        wf.do_answer(report, actors["discipline"], text="已立案调查。", at=MON + timedelta(days=4))
    recipients = sorted({m["To"] for m in smtp.messages})
    assert recipients == [CITIZEN, "discipline@city.example"]
    assert "已立案調查。" in body(smtp.to(CITIZEN)[-1])  # the answer in the reader's script (zh-Hant)


def test_unit_staff_hear_of_new_work_and_deadlines(
    smtp, make_request, staff, actors, django_capture_on_commit_callbacks
):
    staff["staff-housing"].email = "housing@city.example"
    staff["staff-housing"].save(update_fields=["email"])
    req = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
    (new_work,) = smtp.to("housing@city.example")
    assert req.reference in new_work["Subject"] and f"/staff/r/{req.reference}/" in body(new_work)
    near = req.sign_due - timedelta(minutes=30)
    assert tasks.deadline_reminders(now=near) == 1
    assert tasks.deadline_reminders(now=near + timedelta(minutes=10)) == 0  # once per deadline
    assert len(smtp.to("housing@city.example")) == 2


def test_sms_goes_through_the_configured_adapter(settings, tmp_path, make_request):
    out = tmp_path / "sms.jsonl"
    settings.MASSLINE_SMS_URL = f"file://{out}"
    req = make_request(contact_phone="13812345678")
    (row,) = Message.objects.filter(request=req, channel="sms")
    assert deliver(row.pk) == "sent"
    line = out.read_text(encoding="utf-8")
    assert "13812345678" in line and req.reference in line and row.key in line
