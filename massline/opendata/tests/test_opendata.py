"""The open-data dump holds only what public pages show, and the portal serves the newest one."""

import csv
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from massline.cli import main
from massline.opendata.dump import write
from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db


def test_the_dump_is_public_redacted_and_formula_safe(tmp_path, make_request, actors):
    plain = make_request(
        text="=HYPERLINK(\"http://x\") 我叫王小明，电话13812345678，住幸福小区3栋2单元501室。",
        contact_name="王小明",
        contact_email="wang@example.org",
        address="幸福路8号3栋2单元501室",
        lat=28.228213,
        lon=112.938845,
    )
    lead = make_request(text="路灯坏了。")
    merged = make_request(text="路灯坏了很久。")
    wf.do_merge(merged, actors["dispatcher"], lead=lead)
    report = make_request(text="某干部收受红包。", kind="report")
    csv_path, json_path, count = write(tmp_path)
    assert count == 2
    raw = csv_path.read_text(encoding="utf-8-sig") + json_path.read_text(encoding="utf-8")
    for secret in ("王小明", "13812345678", "wang@example.org", "501", merged.reference, report.reference):
        assert secret not in raw, secret
    rows = {r["reference"]: r for r in csv.DictReader(csv_path.open(encoding="utf-8-sig"))}
    assert set(rows) == {plain.reference, lead.reference}
    assert rows[plain.reference]["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text
    assert rows[plain.reference]["lat"] == "28.228" and rows[plain.reference]["lon"] == "112.939"
    assert "3栋" in rows[plain.reference]["address"]
    records = json.loads(json_path.read_text(encoding="utf-8"))
    assert [r["reference"] for r in records] == [plain.reference, lead.reference]
    assert not (tmp_path / "requests.csv.tmp").exists() and not list(tmp_path.glob("*.tmp"))


def test_the_portal_serves_the_newest_dump(client, settings, tmp_path, make_request):
    settings.MASSLINE_OPENDATA_DIR = tmp_path
    assert client.get("/open-data/requests.csv").status_code == 404
    assert "no-dump" in client.get("/open-data/").content.decode()
    req = make_request(text="公园长椅坏了。")
    assert main(["opendata", str(tmp_path)]) == 0
    response = client.get("/open-data/requests.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert req.reference in b"".join(response.streaming_content).decode("utf-8-sig")
    assert client.get("/open-data/requests.xml").status_code == 404


def test_supervisors_hear_once_of_a_new_hot_issue(make_request, staff, settings):
    from massline.notify.models import Message
    from massline.workbench.tasks import alert_hot_issues

    staff["supervisor"].email = "supervisor@city.example"
    staff["supervisor"].save(update_fields=["email"])
    now = timezone.now()
    others = ["公园长椅坏了", "学校门口交通拥堵", "菜市场垃圾没人清运", "路口红绿灯不亮", "楼下餐馆油烟很大", "公交站台破损"]
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
