"""The open-data dump: every public request, its replies and timeline, the catalogue and the units.

A dump folder holds ``requests.csv``, ``replies.csv``, ``timeline.csv``, ``categories.csv``,
``units.csv``, ``requests.json`` (the requests with their replies and timeline nested),
``requests.schema.json`` (its JSON Schema), ``datapackage.json`` (Frictionless, with a Table Schema per
CSV) and ``README.md``. What goes in is decided in ``tables.py`` (only what public pages show, redacted,
points rounded) and described in ``fields.py`` and ``package.py``.

Each file is written to a temporary name and renamed, so a reader never sees half a file; the
descriptions are renamed last. CSV is UTF-8 with a byte-order mark (a spreadsheet then reads Chinese
right), every cell formula-safe. ``massline opendata DIR`` (or ``massline export opendata DIR``) writes
one by hand; the ``massline.opendata.nightly`` beat task writes ``MASSLINE_OPENDATA_DIR`` every night, and
the portal serves it at ``/open-data/``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils import timezone, translation

from massline.core.export import safe_row

from . import fields, package, tables

Progress = Callable[[int], None]  # requests written so far
PAGE_AREA = "opendata"  # the page cache's area of /open-data/, retired when a dump is written


@dataclass
class Written:
    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    created: str = ""

    @property
    def files(self) -> list[Path]:
        return [self.folder / name for name in package.FILES]

    @property
    def requests(self) -> int:
        return self.counts.get("requests", 0)


def _cell(value) -> object:
    return "" if value is None else value


class _Table:
    """One CSV file being written under a temporary name."""

    def __init__(self, folder: Path, table: str) -> None:
        self.table = table
        self.path = folder / f"{table}.csv"
        self.tmp = folder / f".{table}.csv.tmp"
        self.fh: IO[str] = self.tmp.open("w", encoding="utf-8-sig", newline="")
        self.columns = fields.names(table)
        self.writer = csv.writer(self.fh)
        self.writer.writerow(self.columns)
        self.count = 0

    def write(self, row: dict) -> None:
        self.writer.writerow(safe_row([_cell(row.get(c)) for c in self.columns]))
        self.count += 1


def _write_text(folder: Path, name: str, text: str) -> Path:
    tmp = folder / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    return tmp


def _write_tables(folder: Path, progress: Progress | None, out: dict[str, Path]) -> dict[str, int]:
    csvs = {t: _Table(folder, t) for t in package.CSV_TABLES}
    for t in csvs.values():
        out[t.path.name] = t.tmp
    json_tmp = folder / f".{package.JSON_FILE}.tmp"
    out[package.JSON_FILE] = json_tmp
    try:
        with json_tmp.open("w", encoding="utf-8") as j:
            j.write("[")
            for record in tables.records():
                j.write(
                    ("," if csvs["requests"].count else "") + "\n" + json.dumps(record, ensure_ascii=False)
                )
                csvs["requests"].write(record)
                for reply in record["replies"]:
                    csvs["replies"].write({"reference": record["reference"], **reply})
                for step in record["timeline"]:
                    csvs["timeline"].write({"reference": record["reference"], **step})
                if progress and csvs["requests"].count % 1000 == 0:
                    progress(csvs["requests"].count)
            j.write("\n]\n")
        for row in tables.category_rows():
            csvs["categories"].write(row)
        for row in tables.unit_rows():
            csvs["units"].write(row)
    finally:
        for t in csvs.values():
            t.fh.close()
    return {name: t.count for name, t in csvs.items()}


def write(folder: Path | str, *, progress: Progress | None = None) -> Written:
    """Write a whole dump into ``folder`` (created if needed) and return what was written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    temporary: dict[str, Path] = {}
    try:
        with translation.override("en"):  # masks in one language, whatever the server's
            counts = _write_tables(folder, progress, temporary)
        created = timezone.localtime().isoformat(timespec="seconds")
        schema = package.requests_schema()
        described = {
            package.SCHEMA_FILE: json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
            package.PACKAGE_FILE: json.dumps(
                package.datapackage(created, counts), ensure_ascii=False, indent=2
            )
            + "\n",
            package.README_FILE: package.readme(created, counts),
        }
        for name, text in described.items():
            temporary[name] = _write_text(folder, name, text)
        for name in package.FILES:  # data first, the descriptions of it last
            os.replace(temporary.pop(name), folder / name)
    finally:
        _remove(temporary.values())
    _retire_the_page()
    return Written(folder, counts, created)


def _retire_the_page() -> None:
    """/open-data/ lists the files and their counts: the cached page goes with the old dump."""
    from massline.pagecache import generations

    try:
        generations.bump([PAGE_AREA])
    except Exception:  # noqa: BLE001 - a cache that is down holds no stale page either
        pass


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def present(folder: Path) -> dict[str, Path]:
    """The files of the dump in ``folder`` that exist (none before the first night)."""
    return {name: folder / name for name in package.FILES if (folder / name).is_file()}
