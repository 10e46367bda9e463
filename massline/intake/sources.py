"""Reading a large export as a stream: its encoding from the first bytes, its rows with their line numbers,
and how far into the file the reader is (for the progress bar), without loading the file into memory."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from massline.core.text.encoding import decode_bytes

SNIFF_BYTES = 256 * 1024
# Python's csv module refuses fields over 128 KiB by default; a request's text is at most 20,000
# characters, so a longer field is a broken quote, reported as such.
FIELD_LIMIT = 1024 * 1024
# The spellings a mapping file may give, and the codec each reads with.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "big5hkscs",
    "utf-16": "utf-16",
}


class SourceError(ValueError):
    """The file as a whole cannot be read; the message names the file and, when known, the line."""


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16, GB18030 or Big5, judged from the first 256 KiB; a clear error
    otherwise. A multi-byte character cut at the end of the sample is dropped before judging."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    last: ValueError | None = None
    for cut in range(4 if len(head) == SNIFF_BYTES else 1):
        try:
            _, encoding = decode_bytes(head[: len(head) - cut], source=str(path))
            return "utf-8-sig" if encoding == "utf-8-sig" else encoding
        except ValueError as exc:
            last = exc
    raise SourceError(f"{str(last).rstrip('.')}; or give it with --encoding (utf-8, gb18030, big5)")


def codec_for(name: str) -> str:
    try:
        return ENCODINGS[name.strip().lower()]
    except KeyError:
        raise SourceError(f"unknown encoding {name!r}; use one of {', '.join(sorted(ENCODINGS))}") from None


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(4 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class _CountingReader(io.RawIOBase):
    """Counts the bytes the text decoder has taken from the file (the progress bar's position)."""

    def __init__(self, raw):
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.bytes_read += n or 0
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class SourceRow:
    line: int  # the physical line the record starts on (the header is line 1)
    cells: list[str]


class CsvSource:
    """The rows of a CSV file, streamed. ``header`` is read on opening; iterate for the records.

    A byte sequence that is not valid in the encoding, or a broken quote, raises ``SourceError`` naming
    the line, so the person can fix that line; the rows before it are unaffected.
    """

    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.encoding = encoding
        self.size = path.stat().st_size
        self._counter = _CountingReader(path.open("rb"))
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._counter, 1024 * 1024), encoding=encoding, errors="strict", newline=""
        )
        csv.field_size_limit(FIELD_LIMIT)
        self._reader = csv.reader(self._text)
        self._line = 1
        first = self._next()
        if first is None:
            raise SourceError(f"{path.name}: no header row")
        self.header = [h.replace("\ufeff", "").strip() for h in first.cells]

    @property
    def bytes_read(self) -> int:
        return self._counter.bytes_read

    def _next(self) -> SourceRow | None:
        start = self._reader.line_num + 1
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{self.path.name}, after line {self._reader.line_num}: bytes that are not valid "
                f"{self.encoding} ({exc.reason}). Is the encoding right? Give it with --encoding"
            ) from None
        except csv.Error as exc:
            hint = "; is there a quote that is never closed?" if "field limit" in str(exc) else ""
            raise SourceError(f"{self.path.name}, line {start}: malformed CSV ({exc}{hint})") from None
        return SourceRow(start, cells)

    def __iter__(self) -> Iterator[SourceRow]:
        while (row := self._next()) is not None:
            if any(c.strip() for c in row.cells):
                yield row

    def close(self) -> None:
        self._text.close()


def open_source(path: str | Path, encoding: str | None = None) -> CsvSource:
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise SourceError(f"{path}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        raise SourceError(
            f"{path.name}: spreadsheets go through the row-by-row import (--route); save a large export as CSV"
        )
    codec = codec_for(encoding) if encoding else detect_encoding(path)
    with path.open("rb") as fh:
        if not codec.startswith("utf-16") and b"\x00" in fh.read(4096):
            raise SourceError(f"{path.name}: this looks like a binary file, not CSV")
    return CsvSource(path, codec)
