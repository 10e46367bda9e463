"""`massline export`, driven as a person at the terminal drives it (``massline.cli.main``)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from massline.cli import main
from massline.workflow import registry
from massline.workflow.actions import ActionInput

pytestmark = pytest.mark.django_db

SECRET_TEXT = "我叫王小明，电话13812345678，楼下垃圾三天没人收。"

# Minimal schemas of what the other tools read (their own type declarations, written as JSON Schema).
SENSEMAKER_TALLY = {
    "type": "object",
    "properties": {
        k: {"type": "integer", "minimum": 0} for k in ("agreeCount", "disagreeCount", "passCount")
    },
    "required": ["agreeCount", "disagreeCount"],
}
SENSEMAKER = {  # sensemaking-tools library/src/types.ts: Comment[]
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "text": {"type": "string"},
            "voteInfo": {
                "anyOf": [SENSEMAKER_TALLY, {"type": "object", "additionalProperties": SENSEMAKER_TALLY}]
            },
        },
        "required": ["id", "text"],
    },
}
TTTC = {  # tttc-light-js: options {title, question, description, data: SourceRow[]}
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "question": {"type": "string"},
        "description": {"type": "string"},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "comment": {"type": "string"},
                    "interview": {"type": "string"},
                    "video": {"type": "string"},
                    "timestamp": {"type": "string"},
                },
                "required": ["id", "comment"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["title", "question", "description", "data"],
}


def _valid(schema: dict, data) -> list[str]:
    import jsonschema_rs

    return [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(data)]


@pytest.fixture
def served(make_request, actors):
    """Two public requests of the housing unit (one replied to), one elsewhere, one misconduct report."""
    housing = make_request(text=SECRET_TEXT, contact_name="王小明")
    for action, who, extra in (
        ("dispatch", "dispatcher", {"unit": "housing"}),
        ("sign", "staff-housing", {}),
        ("reply", "staff-housing", {"text": "王小明您好，已安排清运。"}),
    ):
        registry.perform(action, housing, actors[who], ActionInput(expected_version=housing.version, **extra))
    other = make_request(text="公园长椅坏了。")
    report = make_request(text="某干部收受红包。", kind="report")
    return {"housing": housing, "other": other, "report": report}


def test_public_requests_export_is_redacted_in_every_format(tmp_path, served):
    out = tmp_path / "public.csv"
    assert main(["export", "requests", "--out", str(out), "--no-progress"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the Chinese right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["reference"] for r in rows} == {served["housing"].reference, served["other"].reference}
    text = raw.decode("utf-8-sig")
    assert "王小明" not in text and "13812345678" not in text and "垃圾" in text and "已安排清运" in text

    out_json = tmp_path / "public.json"
    assert main(["export", "requests", "--format", "json", "--unit", "housing", "--out", str(out_json)]) == 0
    records = json.loads(out_json.read_text(encoding="utf-8"))
    assert [r["reference"] for r in records] == [served["housing"].reference]
    assert [s["step"] for s in records[0]["timeline"]] == ["submit", "dispatch", "sign", "reply"]
    assert "13812345678" not in out_json.read_text(encoding="utf-8")

    from openpyxl import load_workbook

    out_xlsx = tmp_path / "public.xlsx"
    assert main(["export", "requests", "--format", "xlsx", "--out", str(out_xlsx), "--no-progress"]) == 0
    sheet = load_workbook(out_xlsx).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "reference" and len(cells) == 3
    assert not any("13812345678" in str(v) for row in cells for v in row)


def test_staff_export_has_the_full_text_but_no_misconduct_report(tmp_path, served):
    out = tmp_path / "staff.csv"
    code = main(
        [
            "export",
            "requests",
            "--staff",
            "--lang",
            "en",
            "--state",
            "replied",
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["Reference"] for r in rows] == [served["housing"].reference]
    assert rows[0]["Text"] == SECRET_TEXT  # staff read what was written

    out_json = tmp_path / "staff.json"
    assert (
        main(["export", "requests", "--staff", "--format", "json", "--out", str(out_json), "--no-progress"])
        == 0
    )
    records = json.loads(out_json.read_text(encoding="utf-8"))
    assert served["report"].reference not in {r["reference"] for r in records}
    assert SECRET_TEXT in {r["text"] for r in records}
    assert "contact_name" not in records[0]


def test_filters_and_mistakes_give_clear_errors_and_leave_the_old_file(tmp_path, served, capsys):
    out = tmp_path / "keep.csv"
    out.write_text("previous export\n", encoding="utf-8")
    for argv, message in (
        (["--unit", "nowhere"], "no unit has the code 'nowhere'"),
        (["--state", "lost"], "unknown state lost"),
        (["--category", "zzz"], "no category has the code 'zzz'"),
        (["--since", "2026-04-01", "--until", "2026-03-01"], "is after --until"),
    ):
        assert main(["export", "requests", "--out", str(out), "--no-progress", *argv]) == 2
        assert message in capsys.readouterr().err
        assert out.read_text(encoding="utf-8") == "previous export\n"
    assert main(["export", "requests", "--out", str(tmp_path / "no" / "such.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "requests", "--since", "March", "--out", str(out)])
    assert "YYYY-MM-DD" in capsys.readouterr().err
    # received on 2026-03-02 (make_request's default day)
    assert main(["export", "requests", "--since", "2026-03-03", "--out", str(out), "--no-progress"]) == 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1  # the header alone
    assert main(["export", "requests", "--until", "2026-03-02", "--out", str(out), "--no-progress"]) == 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 3
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.fixture
def consultation(staff):
    from massline.consult import actions as consult
    from massline.consult.models import Vote

    organiser = staff["supervisor"]
    c = consult.create_consultation(
        organiser,
        title="夜市征求意见",
        question="是否在河西开设夜市？",
        moderation="post",
        seed_statements=["支持夜市，晚上更热闹", "夜市会太吵", "夜市要管好垃圾"],
    )
    consult.open_consultation(c, organiser)
    author = consult.get_or_create_participant(c, cookie_key="cookieauthor9")
    kept = consult.add_statement(c, author, "夜市可以带动就业，联系我13812345678")
    consult.moderate_statement(kept, organiser, accept=True)
    rejected = consult.add_statement(c, author, "REJECTEDWORD 夜市老板都是骗子")
    consult.moderate_statement(rejected, organiser, accept=False, reason="攻击他人")
    pending = consult.add_statement(c, author, "PENDINGWORD 夜市在周末开就好")
    statements = list(c.statements.all())
    for n in range(10):
        p = consult.get_or_create_participant(c, cookie_key=f"cookievoter9{n}")
        for k, st in enumerate(statements):
            if st.state == "accepted":
                consult.cast_vote(p, st, Vote.AGREE if (n < 5) == (k % 2 == 0) else Vote.DISAGREE)
    return {"c": c, "kept": kept, "rejected": rejected, "pending": pending, "author": author}


def test_consultation_exports_follow_the_formats(tmp_path, consultation, capsys):
    c = consultation["c"]
    files = {}
    for fmt, name in (
        ("sensemaker", "s.json"),
        ("sensemaker-csv", "s.csv"),
        ("tttc", "t.json"),
        ("polis", "p.zip"),
    ):
        out = tmp_path / name
        assert main(["export", "consultation", str(c.pk), "--format", fmt, "--out", str(out)]) == 0, (
            capsys.readouterr()
        )
        files[fmt] = out.read_bytes()

    comments = json.loads(files["sensemaker"])
    assert _valid(SENSEMAKER, comments) == []
    assert len(comments) == 4  # three seeds and the accepted statement: nothing rejected or pending
    groups = comments[0]["voteInfo"]
    assert set(groups) >= {"group-A", "group-B"}
    assert sum(g["agreeCount"] + g["disagreeCount"] for g in groups.values()) == 10

    header, *rows = list(csv.reader(io.StringIO(files["sensemaker-csv"].decode("utf-8"))))
    assert header[:5] == ["comment-id", "comment_text", "agrees", "disagrees", "passes"]
    assert "group-A-agree-count" in header and len(rows) == 4
    assert all(int(r[2]) + int(r[3]) == 10 for r in rows)

    tttc = json.loads(files["tttc"])
    assert _valid(TTTC, tttc) == []
    assert {row["interview"] for row in tttc["data"]} == {
        "organiser",
        f"participant {consultation['author'].pk}",
    }

    with zipfile.ZipFile(io.BytesIO(files["polis"])) as zf:
        assert set(zf.namelist()) == {"comments.csv", "votes.csv", "participants-votes.csv"}
        polis = "".join(zf.read(n).decode("utf-8") for n in zf.namelist())

    everything = b"".join(files.values()).decode("utf-8", errors="replace") + polis
    assert "夜市可以带动就业" in everything
    for secret in ("13812345678", "REJECTEDWORD", "PENDINGWORD", "cookieauthor9", "cookievoter9"):
        assert secret not in everything, secret


def test_consultation_export_errors(tmp_path, consultation, capsys):
    assert (
        main(["export", "consultation", "999999", "--format", "tttc", "--out", str(tmp_path / "x.json")]) == 2
    )
    assert "there is no consultation 999999" in capsys.readouterr().err
    from massline.consult import actions as consult

    empty = consult.create_consultation(
        None, title="没有投票", question="还没有人投票？", seed_statements=["第一条观点"]
    )
    assert (
        main(["export", "consultation", str(empty.pk), "--format", "polis", "--out", str(tmp_path / "p.zip")])
        == 2
    )
    assert "not enough votes" in capsys.readouterr().err
    assert not (tmp_path / "p.zip").exists()
    # without a map, Sensemaker gets one tally for everyone
    assert (
        main(
            [
                "export",
                "consultation",
                str(empty.pk),
                "--format",
                "sensemaker",
                "--out",
                str(tmp_path / "s.json"),
            ]
        )
        == 0
    )
    comments = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert comments[0]["voteInfo"] == {"agreeCount": 0, "disagreeCount": 0, "passCount": 0}


def test_opendata_and_city_through_export(tmp_path, served):
    assert main(["export", "opendata", str(tmp_path / "open"), "--no-progress"]) == 0
    assert (tmp_path / "open" / "datapackage.json").is_file() and (tmp_path / "open" / "README.md").is_file()
    assert main(["export", "city", str(tmp_path / "city")]) == 0
    assert any(p.suffix == ".csv" for p in (tmp_path / "city").iterdir())
