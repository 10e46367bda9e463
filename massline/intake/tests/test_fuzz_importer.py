"""Hypothesis over the importer: any file gives a clean import, rows refused with their line and reason,
or one clear error for the whole file (ImportFileError); never another exception, never half a row."""

from __future__ import annotations

import csv
import io

from hypothesis import event, given
from hypothesis import strategies as st

from massline.fuzz import FUZZ, hostile_numbers, hostile_text
from massline.intake.importer import ImportFileError, import_file

HEADERS = [
    "留言编号",
    "留言主题",
    "留言详情",
    "留言时间",
    "一级分类",
    "kind",
    "address",
    "lat",
    "lon",
    "备注",
]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "gb18030",
    "gbk",
    "big5",
    "latin-1",
    "cp1252",
    "shift_jis",
    "utf-32",
]

cells = {
    "留言编号": st.one_of(st.integers(0, 10**30).map(str), hostile_text),
    "留言主题": st.one_of(st.just("路灯"), hostile_text),
    "留言详情": st.one_of(st.just("小区门口的路灯坏了两个月"), hostile_text),
    "留言时间": st.one_of(
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
        st.sampled_from(["2026/3/2 10:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "1899-12-31"]),
        hostile_text,
    ),
    "一级分类": st.one_of(st.just("城乡建设"), hostile_text),
    "kind": st.sampled_from(["", "complaint", "report", "help", "x"]),
    "address": hostile_text,
    "lat": st.one_of(st.just(""), hostile_numbers),
    "lon": st.one_of(st.just(""), hostile_numbers),
    "备注": hostile_text,
}
rows = st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=4)


def run(path):
    """import_file's outcome, checked: the counts add up and every refusal says which line and why."""
    from massline.workflow.models import Request

    before = Request.objects.count()
    try:
        result = import_file(path, auto_route=False)
    except ImportFileError as exc:
        event("refused whole")
        assert str(exc).strip(), "a refusal says why"
        assert Request.objects.count() == before
        return None
    event(f"{result.imported} imported, {len(result.errors)} refused")
    assert result.imported + result.skipped + len(result.errors) == result.total
    assert Request.objects.count() == before + result.imported
    assert all(line >= 2 and reason.strip() for line, reason in result.errors)
    return result


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=400), st.binary(max_size=300).map(lambda b: "留言详情,留言时间\n".encode() + b)
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
)
def test_random_bytes_are_imported_or_refused_clearly(city, tmp_path, data, suffix):
    path = tmp_path / f"export{suffix}"
    path.write_bytes(data)
    run(path)


@FUZZ
@given(table=rows, encoding=st.sampled_from(ENCODINGS), columns=st.permutations(HEADERS))
def test_random_cells_in_any_encoding_are_imported_or_refused_by_line(
    city, tmp_path, table, encoding, columns
):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[row[c] for c in columns] for row in table])
    try:
        raw = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        raw = out.getvalue().encode(encoding, errors="replace")  # what a legacy export does to the rest
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    result = run(path)
    if result is not None and encoding in {"utf-8", "utf-8-sig", "gb18030"}:
        assert result.total == sum(1 for row in table if any(str(v).strip() for v in row.values()))


def test_a_row_dated_at_the_ends_of_the_calendar_is_refused_by_its_line(city, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "留言详情,留言时间\n路灯坏了,0001-01-01 00:00:00\n井盖丢失,9999-12-31 23:59:59\n噪音扰民,2026-03-02 10:00:00\n",
        encoding="utf-8",
    )
    result = import_file(path, auto_route=False)
    assert result.imported == 1
    assert [line for line, _ in result.errors] == [2, 3]
    assert all("1900" in reason and "2999" in reason for _, reason in result.errors)
