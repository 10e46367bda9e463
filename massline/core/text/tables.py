"""Reading exported tables (CSV in any supported encoding, or XLSX) into rows of strings.

Hotline systems export CSV in UTF-8, GBK or Big5, Excel's "Unicode text" (UTF-16, tab-separated), or
XLSX. :func:`read_table` takes any of them and gives back the header and the rows, with clear errors
for an empty file, an unknown encoding (:class:`~massline.core.text.encoding.UnknownEncodingError`)
or a missing column (the message lists the columns that exist).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from massline.core.text.encoding import read_text_file


class TableError(ValueError):
    """The file cannot be used as a table: empty, no header, or a column is missing."""


@dataclass
class Table:
    """A header and rows of strings; ``encoding`` is None for XLSX."""

    source: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    encoding: str | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def index(self, name: str) -> int:
        """Position of column ``name``; a TableError listing the real columns if it is absent."""
        if name in self.columns:
            return self.columns.index(name)
        stripped = [c.strip() for c in self.columns]
        if name.strip() in stripped:
            return stripped.index(name.strip())
        listed = ", ".join(repr(c) for c in self.columns)
        raise TableError(f"{self.source} has no column {name!r}; its columns are: {listed}")

    def column(self, name: str) -> list[str]:
        i = self.index(name)
        return [row[i] if i < len(row) else "" for row in self.rows]


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        # One-column files and odd quoting defeat the sniffer; count delimiters in the header instead.
        counts = {d: first_line.count(d) for d in ",\t;|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[list[str]], None]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)
    return [[_cell(v) for v in row] for row in values], None


def _read_csv(path: Path, encoding: str | None) -> tuple[list[list[str]], str]:
    text, used = read_text_file(path, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = "\t" if path.suffix.lower() in {".tsv", ".tab"} else _sniff_delimiter(text[:20_000])
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), used


def read_table(path: str | Path, *, encoding: str | None = None) -> Table:
    """Read a CSV/TSV (encoding detected unless given) or an XLSX file (first sheet)."""
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise TableError(f"{path} is empty")
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        rows, used = _read_xlsx(path)
    else:
        rows, used = _read_csv(path, encoding)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise TableError(f"{path} has no rows (not even a header)")
    header = [c.strip() for c in rows[0]]
    return Table(source=str(path), columns=header, rows=rows[1:], encoding=used)
