"""Formula-safe spreadsheet cells (CSV and XLSX) for every export.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs skip before looking) as a formula: a complaint text like ``=HYPERLINK(...)`` would
run on the reader's machine (CSV injection). Such a text cell is written with a leading apostrophe,
which spreadsheets show as text. Plain numbers (``-12``, ``+3.5``) are not formulas and stay as they are.

``unescape_cell`` undoes ``safe_cell`` exactly, so a file we write can be loaded back unchanged
(``massline city dump`` → ``city load``). To keep that exact, a text that already starts with
apostrophes followed by a trigger gets one more apostrophe; loading takes exactly one away.
"""

from __future__ import annotations

import csv
import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_escape(text: str) -> bool:
    bare = text.lstrip("'")
    if not bare.startswith(TRIGGERS):
        return False
    # a plain number is no formula; behind an apostrophe it must still be escaped to keep loads exact
    return len(bare) != len(text) or not _PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """The value to write in a spreadsheet cell: text that a spreadsheet would run gets a leading "'"."""
    if isinstance(value, str) and _needs_escape(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The inverse of ``safe_cell`` for a text cell read back from a file we wrote."""
    if value.startswith("'") and _needs_escape(value[1:]):
        return value[1:]
    return value


def safe_row(row) -> list:
    return [safe_cell(v) for v in row]


class SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``."""

    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
