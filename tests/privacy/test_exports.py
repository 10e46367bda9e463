"""The open-data dump written by the real nightly task, and the consultation exports for other tools, show
none of the personal data seeded through every way in (the seeds, fixture and scan of ``test_crawl``)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from .test_crawl import CRAWL_SEEDS, EXTRA_SEEDS, find_leaks, seeded  # noqa: F401 - seeded is a fixture

pytestmark = pytest.mark.django_db


def _cells_of_csv(text: str) -> str:
    # Cell by cell: neighbouring numbers (a level, a count, a rounded point) must not read as one long number
    # once the commas between them are dropped.
    return "\n".join("|".join(row) for row in csv.reader(io.StringIO(text)))


def _values_of_json(value) -> list[str]:
    if isinstance(value, dict):
        return [v for item in value.values() for v in _values_of_json(item)]
    if isinstance(value, list):
        return [v for item in value for v in _values_of_json(item)]
    return [str(value)]


def readable(name: str, data: bytes) -> str:
    """What a person reading the file sees, value by value."""
    text = data.decode("utf-8-sig")
    if name.endswith(".csv"):
        return _cells_of_csv(text)
    if name.endswith(".json"):
        return "\n|".join(_values_of_json(json.loads(text)))
    return text


def test_the_nightly_open_data_dump_shows_no_seeded_personal_data(seeded, settings, tmp_path):  # noqa: F811
    from massline.opendata.package import FILES
    from massline.opendata.tasks import nightly

    settings.MASSLINE_OPENDATA_DIR = tmp_path
    assert nightly() == len(seeded["requests"])
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(FILES)
    files = {p.name: readable(p.name, p.read_bytes()) for p in tmp_path.iterdir()}

    # Every seeded request is in the dump, with the reply that named the requester; the held one is not.
    for name in ("requests.csv", "requests.json"):
        missing = [i for i in range(len(seeded["requests"])) if f"MARK{i:03d}Q" not in files[name]]
        assert missing == [], f"{name} misses seeded requests {missing}"
    assert "路灯已修复" in files["replies.csv"] and "路灯已修复" in files["requests.json"]
    assert "HELDWORD" not in "".join(files.values()) and "MARK999" not in "".join(files.values())
    assert "dispatch" in files["timeline.csv"]

    leaks = find_leaks(files, CRAWL_SEEDS + EXTRA_SEEDS)
    assert leaks == [], "\n".join(f"{f}: {raw!r} shows as {hit!r}" for f, raw, hit in leaks[:40])
    staff_names = {u.username for u in seeded["organiser"].__class__.objects.all()} - {""}
    assert not [n for n in staff_names if len(n) >= 5 and n in files["timeline.csv"]]


def test_the_consultation_exports_for_other_tools_show_no_seeded_personal_data(seeded):  # noqa: F811
    from massline.consult import actions as consult
    from massline.consult.export_formats import FORMATS, export
    from massline.consult.models import Statement, Vote

    c = seeded["consultation"]
    for st in c.statements.filter(state=Statement.State.PENDING):  # the visitors' statements, seeds in them
        consult.moderate_statement(st, seeded["organiser"], accept=True)
    statements = list(c.statements.all())
    for n in range(8):  # enough votes for a map with groups
        p = consult.get_or_create_participant(c, cookie_key=f"voter-{n}")
        for k, st in enumerate(statements):
            consult.cast_vote(p, st, Vote.AGREE if (n + k) % 3 else Vote.DISAGREE)

    files: dict[str, str] = {}
    for fmt in FORMATS:
        data = export(c, fmt)
        if fmt == "polis":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                files.update({f"polis/{n}": readable(n, zf.read(n)) for n in zf.namelist()})
        else:
            files[fmt] = readable("x.csv" if fmt.endswith("csv") else "x.json", data)
    for name in ("sensemaker", "sensemaker-csv", "tttc", "polis/comments.csv"):
        assert "支持夜市" in files[name] and "夜市太吵" in files[name], name
    leaks = find_leaks(files, CRAWL_SEEDS)
    assert leaks == [], "\n".join(f"{f}: {raw!r} shows as {hit!r}" for f, raw, hit in leaks[:40])
