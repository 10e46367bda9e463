"""Replies in an export (govmsg attachment 4's 答复意见 and 答复时间) become the imported request's reply."""

from __future__ import annotations

import csv
from itertools import islice
from pathlib import Path

import pytest
from django.utils import timezone, translation

from massline.cli import main
from massline.core.text.script import for_reader
from massline.core.text.timestamps import parse_export_time
from massline.intake.fastimport import Options, import_csv
from massline.intake.models import ImportRun
from massline.intake.presets import MappingError
from massline.portal.timeline import steps
from massline.shared_data import shared_data
from massline.workflow.models import AuditEvent, Reply, Request, Unit

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "govmsg_replies.csv"  # our own rows, attachment 4's layout


def source_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["留言编号"]: row for row in csv.DictReader(fh)}


def test_massline_import_keeps_each_reply_with_its_time_and_the_public_page_shows_it_redacted(city, client):
    assert main(["import", str(FIXTURE), "--workers", "0", "--no-progress"]) == 0
    source = source_rows(FIXTURE)
    centre = Unit.objects.get(parent__isnull=True)
    lamp = Request.objects.get(external_id="9001")
    reply = lamp.replies.get()
    assert reply.text == source["9001"]["答复意见"].strip() and reply.unit == centre
    answered = parse_export_time(source["9001"]["答复时间"])
    assert lamp.state == "closed" and lamp.closed_at == lamp.replied_at == reply.created_at
    assert timezone.localtime(reply.created_at).replace(tzinfo=None) == answered
    # the history: received, replied by the unit, then closed, each at its own time
    chain = [(e.action, e.from_state, e.to_state) for e in AuditEvent.objects.filter(request=lamp)]
    assert chain == [
        ("submit", "", "received"),
        ("reply", "received", "replied"),
        ("imported", "replied", "closed"),
    ]
    with translation.override("en"):
        assert [s.text for s in steps(lamp)] == [
            "Request received",
            "The unit replied",
            "Finished in the previous system (imported)",
        ]
    # public after redaction: the reply is on the request's page, the phone number in it is not
    page = client.get(f"/requests/{lamp.reference}/").content.decode()
    assert for_reader("更换灯具", "zh-hant") in page and "13912345678" not in page and "139****5678" in page
    # a reply without a time: replied and closed when the message came in
    dance = Request.objects.get(external_id="9003")
    assert dance.state == "closed" and dance.replied_at == dance.closed_at == dance.received_at
    assert Reply.objects.filter(request__external_id__in=source).count() == len(source)


def test_a_mapping_names_the_reply_column(city, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\nid = "no"\ntext = "body"\ntime = "at"\nreply = "answer"\n', encoding="utf-8"
    )
    path = tmp_path / "answers.csv"
    path.write_text(
        "no,body,at,answer\n1,路灯坏了,2021-01-04 09:00,已修好\n2,井盖丢了,2021-01-05 09:00,\n", "utf-8"
    )
    assert main(["import", str(path), "--mapping", str(mapping), "--workers", "0", "--no-progress"]) == 0
    fixed, still_open = Request.objects.get(external_id="1"), Request.objects.get(external_id="2")
    assert fixed.state == "closed" and fixed.replies.get().text == "已修好"
    assert (
        still_open.state == "received" and not still_open.replies.exists() and still_open.replied_at is None
    )


def test_a_file_with_replies_is_refused_before_anything_is_written_when_no_unit_can_reply(empty_db):
    with pytest.raises(MappingError, match="no unit to write them"):
        import_csv(FIXTURE, Options(workers=0))
    assert not Request.objects.exists() and not ImportRun.objects.exists()


def test_the_real_attachment_4_reads_every_reply_and_imports_them(city, tmp_path):
    path = shared_data("govmsg", "attachment4_replies_2816.csv")
    source = source_rows(path)
    checked = import_csv(path, Options(workers=0, dry_run=True))  # every row, without the redaction's cost
    assert checked.errors == [] and checked.states == {"closed": len(source)}
    with open(path, encoding="utf-8", newline="") as fh:  # then a slice of it, written for real
        rows = list(islice(csv.reader(fh), 201))
    part = tmp_path / "attachment4_part.csv"
    with open(part, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = import_csv(part, Options(workers=0))
    assert out.errors == [] and out.imported == 200
    replies = Reply.objects.filter(request__external_id__in=[r[0] for r in rows[1:]]).select_related(
        "request"
    )
    assert replies.count() == 200
    for reply in replies:
        req = reply.request
        assert reply.text == source[req.external_id]["答复意见"].strip()
        assert req.state == "closed" and req.replied_at == reply.created_at == req.closed_at
        assert reply.created_at >= req.received_at
