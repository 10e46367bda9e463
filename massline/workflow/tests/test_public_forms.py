"""What the public sees of a request is computed once, when its text is written, and stored
(``workflow.excerpt.public_forms``): the pages show the stored forms, in the reader's language, and never
the raw text; a change of the text or of the requester's contacts redacts again."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.workflow.excerpt import public_forms
from massline.workflow.redaction import stored_pieces

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
PHONE, NAME, ID = "13812345678", "王建国", "11010519491231002X"


@pytest.fixture
def replied(make_request, actors, category):
    from massline.workflow import actions as wf

    def make(**kwargs):
        req = make_request(**kwargs)
        wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON + timedelta(hours=1))
        wf.do_sign(req, actors["staff-housing"], at=MON + timedelta(hours=2))
        reply = f"{NAME}您好，已联系您{PHONE}，三天内修好。"
        wf.do_reply(req, actors["staff-housing"], text=reply, at=MON + timedelta(days=1))
        req.refresh_from_db()
        return req

    return make


def test_submitted_requests_store_their_public_forms_without_personal_data(replied, settings):
    settings.MASSLINE_PREMODERATE = False
    req = replied(
        title=f"{NAME}反映路灯坏了",
        text=f"我是{NAME}，电话{PHONE}，身份证{ID}，小区路灯坏了两个月。",
        address="人民路88号3栋2单元501室",
        contact_name=NAME,
        contact_phone=PHONE,
    )
    reply = req.replies.get()
    stored = [req.public_title, req.public_body, req.public_place, req.public_text, reply.public_body]
    for value in stored:
        assert value
        for secret in (NAME, PHONE, ID, "501室"):
            assert secret not in value
    assert "路灯坏了两个月" in req.public_body and req.public_place == "人民路88号3栋"
    assert req.public_text == public_forms(req.title, req.text, req.address, [NAME, PHONE]).text


def test_the_detail_page_shows_the_stored_forms_in_the_readers_language(client, replied, settings):
    settings.MASSLINE_PREMODERATE = False
    req = replied(title="路灯坏了", text=f"我是{NAME}，电话{PHONE}。", contact_name=NAME)
    page = client.get(f"/requests/{req.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "name removed" in page and "138****5678" in page
    assert NAME not in page and PHONE not in page
    page = client.get(f"/requests/{req.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "姓名已隱去" in page and NAME not in page


def test_a_row_without_stored_forms_is_still_shown_redacted(client, replied, settings):
    """A row written before the columns existed (or by a writer that bypassed them) falls back to the
    same function at render time."""
    from massline.workflow.models import Reply, Request

    settings.MASSLINE_PREMODERATE = False
    req = replied(title=f"{NAME}的路灯", text=f"电话{PHONE}，路灯坏了。", contact_name=NAME)
    Request.objects.filter(pk=req.pk).update(public_title="", public_body="", public_place="")
    Reply.objects.filter(request=req).update(public_body="")
    for url in (f"/requests/{req.reference}/", "/requests/", "/"):
        page = client.get(url).content.decode()
        assert NAME not in page and PHONE not in page, url
    assert "138****5678" in client.get(f"/requests/{req.reference}/").content.decode()


def test_a_changed_contact_or_text_is_redacted_again_with_its_replies(replied, settings):
    settings.MASSLINE_PREMODERATE = False
    req = replied(title="路灯坏了", text="李秀英家门口的路灯坏了。")
    assert "李秀英" in req.public_body  # not the requester: a name the detector cannot know
    req.contact_name = "李秀英"
    req.save(update_fields=["contact_name"])
    req.refresh_from_db()
    assert "李秀英" not in req.public_body and "李秀英" not in req.public_text
    assert "李秀英" not in req.search_words
    req.text = f"电话{PHONE}"
    req.save(update_fields=["text"])
    req.refresh_from_db()
    assert PHONE not in req.public_body and "138****5678" in "".join(p for p, _m, _l in stored_pieces(req.public_body))
    reply = req.replies.get()
    assert NAME in reply.public_body  # the reply names someone else, not this requester
    req.contact_name = NAME
    req.save(update_fields=["contact_name"])
    reply.refresh_from_db()
    assert NAME not in reply.public_body


def test_the_migration_backfills_rows_written_before_the_columns(replied, settings):
    from django.apps import apps

    from massline.workflow.migrations import __name__ as package
    from massline.workflow.models import Reply, Request

    migration = __import__(f"{package}.0008_public_forms", fromlist=["backfill"])
    settings.MASSLINE_PREMODERATE = False
    req = replied(
        title="路灯", text=f"我是{NAME}，电话{PHONE}。", address="人民路1号2单元301室", contact_name=NAME
    )
    expected = (req.public_title, req.public_body, req.public_place, req.replies.get().public_body)
    Request.objects.filter(pk=req.pk).update(public_title="", public_body="", public_place="")
    Reply.objects.filter(request=req).update(public_body="")
    migration.backfill(apps, None)
    req.refresh_from_db()
    assert (req.public_title, req.public_body, req.public_place, req.replies.get().public_body) == expected


def test_a_large_database_is_filled_by_the_command_not_the_migration(replied, settings, monkeypatch, capsys):
    from django.apps import apps

    from massline.cli import main
    from massline.workflow import public_backfill
    from massline.workflow.migrations import __name__ as package
    from massline.workflow.models import Reply, Request

    migration = __import__(f"{package}.0008_public_forms", fromlist=["backfill"])
    settings.MASSLINE_PREMODERATE = False
    req = replied(title="路灯", text=f"我是{NAME}，电话{PHONE}。", contact_name=NAME)
    expected = (req.public_title, req.public_body, req.replies.get().public_body)
    Request.objects.filter(pk=req.pk).update(public_title="", public_body="", public_place="")
    Reply.objects.filter(request=req).update(public_body="")
    monkeypatch.setattr(public_backfill, "MIGRATION_LIMIT", 1)  # "large": more rows to fill than this
    migration.backfill(apps, None)
    assert "massline publicforms fill" in capsys.readouterr().out
    req.refresh_from_db()
    assert req.public_title == ""  # left for the command
    assert main(["publicforms", "fill"]) == 0
    assert "1 requests and 1 replies filled" in capsys.readouterr().out
    req.refresh_from_db()
    assert (req.public_title, req.public_body, req.replies.get().public_body) == expected
