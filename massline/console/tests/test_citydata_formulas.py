"""`massline city dump` writes formula-safe cells, and `city load` reads them back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from massline.console.citydata import dump_city, load_city
from massline.workflow.models import Unit

pytestmark = pytest.mark.django_db

UNITS = 'code,name,parent,area\ncity,=HYPERLINK("http://evil"),,@A市\na1,-A1区+1,city,\'=区\n'


def test_dump_escapes_formulas_and_load_undoes_it(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "units.csv").write_text(UNITS, encoding="utf-8")
    load_city(source)
    city = Unit.objects.get(code="city")
    assert city.name == '=HYPERLINK("http://evil")' and city.area == "@A市"

    dumped = tmp_path / "dumped"
    dump_city(dumped)
    text = (dumped / "units.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@A市" in text and "'-A1区+1" in text and ",'=区" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text

    assert load_city(dumped).changes["units.csv"] == 0  # nothing changed: the names came back exactly
    a1 = Unit.objects.get(code="a1")
    assert (a1.name, a1.area) == ("-A1区+1", "=区")  # a file's leading "'" before a formula is ours
    again = tmp_path / "again"
    dump_city(again)
    for name in sorted(p.name for p in dumped.iterdir()):
        assert (dumped / name).read_bytes() == (again / name).read_bytes(), name
