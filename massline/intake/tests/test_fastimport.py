"""The bulk importer: presets, mappings, states, the error report, dry runs and resuming after kill -9."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone, translation

from massline.core.text.searchwords import index_words
from massline.intake.actions import reference_for
from massline.intake.fastimport import Options, import_csv
from massline.intake.models import ImportedRow, ImportRun
from massline.intake.presets import MappingError, load_mapping
from massline.intake.sources import SourceError
from massline.portal.timeline import steps
from massline.shared_data import shared_data
from massline.workflow.models import AuditEvent, Request

GOVMSG = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类"]
NYC = [
    "unique_key",
    "created_date",
    "closed_date",
    "complaint_type",
    "descriptor",
    "status",
    "latitude",
    "longitude",
]


def write(path: Path, header, rows, encoding="utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def opts(**kw) -> Options:
    return Options(workers=0, **kw)


@pytest.mark.django_db
def test_govmsg_rows_keep_their_dates_get_references_by_the_one_rule_and_a_redacted_public_text(
    city, tmp_path
):
    path = write(
        tmp_path / "govmsg.csv",
        GOVMSG,
        [
            [
                "11",
                "U1",
                "路灯不亮",
                "2019/12/30 17:06:14",
                "A3区金星路路灯坏了，电话13812345678",
                "城乡建设",
            ],
            ["12", "U2", "学校乱收费", "2020/1/6 12:09:38", "某中学收取补课费", "没有这个分类"],
        ],
    )
    out = import_csv(path, opts())
    assert (out.read, out.imported, out.errors) == (2, 2, [])
    lamp = Request.objects.get(external_id="11")
    assert lamp.received_at.year == 2019 and lamp.state == "received" and lamp.category.name == "城乡建设"
    assert lamp.reference == reference_for(lamp.received_at, lamp.pk)
    assert "13812345678" in lamp.text and "13812345678" not in lamp.public_text and lamp.public_text
    assert lamp.search_words and lamp.search_words == index_words(lamp.public_text)  # as Request.save
    submit = AuditEvent.objects.get(request=lamp, action="submit")
    assert submit.at == lamp.received_at and submit.actor_label == f"import #{out.run_id}"
    assert [w.message for w in out.warnings] == [
        "unknown category '没有这个分类': left for the suggester/dispatcher"
    ]
    again = import_csv(path, opts())
    assert again.already_done and Request.objects.filter(external_id__in=["11", "12"]).count() == 2


@pytest.mark.django_db
def test_closed_history_is_imported_closed_at_its_own_time_and_open_work_waits_for_a_dispatcher(tmp_path):
    path = write(
        tmp_path / "nyc.csv",
        NYC,
        [
            [
                "1",
                "2018-10-21 00:00:00",
                "2018-10-21 02:08:00",
                "Noise",
                "Loud Music",
                "Closed",
                "40.7",
                "-73.9",
            ],
            ["2", "2018-10-22 08:00:00", "", "Derelict Vehicle", "With Plate", "In Progress", "", ""],
            ["3", "2018-10-23 08:00:00", "", "Graffiti", "On wall", "Mystery", "", ""],
        ],
    )
    out = import_csv(path, opts())
    assert out.mapping == "nyc311" and out.states == {"closed": 1, "received": 2}
    noise = Request.objects.get(external_id="1", channel="import")
    assert (
        noise.state == "closed"
        and timezone.localtime(noise.closed_at).hour == 2
        and noise.text == "Noise: Loud Music"
    )
    imported = AuditEvent.objects.get(request=noise, action="imported")
    assert (imported.from_state, imported.to_state, imported.data["status"]) == (
        "received",
        "closed",
        "Closed",
    )
    with translation.override("en"):
        assert [step.text for step in steps(noise)] == [
            "Request received",
            "Finished in the previous system (imported)",
        ]
    assert Request.objects.get(external_id="2").state == "received"
    assert [w.line for w in out.warnings] == [4] and "Mystery" in out.warnings[0].message


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_column_and_the_import_stops_past_max_errors(tmp_path):
    rows = [
        ["1", "U", "t", "2019/1/1 10:00:00", "good one", ""],
        ["2", "U", "t", "not a date", "bad time", ""],
        ["3", "U", "t", "2019/1/1 10:00:00", "", ""],
        ["4", "U", "t"],
        ["5", "U", "t", "2019/1/2 10:00:00", "good two", ""],
    ]
    path = write(tmp_path / "bad.csv", GOVMSG, rows)
    out = import_csv(path, opts())
    assert out.imported == 2
    assert [(e.line, e.column) for e in out.errors] == [(3, "留言时间"), (4, "留言详情"), (5, "-")]
    assert "unreadable time 'not a date'" in out.errors[0].message
    other = [[f"b{r[0]}", *r[1:]] for r in rows]  # another file: another run
    stopped = import_csv(write(tmp_path / "bad2.csv", GOVMSG, other), opts(max_errors=1, batch_size=2))
    assert "more than 1 rows refused" in stopped.stopped
    assert ImportRun.objects.get(pk=stopped.run_id).state == "stopped"


@pytest.mark.django_db
def test_a_dry_run_checks_every_row_and_writes_nothing(tmp_path):
    path = write(
        tmp_path / "dry.csv", GOVMSG, [["1", "U", "t", "2019/1/1", "text", ""], ["2", "U", "t", "x", "t", ""]]
    )
    before = (Request.objects.count(), ImportRun.objects.count(), AuditEvent.objects.count())
    out = import_csv(path, opts(dry_run=True))
    assert (out.imported, [e.line for e in out.errors]) == (1, [3])
    assert (Request.objects.count(), ImportRun.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_mapping_file_names_columns_date_formats_and_states(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'date_formats = ["%d.%m.%Y %H:%M"]\n'
        '[columns]\nid = "Nr"\ntext = ["Betreff", "Text"]\ntime = "Eingang"\nstatus = "Stand"\n'
        '[states]\n"erledigt" = "closed"\n',
        encoding="utf-8",
    )
    path = write(
        tmp_path / "de.csv",
        ["Nr", "Betreff", "Text", "Eingang", "Stand"],
        [["a1", "Laterne", "kaputt", "03.02.2020 09:15", "Erledigt"]],
    )
    out = import_csv(path, opts(mapping=load_mapping(mapping)))
    req = Request.objects.get(external_id="a1")
    assert (req.text, req.state, req.received_at.day, req.received_at.month) == (
        "Laterne: kaputt",
        "closed",
        3,
        2,
    )
    assert out.mapping == "m.toml"
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"txet": "Text"}}', encoding="utf-8")
    with pytest.raises(MappingError, match="unknown field 'txet'"):
        load_mapping(bad)


@pytest.mark.django_db
def test_encodings_are_detected_and_a_wrong_one_is_a_clear_error_naming_the_line(tmp_path):
    rows = [[str(i), "U", "路灯", "2019/1/1", "金星路路灯坏了" * 3, ""] for i in range(3000)]
    gb = write(tmp_path / "gb.csv", GOVMSG, rows, encoding="gb18030")
    bom = write(tmp_path / "bom.csv", GOVMSG, rows[:2], encoding="utf-8-sig")
    assert import_csv(bom, opts(dry_run=True)).encoding == "utf-8-sig"
    assert import_csv(gb, opts(dry_run=True)).encoding in ("gb18030", "gbk")
    with pytest.raises(SourceError, match=r"gb\.csv, after line \d+: bytes that are not valid utf-8"):
        import_csv(gb, opts(dry_run=True, encoding="utf-8"))
    broken = tmp_path / "nul.csv"
    broken.write_bytes(
        "留言编号,留言详情\n".encode() + b"1,ok\n" * 2000 + b'2,"never closed\n' + b"3,ok\n" * 300_000
    )
    with pytest.raises(SourceError, match="line 2002: malformed CSV .* a quote that is never closed"):
        import_csv(broken, opts(dry_run=True, encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name,preset", [("nyc311_combined_sample.csv", "nyc311"), ("baltimore311_sample_10k.csv", "baltimore311")]
)
def test_the_real_311_exports_read_with_their_presets(tmp_path, name, preset):
    source = shared_data("311", name)
    head = tmp_path / name
    with open(source, encoding="utf-8") as fh:
        head.write_text("".join(fh.readline() for _ in range(301)), encoding="utf-8")
    out = import_csv(head, opts(dry_run=True))
    assert out.mapping == preset and out.read == 300 and out.imported >= 295, out.errors[:3]


def _database_env() -> dict[str, str]:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{s['NAME']}"
    else:
        url = f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "massline.settings.base"}


def test_after_kill_9_the_same_command_resumes_and_no_row_is_imported_twice(transactional_db, tmp_path):
    n = 6000
    rows = [
        [str(i), f"U{i}", f"第{i}号路灯", "2019/3/1 10:00:00", f"金星路第{i}号路灯不亮，请修理", ""]
        for i in range(n)
    ]
    path = write(tmp_path / "big.csv", GOVMSG, rows)
    cmd = [
        sys.executable,
        "-m",
        "massline.cli",
        "import",
        str(path),
        "--workers",
        "0",
        "--batch-size",
        "100",
        "--no-progress",
    ]
    env = _database_env()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = ImportRun.objects.filter(filename="big.csv").first()
        if run is not None and run.last_line > 500:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    run = ImportRun.objects.get(filename="big.csv")
    assert run.state == "running" and 500 < run.last_line < n + 1, "killed mid-way"
    done_before = Request.objects.filter(channel="import", external_id__regex=r"^\d+$").count()
    assert done_before == run.rows_imported == run.last_line - 1  # the checkpoint matches what is stored

    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"resumed after line {run.last_line}" in again.stdout
    imported = Request.objects.filter(channel="import", external_id__regex=r"^\d+$")
    assert imported.count() == n
    assert imported.values("external_id").distinct().count() == n
    assert ImportedRow.objects.filter(run=run).count() == n
    assert ImportRun.objects.get(pk=run.pk).state == "done"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_deferred_search_index_is_saved_before_it_is_dropped_and_built_again_at_the_end(
    transactional_db, tmp_path
):
    def gin_indexes() -> set[str]:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'workflow_request'::regclass AND a.amname = 'gin'"
            )
            return {r[0] for r in cur.fetchall()}

    before = gin_indexes()
    assert "workflow_request_public_text_trgm" in before
    path = write(tmp_path / "d.csv", GOVMSG, [["d1", "U", "路灯", "2019/1/1", "金星路路灯不亮", ""]])
    out = import_csv(path, opts(defer_search_index=True))
    assert out.imported == 1 and set(out.indexes_built) == before
    assert gin_indexes() == before
    assert set(ImportRun.objects.get(pk=out.run_id).options["deferred_indexes"]) == before
