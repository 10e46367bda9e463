"""Following a public request or an area by e-mail: double opt-in, what followers read (redacted), stop
links, hourly digests, throttles. Through the real views, actions and a real SMTP server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from massline.notify.models import Message
from massline.subscriptions import actions
from massline.subscriptions.models import Subscription
from massline.subscriptions.tasks import area_digests, purge
from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.actions import ActionInput

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
FAN = "neighbour@example.org"
SECRET_PHONE = "13912345678"
REQUESTER = "欧阳志远"


@pytest.fixture(autouse=True)
def _english(client):
    """The checks below read English (the language test asks for the others)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def link(text: str, path: str) -> str:
    found = re.search(rf"https?://[^\s]+{re.escape(path)}[^\s]+/", text)
    assert found, f"no {path} link in {text!r}"
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def follow_and_confirm(client, smtp, req, email=FAN, capture=None):
    with capture(execute=True):
        page = client.post(f"/follow/request/{req.reference}/", {"email": email})
    assert page.status_code == 200 and "follow-sent" in page.content.decode()
    (confirmation,) = smtp.to(email)
    confirm_path = link(body(confirmation), "/follow/confirm/")
    assert client.get(confirm_path).status_code == 200
    assert not Subscription.objects.get(email=email).confirmed  # opening the link confirms nothing
    assert client.post(confirm_path).status_code == 200
    assert Subscription.objects.get(email=email).confirmed
    return confirmation


def serve(req, actors, reply_text):
    wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
    wf.do_sign(req, actors["staff-housing"], at=MON)
    wf.do_reply(req, actors["staff-housing"], text=reply_text, at=MON)


def test_a_confirmed_follower_hears_of_each_public_step_with_the_reply_redacted(
    client, smtp, make_request, actors, django_capture_on_commit_callbacks
):
    req = make_request(text=f"路灯坏了，我是{REQUESTER}，电话{SECRET_PHONE}", contact_name=REQUESTER)
    page = client.get(f"/requests/{req.reference}/").content.decode()
    assert 'action="/follow/request/' in page and 'type="application/atom+xml"' in page
    confirmation = follow_and_confirm(client, smtp, req, capture=django_capture_on_commit_callbacks)
    assert req.reference in confirmation["Subject"] and SECRET_PHONE not in body(confirmation)

    with django_capture_on_commit_callbacks(execute=True):
        serve(req, actors, f"已修复。感谢{REQUESTER}（{SECRET_PHONE}）的反映。")
    dispatched, replied = smtp.to(FAN)[1:]
    assert req.reference in dispatched["Subject"] and "市住房和城乡建设局" in body(dispatched)
    text = body(replied)
    assert "已修复" in text and f"/requests/{req.reference}/" in text
    assert SECRET_PHONE not in text and REQUESTER not in text and "1391234" not in text
    assert "/follow/stop/" in text and replied["List-Unsubscribe"]  # its own stop link, and notify's

    with django_capture_on_commit_callbacks(execute=True):
        registry.perform(
            "follow_up", req, wf.Actor.requester(), ActionInput(solved=False, satisfaction="dissatisfied")
        )
    assert "reopened" in smtp.to(FAN)[-1]["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        req.refresh_from_db()
        wf.do_sign(req, actors["staff-housing"], at=MON)
        wf.do_reply(req, actors["staff-housing"], text="已再次修复。", at=MON)
        registry.perform(
            "follow_up", req, wf.Actor.requester(), ActionInput(solved=True, satisfaction="satisfied")
        )
    subjects = [m["Subject"] for m in smtp.to(FAN)]
    # the confirmation, dispatched, replied, reopened, replied again, closed (signing tells nobody)
    assert len(subjects) == 6 and "closed" in subjects[-1]


def test_nothing_is_sent_before_the_address_confirms(
    client, smtp, make_request, actors, django_capture_on_commit_callbacks
):
    req = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/follow/request/{req.reference}/", {"email": FAN})
        serve(req, actors, "已修复。")
    assert [m["Subject"] for m in smtp.to(FAN)] == [smtp.to(FAN)[0]["Subject"]]  # the confirmation only
    assert "Confirm" in smtp.to(FAN)[0]["Subject"]


def test_the_stop_link_ends_that_subscription(
    client, smtp, make_request, actors, django_capture_on_commit_callbacks
):
    req = make_request()
    follow_and_confirm(client, smtp, req, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        wf.do_dispatch(req, actors["dispatcher"], unit=actors["staff-housing"].unit, at=MON)
    stop_path = link(body(smtp.to(FAN)[-1]), "/follow/stop/")
    assert 'id="stop-button"' in client.get(stop_path).content.decode()
    assert Subscription.objects.filter(email=FAN).exists()  # a GET stops nothing
    assert "follow-stopped" in client.post(stop_path).content.decode()
    assert not Subscription.objects.filter(email=FAN).exists()
    with django_capture_on_commit_callbacks(execute=True):
        wf.do_sign(req, actors["staff-housing"], at=MON)
        wf.do_reply(req, actors["staff-housing"], text="已修复。", at=MON)
    assert len(smtp.to(FAN)) == 2
    assert "already stopped" in client.post(stop_path).content.decode()


def test_reports_merged_rejected_and_held_requests_cannot_be_followed(client, make_request, actors, settings):
    report = make_request(kind="report", text="某科长收受红包")
    lead, dup, bad = make_request(), make_request(), make_request()
    wf.do_merge(dup, actors["dispatcher"], lead=lead, at=MON)
    wf.do_reject(bad, actors["dispatcher"], note="不属于受理范围", at=MON)
    settings.MASSLINE_PREMODERATE = True
    held = make_request()
    for req in (report, dup, bad, held):
        assert client.post(f"/follow/request/{req.reference}/", {"email": FAN}).status_code == 404
        with pytest.raises(actions.SubscriptionError):
            actions.ask_to_follow(FAN, request=req)
    assert not Subscription.objects.exists() and not Message.objects.filter(recipient=FAN).exists()
    assert "follow-heading" not in client.get(f"/requests/{dup.reference}/").content.decode()


def test_a_misconduct_report_never_produces_a_follower_message(
    make_request, actors, smtp, django_capture_on_commit_callbacks
):
    report = make_request(kind="report", text="某科长收受红包")
    # even a row written past the actions (the actions refuse it) yields nothing
    Subscription.objects.create(
        email=FAN,
        language="en",
        request=report,
        target=f"request:{report.pk}",
        created_at=MON,
        confirmed_at=MON,
    )
    with django_capture_on_commit_callbacks(execute=True):
        registry.perform("accept", report, actors["discipline"], ActionInput(expected_version=report.version))
        report.refresh_from_db()
        registry.perform(
            "answer",
            report,
            actors["discipline"],
            ActionInput(text="已查实。", expected_version=report.version),
        )
    assert smtp.to(FAN) == [] and not Message.objects.filter(recipient=FAN).exists()


def test_bad_input_gets_a_clear_message(client, make_request):
    req = make_request()
    page = client.post(
        f"/follow/request/{req.reference}/", {"email": "not-an-address"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 400 and "Enter a valid e-mail address." in page.content.decode()
    page = client.post("/follow/", {"email": FAN}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "Choose an area, a category, or both." in page.content.decode()
    page = client.post("/follow/", {"email": FAN, "area": "nowhere"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "nowhere" in page.content.decode()
    page = client.post("/follow/confirm/forged-token/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "not valid any more" in page.content.decode()
    assert not Subscription.objects.exists()


def test_asking_is_throttled_per_e_mail_address(client, make_request, settings):
    settings.MASSLINE_THROTTLE_ENABLED = True
    settings.MASSLINE_SUBSCRIBE_EMAIL_RATE = "2/3600"
    cache.clear()
    try:
        reqs = [make_request() for _ in range(3)]
        codes = [client.post(f"/follow/request/{r.reference}/", {"email": FAN}).status_code for r in reqs]
        assert codes == [200, 200, 429]
        assert Message.objects.filter(recipient=FAN, template="follow_confirm").count() == 2
        # another address from the same client still gets through, up to the per-client rate
        settings.MASSLINE_SUBSCRIBE_RATE = "4/3600"
        assert (
            client.post(f"/follow/request/{reqs[2].reference}/", {"email": "b@example.org"}).status_code
            == 200
        )
        assert (
            client.post(f"/follow/request/{reqs[2].reference}/", {"email": "c@example.org"}).status_code
            == 429
        )
    finally:
        cache.clear()


def test_area_followers_get_one_redacted_digest_an_hour(
    client, smtp, make_request, actors, category, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/follow/", {"email": FAN, "area": "housing", "category": category.code})
    assert page.status_code == 200, page.content.decode()[:500]
    confirm_path = link(body(smtp.to(FAN)[0]), "/follow/confirm/")
    client.post(confirm_path)

    def new(text, unit="housing", **kw):
        req = make_request(text=text, **kw)
        if kw.get("kind") != "report":
            wf.do_dispatch(req, actors["dispatcher"], unit=city[unit], category=category, at=MON)
        return req

    inside = [
        new(f"第{i}个路灯坏了，联系{REQUESTER}，电话{SECRET_PHONE}", contact_name=REQUESTER) for i in range(3)
    ]
    elsewhere = new("公交站牌倒了", unit="transport")
    report = new("某科长收受红包", kind="report")
    t0 = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert area_digests(now=t0) == 1
    (digest,) = smtp.to(FAN)[1:]
    text = body(digest)
    assert "(3)" in digest["Subject"] and all(r.reference in text for r in inside)
    assert elsewhere.reference not in text and report.reference not in text and "红包" not in text
    assert SECRET_PHONE not in text and REQUESTER not in text and "/follow/stop/" in text

    later = new("第四个路灯也坏了")
    with django_capture_on_commit_callbacks(execute=True):
        assert area_digests(now=t0 + timedelta(minutes=30)) == 0  # at most one an hour
        assert area_digests(now=t0 + timedelta(minutes=61)) == 1
        assert area_digests(now=t0 + timedelta(minutes=200)) == 0  # nothing new, nothing sent
    assert len(smtp.to(FAN)) == 3 and later.reference in body(smtp.to(FAN)[-1])
    assert inside[0].reference not in body(smtp.to(FAN)[-1])


def test_following_again_sends_nothing_to_a_confirmed_follower_and_purge_forgets_the_stale(
    client, smtp, make_request, django_capture_on_commit_callbacks
):
    req, other = make_request(), make_request()
    follow_and_confirm(client, smtp, req, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            "follow-sent" in client.post(f"/follow/request/{req.reference}/", {"email": FAN}).content.decode()
        )
        client.post(f"/follow/request/{other.reference}/", {"email": FAN})
    assert len(smtp.to(FAN)) == 2  # the first confirmation, and one for the other request
    assert purge(now=timezone.now() + timedelta(days=8)) == 1  # the unconfirmed one
    assert list(Subscription.objects.values_list("request_id", flat=True)) == [req.pk]


def test_pages_and_e_mails_follow_the_language_the_visitor_asked_in(
    client, smtp, make_request, django_capture_on_commit_callbacks
):
    req = make_request()
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert "透過郵件關注" in client.get(f"/requests/{req.reference}/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/follow/request/{req.reference}/", {"email": FAN}).content.decode()
    assert "请查看您的邮箱" in page
    (confirmation,) = smtp.to(FAN)
    assert "请确认" in confirmation["Subject"] and "链接 7 天内有效" in body(confirmation)
    assert Subscription.objects.get(email=FAN).language == "zh-hans"
