"""The open-data dump holds only what public pages show, describes itself, and the portal serves it."""

import csv
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from massline.cli import main
from massline.opendata.dump import write
from massline.opendata.package import FILES
from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.actions import ActionInput

pytestmark = pytest.mark.django_db


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _serve(req, actors, reply):
    registry.perform(
        "dispatch", req, actors["dispatcher"], ActionInput(unit="housing", expected_version=req.version)
    )
    registry.perform("sign", req, actors["staff-housing"], ActionInput(expected_version=req.version))
    registry.perform(
        "reply", req, actors["staff-housing"], ActionInput(text=reply, expected_version=req.version)
    )


def test_the_dump_is_public_redacted_formula_safe_and_complete(tmp_path, make_request, actors):
    plain = make_request(
        text='=HYPERLINK("http://x") 我叫王小明，电话13812345678，住幸福小区3栋2单元501室。',
        contact_name="王小明",
        contact_email="wang@example.org",
        address="幸福路8号3栋2单元501室",
        lat=28.228213,
        lon=112.938845,
    )
    _serve(plain, actors, "王小明您好，已派人修复，如有问题请拨13812345678。")
    lead = make_request(text="路灯坏了。")
    merged = make_request(text="路灯坏了很久。")
    wf.do_merge(merged, actors["dispatcher"], lead=lead)
    report = make_request(text="某干部收受红包。", kind="report")
    written = write(tmp_path)
    assert written.counts["requests"] == 2 and written.counts["replies"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)  # nothing half-written left
    # (categories.csv is left out of this plain search: its hashed codes hold digits like "501")
    raw = "".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.iterdir() if "categor" not in p.name)
    for secret in ("王小明", "13812345678", "wang@example.org", "501", merged.reference, report.reference):
        assert secret not in raw, secret
    assert "staff-housing" not in raw and "dispatcher" not in raw  # no staff in the timeline

    rows = {r["reference"]: r for r in _csv(tmp_path / "requests.csv")}
    assert set(rows) == {plain.reference, lead.reference}
    assert rows[plain.reference]["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text
    assert rows[plain.reference]["lat"] == "28.228" and rows[plain.reference]["lon"] == "112.939"
    assert "3栋" in rows[plain.reference]["address"]
    assert rows[plain.reference]["unit_code"] == "housing" and rows[plain.reference]["reply_count"] == "1"
    assert "已派人修复" in rows[plain.reference]["reply"]

    replies = _csv(tmp_path / "replies.csv")
    assert [(r["reference"], r["number"], r["unit_code"]) for r in replies] == [
        (plain.reference, "1", "housing")
    ]
    steps = [
        (r["step"], r["unit_code"])
        for r in _csv(tmp_path / "timeline.csv")
        if r["reference"] == plain.reference
    ]
    assert steps == [("submit", ""), ("dispatch", "housing"), ("sign", ""), ("reply", "")]
    assert {r["code"] for r in _csv(tmp_path / "units.csv")} >= {"housing"}
    categories = _csv(tmp_path / "categories.csv")
    assert categories and all(r["level"] for r in categories)

    records = json.loads((tmp_path / "requests.json").read_text(encoding="utf-8"))
    assert [r["reference"] for r in records] == [plain.reference, lead.reference]
    assert [s["step"] for s in records[0]["timeline"]] == ["submit", "dispatch", "sign", "reply"]
    assert records[0]["replies"][0]["unit"] and records[1]["closed_at"] is None


def test_the_json_follows_its_schema_and_the_package_describes_every_csv(tmp_path, make_request, actors):
    import jsonschema_rs

    req = make_request(text="公园长椅坏了。", lat=28.2, lon=112.9)
    _serve(req, actors, "已修复。")
    make_request(text="没有坐标的诉求。")
    write(tmp_path)
    schema = json.loads((tmp_path / "requests.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = jsonschema_rs.validator_for(schema)
    data = json.loads((tmp_path / "requests.json").read_text(encoding="utf-8"))
    errors = [str(e) for e in validator.iter_errors(data)]
    assert errors == []
    assert not validator.is_valid([{**data[0], "phone": "13812345678"}])  # nothing outside the schema

    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["created"]
    assert "100 m" in package["description"] and package["privacy"]["coordinate_decimals"] == 3
    for resource in package["resources"]:
        assert (tmp_path / resource["path"]).is_file(), resource["path"]
        if resource["path"].endswith(".csv"):
            with (tmp_path / resource["path"]).open(encoding="utf-8-sig", newline="") as fh:
                header = next(csv.reader(fh))
            assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
    lat = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "lat")
    assert lat["type"] == "number" and lat["unit"] == "degree"

    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "How to cite" in readme and "CC-BY-4.0" in readme
    assert (
        "引用方式" in readme and "去識別化" in readme and "去识别化" in readme
    )  # Traditional and Simplified


def test_the_portal_serves_the_newest_dump(client, settings, tmp_path, make_request):
    settings.MASSLINE_OPENDATA_DIR = tmp_path
    assert client.get("/open-data/requests.csv").status_code == 404
    assert "no-dump" in client.get("/open-data/").content.decode()
    req = make_request(text="公园长椅坏了。")
    assert main(["opendata", str(tmp_path), "--no-progress"]) == 0
    response = client.get("/open-data/requests.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert req.reference in b"".join(response.streaming_content).decode("utf-8-sig")
    page = client.get("/open-data/").content.decode()
    for name in FILES:
        assert f'href="/open-data/{name}"' in page, name
        assert client.get(f"/open-data/{name}").status_code == 200, name
    assert "Creative Commons" in page
    assert client.get("/open-data/requests.xml").status_code == 404
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_the_nightly_task_writes_the_dump(settings, tmp_path, make_request):
    from massline.opendata.tasks import nightly

    settings.MASSLINE_OPENDATA_DIR = tmp_path / "nightly"
    make_request(text="公园长椅坏了。")
    assert nightly() == 1
    assert sorted(p.name for p in (tmp_path / "nightly").iterdir()) == sorted(FILES)


def test_supervisors_hear_once_of_a_new_hot_issue(make_request, staff, settings):
    from massline.notify.models import Message
    from massline.workbench.tasks import alert_hot_issues

    staff["supervisor"].email = "supervisor@city.example"
    staff["supervisor"].save(update_fields=["email"])
    now = timezone.now()
    others = [
        "公园长椅坏了",
        "学校门口交通拥堵",
        "菜市场垃圾没人清运",
        "路口红绿灯不亮",
        "楼下餐馆油烟很大",
        "公交站台破损",
    ]
    for i, text in enumerate(others):
        make_request(text=f"{text},请尽快处理。", title=text, at=now - timedelta(days=i % 5 + 1))
    for i in range(4):
        make_request(
            text=f"幸福小区3号楼电梯又坏了,老人上下楼很困难,请尽快维修电梯。({i})",
            title="幸福小区电梯故障",
            at=now - timedelta(days=i + 1),
        )
    assert alert_hot_issues() >= 1
    mail = Message.objects.filter(template="hot_issue", recipient="supervisor@city.example")
    assert any("电梯" in m.subject for m in mail)
    assert alert_hot_issues() == 0  # the same issue is not announced twice
