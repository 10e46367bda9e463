import csv
from pathlib import Path

import pytest

from massline.intake.importer import ImportFileError, import_file
from massline.shared_data import shared_data
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db

HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类"]
HEADER_TRAD = ["留言編號", "留言用戶", "留言主題", "留言時間", "留言詳情", "一級分類"]


def write(tmp_path: Path, rows, encoding="utf-8", name="export.csv") -> Path:
    path = tmp_path / name
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(HEADER_TRAD if encoding == "big5" else HEADER)
        w.writerows(rows)
    return path


def test_govmsg_format_imports_and_routes_by_given_category(city, tmp_path):
    path = write(
        tmp_path,
        [
            ["1", "U1", "A3区路灯不亮", "2019/12/30 17:06:14", "A3区金星路路灯坏了", "城乡建设"],
            ["2", "U2", "学校乱收费", "2020/1/6 12:09:38", "某中学收取补课费", "教育文体"],
        ],
    )
    result = import_file(path)
    assert (result.total, result.imported, result.errors) == (2, 2, [])
    lamp = Request.objects.get(external_id="1")
    assert lamp.channel == "import" and lamp.unit.code == "a3" and lamp.received_at.year == 2019
    assert Request.objects.get(external_id="2").unit.code == "edu"


def test_bad_rows_are_reported_by_line_and_good_rows_still_go_in(city, tmp_path):
    path = write(
        tmp_path,
        [
            ["1", "U1", "ok", "2019/12/30 17:06:14", "正常的留言", ""],
            ["2", "U2", "no text", "2019/12/30 17:06:14", "", ""],
            ["3", "U3", "bad time", "yesterday-ish", "时间不对", ""],
            ["4", "U4", "unknown category", "2019/12/30 17:06:14", "分类不存在", "火星事务"],
        ],
    )
    result = import_file(path)
    assert result.imported == 2
    assert [line for line, _ in result.errors] == [3, 4]
    assert "empty" in result.errors[0][1] and "unreadable time" in result.errors[1][1]
    assert result.warnings == [(5, "unknown category '火星事务': left for the suggester/dispatcher")]
    assert Request.objects.count() == 2


def test_reimport_skips_rows_already_imported(city, tmp_path):
    path = write(tmp_path, [["9", "U", "t", "2019/12/30 17:06:14", "內容", ""]])
    assert import_file(path).imported == 1
    again = import_file(path)
    assert (again.imported, again.skipped) == (0, 1) and Request.objects.count() == 1


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_chinese_legacy_encodings_are_read(city, tmp_path, encoding):
    path = write(
        tmp_path,
        [["7", "U", "路燈", "2019/12/30 17:06:14", "臺北市路燈壞了,請盡快修理", ""]],
        encoding=encoding,
    )
    result = import_file(path)
    assert result.imported == 1
    assert Request.objects.get(external_id="7").text == "臺北市路燈壞了,請盡快修理"


def test_unusable_files_are_refused_with_a_clear_reason(city, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        import_file(empty)
    no_text = tmp_path / "cols.csv"
    no_text.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no text column found. Columns present: a, b"):
        import_file(no_text)
    with pytest.raises(ImportFileError, match="no such file"):
        import_file(tmp_path / "missing.csv")
    assert not Request.objects.exists()


def test_the_real_labelled_sample_imports_cleanly(city):
    path = shared_data("govmsg", "sample_attachment2_495_labeled.csv")
    result = import_file(path, auto_route=False)
    assert result.errors == [] and result.imported + result.skipped == result.total == 495
    assert Request.objects.filter(channel="import").count() == result.imported
