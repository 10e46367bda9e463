"""直接答復 in writing: a caller who gave an e-mail or a phone gets the answer read on the call, in their language,
through the notification outbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from massline.core.text.script import for_reader
from massline.hotline import actions
from massline.notify.models import Message
from massline.workflow import registry
from massline.workflow.actions import ActionInput
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db
ANSWER = "居住证续签请携带身份证到户籍所在地派出所办理，工作日受理。"


def written(req: Request) -> dict[str, Message]:
    return {m.channel: m for m in Message.objects.filter(request=req, template="answered_on_call")}


def test_a_call_answered_on_the_spot_sends_the_answer_by_e_mail_and_sms_in_the_callers_language(staff):
    call = actions.Call(
        text="居住证到期了怎么续签？",
        contact_phone="13700002222",
        contact_email="caller@example.org",
        language="en",
        answer=ANSWER,
    )
    req = actions.take_call(staff["dispatcher"], call)
    sent = written(req)
    assert sorted(sent) == ["email", "sms"]
    mail, sms = sent["email"], sent["sms"]
    assert mail.recipient == "caller@example.org" and sms.recipient == "13700002222"
    assert mail.language == sms.language == "en"
    assert req.reference in mail.subject and "in writing" in mail.subject
    assert ANSWER in mail.body and "on the phone" in mail.body and req.tracking_token in mail.body
    assert ANSWER in sms.body and req.reference in sms.body


def test_a_traditional_chinese_caller_reads_the_answer_in_traditional_characters(staff):
    req = actions.take_call(
        staff["dispatcher"],
        actions.Call(
            text="居住证到期了怎么续签？", contact_phone="13700003333", language="zh-hant", answer=ANSWER
        ),
    )
    (sms,) = written(req).values()
    assert sms.channel == "sms" and sms.language == "zh-hant"
    assert for_reader(ANSWER, "zh-hant") in sms.body and ANSWER not in sms.body  # 居住證續簽…
    assert f"答復訴求 {req.reference}" in sms.body  # the message itself is translated


def test_answering_from_the_staff_page_sends_it_too_and_a_caller_without_contact_gets_nothing(
    make_request, actors
):
    by_phone = make_request(
        "社保卡丢了怎么补办？", kind="inquiry", channel="hotline", contact_phone="13800001111"
    )
    registry.perform(
        "answer_on_call", by_phone, actors["dispatcher"], ActionInput(text=ANSWER, expected_version=1)
    )
    assert list(written(by_phone)) == ["sms"]
    unknown = make_request("社保卡丢了怎么补办？", kind="inquiry", channel="hotline")
    registry.perform(
        "answer_on_call", unknown, actors["dispatcher"], ActionInput(text=ANSWER, expected_version=1)
    )
    assert written(unknown) == {} and not Message.objects.filter(request=unknown).exists()


def test_the_call_screen_takes_the_callers_e_mail_and_language(client, staff):
    client.force_login(staff["dispatcher"])
    form = client.get(reverse("hotline:calls"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="contact_email"' in form and 'name="language"' in form
    response = client.post(
        reverse("hotline:take"),
        {
            "kind": "inquiry",
            "text": "居住证到期了怎么办？",
            "contact_phone": "13700004444",
            "contact_email": "writer@example.org",
            "language": "zh-hans",
            "answer": ANSWER,
            "mode": "answer",
        },
    )
    assert response.status_code == 302
    req = Request.objects.get(contact_phone="13700004444")
    assert req.contact_email == "writer@example.org"
    mail = written(req)["email"]
    assert mail.language == "zh-hans" and ANSWER in mail.body
    # the receipt (reference and tracking link) goes in the same language
    receipt = Message.objects.get(request=req, template="receipt", channel="email")
    assert receipt.language == "zh-hans"
