"""``massline analyze``: an offline HTML report on real govmsg slices, and clear errors."""

from __future__ import annotations

import csv
import io
import re

import pytest

from massline.cli import main
from massline.core.report import ReportInputError, build_report
from massline.shared_data import shared_data


def _slice(name: str, rows: int, out, encoding: str = "utf-8", columns: list[str] | None = None):
    with shared_data("govmsg", name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = columns or reader.fieldnames
        data = [row for _, row in zip(range(rows), reader, strict=False)]
    with out.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data)
    return out


def _assert_offline(html: str) -> None:
    assert "<svg" in html
    assert not re.search(r"<script|<link[^>]+href|src=\"https?:", html), "the report must load nothing"


def test_reply_export_report_has_every_section(tmp_path):
    path = _slice("attachment4_replies_2816.csv", 200, tmp_path / "replies.csv")
    progress = io.StringIO()
    html = build_report(path, train_categories=False, stream=progress)
    _assert_offline(html)
    for section in ("overview", "volume", "categories", "units", "hot", "duplicates", "replies"):
        assert f'id="{section}"' in html
    assert "Requests per month" in html
    assert "Mean score per criterion" in html
    assert "Weakest replies with substance" in html and "Strongest replies" in html
    assert "not available: the file has no unit column" in html  # attachment4 has none: said, not hidden
    lines = progress.getvalue().splitlines()
    assert lines[0].startswith("[1/9]") and "read" in lines[0]
    assert any("200 replies scored" in line for line in lines)


def test_missing_categories_are_predicted_and_labelled_as_such(tmp_path):
    from massline.core.classify import TextClassifier

    train = _slice("messages_labeled.csv", 300, tmp_path / "train.csv")
    with train.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    model = TextClassifier(cv=2).fit([r["message"] for r in rows], [r["category"] for r in rows])
    model_path = model.save(tmp_path / "model.bin")
    path = _slice("attachment4_replies_2816.csv", 120, tmp_path / "replies.csv")
    html = build_report(path, model=str(model_path), progress=False)
    assert "Categories (predicted)" in html
    assert "PREDICTED, not recorded in the file" in html
    assert "By category (predicted" in html  # reply quality broken down by the predicted category


def test_likes_and_dislikes_are_shown(tmp_path):
    path = _slice("attachment3_hot_issues_4326.csv", 120, tmp_path / "hot.csv")
    html = build_report(path, train_categories=False, progress=False)
    assert "Most supported messages" in html  # attachment3 has likes and dislikes
    assert 'id="hot"' in html


def test_labelled_messages_without_times(tmp_path):
    path = _slice("messages_labeled.csv", 150, tmp_path / "labelled.csv", encoding="gb18030")
    html = build_report(path, progress=False)
    _assert_offline(html)
    assert "From the file&#x27;s own column category" in html or "own column category" in html
    assert "not available: the file has no time column" in html
    assert "gb18030" in html.lower() or "gbk" in html.lower()  # the encoding was detected and reported


def test_category_tree_is_reported_as_a_catalogue(tmp_path):
    html = build_report(shared_data("govmsg", "attachment1_category_tree.csv"), progress=False)
    _assert_offline(html)
    assert 'id="catalogue"' in html
    assert "城乡建设" in html and "三级分类" in html


def test_clear_errors(tmp_path):
    with pytest.raises(ReportInputError, match="no such file"):
        build_report(tmp_path / "missing.csv", progress=False)
    odd = tmp_path / "numbers.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ReportInputError, match=r"no text column found\. Columns: a, b"):
        build_report(odd, progress=False)
    garbage = tmp_path / "binary.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ReportInputError, match="encoding"):
        build_report(garbage, progress=False)


def test_cli_writes_the_report(tmp_path, capsys):
    path = _slice("attachment4_replies_2816.csv", 60, tmp_path / "replies.csv")
    out = tmp_path / "report.html"
    assert main(["analyze", str(path), "-o", str(out), "--no-predict"]) == 0
    captured = capsys.readouterr()
    assert "wrote" in captured.out and "█" in captured.err
    assert "<svg" in out.read_text(encoding="utf-8")
    assert main(["analyze", str(tmp_path / "nope.csv"), "-q"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_scores_replies(tmp_path, capsys):
    path = _slice("attachment4_replies_2816.csv", 80, tmp_path / "replies.csv")
    out = tmp_path / "scores.csv"
    assert main(["replies", str(path), "-o", str(out), "--evidence"]) == 0
    summary = capsys.readouterr().out
    assert "80 replies scored" in summary and "overall" in summary
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 80
    assert {"relevance", "completeness", "explanation", "timeliness", "courtesy", "overall", "grade"} <= set(
        rows[0]
    )
    assert all(1 <= int(r["grade"]) <= 5 for r in rows)
    assert "overall" in rows[0]["evidence"]


def test_big5_traditional_export_with_traditional_column_names(tmp_path):
    import opencc

    s2t = opencc.OpenCC("s2t")
    source = _slice("attachment4_replies_2816.csv", 60, tmp_path / "simplified.csv")
    text = s2t.convert(source.read_text(encoding="utf-8"))
    path = tmp_path / "traditional.csv"
    path.write_bytes(text.encode("cp950", errors="replace"))
    html = build_report(path, train_categories=False, progress=False)
    _assert_offline(html)
    assert "留言編號" in html and "答覆意見" in html  # recognised under their Traditional names
    assert "Weakest replies with substance" in html
