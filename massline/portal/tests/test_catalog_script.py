"""Each Chinese catalogue is written in its own script: a Simplified character in the Traditional
catalogue (or the other way round) shows on every page of that interface."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from massline.core.text.script import CONVERSION

LOCALE = Path(__file__).resolve().parents[2] / "locale"
# Variants both scripts accept: 台 (工作台, 主控台) is standard in Taiwan; 公布 is the official term.
ACCEPTED = str.maketrans({"臺": "台", "佈": "布"})


def _msgstrs(po: Path) -> list[str]:
    out = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        m = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if m and not block.lstrip().startswith("#~"):
            out.append("".join(re.findall(r'"(.*)"', m.group(1))))
    return [s for s in out if s]


@pytest.mark.parametrize(("folder", "language"), [("zh_Hant", "zh-hant"), ("zh_Hans", "zh-hans")])
def test_every_translation_is_in_its_catalogue_s_script(folder, language):
    import opencc

    convert = opencc.OpenCC(CONVERSION[language]).convert
    wrong = [
        s
        for s in _msgstrs(LOCALE / folder / "LC_MESSAGES" / "django.po")
        if convert(s).translate(ACCEPTED) != s.translate(ACCEPTED)
    ]
    assert wrong == [], f"{len(wrong)} {folder} strings are in the other script, e.g. {wrong[:5]}"
