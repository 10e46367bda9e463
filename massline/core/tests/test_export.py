"""Formula-safe exports: no cell a spreadsheet would run, and our own files load back exactly."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import pytest

from massline.core.export import safe_cell, unescape_cell
from massline.core.opinion import OpinionMap, VoteMatrix, load_polis_export, write_polis_export

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12", "+3.5", "普通的投訴", "", 7, -1, None, "a=b"])
def test_numbers_and_ordinary_text_are_written_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", FORMULAS + ["'=x", "''=x", "'x", "'", "-5", "'-5", "a", ""])
def test_unescape_undoes_safe_cell_exactly(text):
    assert unescape_cell(safe_cell(text)) == text


def _fitted_map():
    rng = np.random.default_rng(3)
    rows = []
    for p in range(30):
        for s in range(10):
            rows.append((p, s, int(rng.choice([-1, 0, 1]))))
    matrix = VoteMatrix.from_votes(rows)
    return OpinionMap(random_state=0).fit(matrix)


def test_the_consultation_export_is_formula_safe_and_loads_back(tmp_path):
    om = _fitted_map()
    comments = {0: '=HYPERLINK("http://evil")', 1: "@cmd", 2: "-1+1 路灯", 3: "普通观点"}
    comments |= {s: f"观点 {s}" for s in range(4, 10)}
    write_polis_export(tmp_path, om, comments=comments)
    with (tmp_path / "comments.csv").open(encoding="utf-8", newline="") as fh:
        bodies = [row["comment-body"] for row in csv.DictReader(fh)]
    assert not any(b.startswith(("=", "+", "-", "@")) for b in bodies)
    assert '\'=HYPERLINK("http://evil")' in bodies
    assert load_polis_export(tmp_path).comments == comments


def test_massline_dedupe_output_is_formula_safe(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        'id,text\n1,=HYPERLINK("http://evil") 小区路灯坏了很久没人修\n2,@SUM(1) 小区路灯坏了很久没人修\n'
        "3,-5 公交站台破损\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "massline.cli",
            "dedupe",
            str(source),
            "--text-column",
            "text",
            "--id-column",
            "id",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    assert texts[0].startswith("'=HYPERLINK") and texts[1].startswith("'@SUM") and texts[2].startswith("'-5")
