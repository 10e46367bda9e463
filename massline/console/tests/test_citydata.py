"""`massline city dump` / `massline city load`: exact round trip, idempotent, all or nothing, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from massline.console.citydata import CityLoadError, dump_city, load_city
from massline.console.models import ConfigEvent
from massline.workflow.models import Category, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """As the CLI does: its messages are English."""
    from django.utils import translation

    with translation.override("en"):
        yield


UNITS = "code,name,parent,area\ncity,A市热线,,A市\na1,A1区人民政府,city,A1区\n"


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_bytes(text.encode(encoding))
    return directory


def problems(directory: Path) -> list[str]:
    with pytest.raises(CityLoadError) as exc:
        load_city(directory)
    return [str(p) for p in exc.value.problems]


def massline(*args: str, db: Path, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MASSLINE_VAR_DIR": str(tmp)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "massline.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_dump_then_load_into_an_empty_database_then_dump_gives_the_same_bytes(tmp_path, staff):
    """The demo city (with the real catalogue when ../shared/data is present) through the real CLI."""
    first, second, fresh = tmp_path / "first", tmp_path / "second", tmp_path / "fresh.sqlite3"
    counts = dump_city(first)
    assert counts["units.csv"] == Unit.objects.count() and counts["staff.csv"] == len(staff)
    assert "password" not in (first / "staff.csv").read_text(encoding="utf-8")

    loaded = massline("city", "load", str(first), db=fresh, tmp=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "cannot sign in until a password is set" in loaded.stdout
    dumped = massline("city", "dump", str(second), db=fresh, tmp=tmp_path)
    assert dumped.returncode == 0, dumped.stderr
    for name in sorted(p.name for p in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    again = massline("city", "load", str(first), db=fresh, tmp=tmp_path)
    assert again.returncode == 0 and "nothing to change" in again.stdout


def test_loading_twice_changes_nothing_and_every_change_is_audited(tmp_path, empty_db):
    directory = write(tmp_path / "city", "units.csv", UNITS)
    write(directory, "calendar.csv", "date,type,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节調休\n")
    report = load_city(directory)
    assert report.changes == {"units.csv": 2, "calendar.csv": 2}
    assert {e.action for e in ConfigEvent.objects.all()} == {"unit.create", "calendar.create"}
    assert ConfigEvent.objects.filter(actor_label="massline city load").count() == 4
    report = load_city(directory)
    assert report.changes == {"units.csv": 0, "calendar.csv": 0} and ConfigEvent.objects.count() == 4


def test_a_bad_row_anywhere_loads_nothing_and_names_file_line_and_column(tmp_path, empty_db):
    directory = write(tmp_path / "city", "units.csv", UNITS)
    write(
        directory, "staff.csv", "username,name,roles,unit\nwang,王敏,dispatcher,\nli,李,unit_staff,nowhere\n"
    )
    assert problems(directory) == ["staff.csv line 3, column 4 (unit): unknown unit code 'nowhere'"]
    assert Unit.objects.count() == 0 and ConfigEvent.objects.count() == 0


def test_new_staff_cannot_sign_in_until_a_password_is_set(tmp_path, db):
    from django.contrib.auth.models import User

    directory = write(tmp_path / "city", "units.csv", UNITS)
    write(directory, "staff.csv", "username,name,roles,unit,active\nli,李,unit_staff;supervisor,a1,yes\n")
    assert load_city(directory).new_staff == ["li"]
    li = User.objects.get(username="li")
    assert not li.has_usable_password() and li.staff.unit.code == "a1"
    assert sorted(li.groups.values_list("name", flat=True)) == ["supervisor", "unit_staff"]


def test_unknown_parent_codes_are_reported(tmp_path, db):
    directory = write(tmp_path / "city", "units.csv", UNITS + "a1-x,某街道,a9,某地\n")
    assert problems(directory) == [
        "units.csv line 4, column 3 (parent): unknown parent code 'a9': not in units.csv nor in the "
        "database (or the parents form a loop)"
    ]


def test_a_child_may_come_before_its_parent(tmp_path, db):
    load_city(
        write(tmp_path / "city", "units.csv", "code,name,parent\na1-x,某街道,a1\na1,A1区,city\ncity,A市,\n")
    )
    assert Unit.objects.get(code="a1-x").path == "city/a1/a1-x/"


def test_a_file_in_another_encoding_is_refused_with_a_hint(tmp_path, db):
    directory = write(
        tmp_path / "city", "units.csv", UNITS + "a2,A2区人民政府,city,A2区\n", encoding="gb18030"
    )
    [message] = problems(directory)
    assert message.startswith("units.csv line 2: not UTF-8") and "iconv -f gbk -t utf-8" in message


def test_malformed_rows_and_columns_are_reported(tmp_path, db):
    directory = write(tmp_path / "city", "units.csv", "code,name,parent,colour\ncity,A市,,red\n")
    write(
        directory,
        "calendar.csv",
        'date,type,name\n2027-13-01,holiday,x\n2027-01-02,holiday\n"2027-01-03,holiday,y\n',
    )
    found = problems(directory)
    assert (
        "units.csv line 1, column 4 (colour): unknown column; the columns are code, name, parent, area"
        in found
    )
    assert "calendar.csv line 3: 2 cells, but the header has 3 columns" in found
    assert any(p.startswith("calendar.csv line 4: malformed CSV") for p in found), found


def test_values_the_model_refuses_are_reported_at_their_column(tmp_path, db):
    directory = write(tmp_path / "city", "units.csv", UNITS)
    write(directory, "calendar.csv", "date,type,name\n2027-03-03,workday,周三\n")
    write(
        directory,
        "deadline_rules.csv",
        "urgency,kind,sign_amount,sign_unit,reply_amount,reply_unit\nsoon,,1,hours,x,hours\n",
    )
    found = problems(directory)
    assert "deadline_rules.csv line 2, column 5 (reply_amount): 'x' is not a whole number" in found
    assert any(p.startswith("calendar.csv line 2, column 2 (type): ") and "Saturday" in p for p in found), (
        found
    )


def test_the_attachment1_catalogue_loads_and_an_import_then_finds_its_categories(tmp_path, empty_db):
    from massline.intake.importer import import_file
    from massline.shared_data import shared_data

    catalogue = shared_data("govmsg", "attachment1_category_tree.csv")
    sample = shared_data("govmsg", "sample_attachment2_495_labeled.csv")
    directory = tmp_path / "city"
    directory.mkdir()
    (directory / "categories.csv").write_bytes(catalogue.read_bytes())
    report = load_city(directory)
    assert (
        Category.objects.filter(level=1).count() == 15
        and report.changes["categories.csv"] == Category.objects.count()
    )
    result = import_file(str(sample), channel="hotline", auto_route=False)
    assert result.imported > 400 and not [w for _line, w in result.warnings if "unknown category" in w]
