"""Bulk import of hotline exports (CSV or XLSX) into requests, one row at a time through intake.

Each row is its own transaction: a bad row is reported with its line number and reason, and never
leaves anything half-written; good rows go in. Re-importing the same file skips rows already imported
(matched by channel and external id), so an interrupted import can simply be run again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from massline.core.text.timestamps import parse_export_time
from massline.workflow.models import Category, Request

from .actions import IntakeError, category_for_label, submit_request

MAX_BYTES = 200 * 1024 * 1024

ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "留言详情",
        "留言詳情",
        "text",
        "description",
        "content",
        "message",
        "details",
        "诉求内容",
        "訴求內容",
        "descriptor",
    ),
    "title": ("留言主题", "留言主題", "title", "subject", "summary", "complaint_type", "complaint type"),
    "time": ("留言时间", "留言時間", "created", "created_date", "requested_datetime", "time", "date"),
    "id": ("留言编号", "留言編號", "id", "unique_key", "service_request_id", "reference", "unique key"),
    "user": ("留言用户", "留言用戶", "user", "requester"),
    "category": ("一级分类", "一級分類", "category"),
    "kind": ("kind", "类型", "類型"),
    "address": ("address", "地址", "incident_address", "incident address", "street name", "location"),
    "lat": ("lat", "latitude", "纬度", "緯度"),
    "lon": ("lon", "long", "longitude", "经度", "經度"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read: nothing was imported."""


@dataclass
class ImportResult:
    filename: str
    encoding: str = ""
    total: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding of a CSV file (UTF-8, UTF-16, GB18030/GBK or Big5), or a clear error."""
    from massline.core.text.encoding import decode_bytes

    try:
        return decode_bytes(data, source=name)
    except ValueError as exc:
        raise ImportFileError(str(exc)) from exc


def read_rows(path: Path) -> tuple[list[str], Iterator[list[str]], str]:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{path}: the file is empty")
    if size > MAX_BYTES:
        raise ImportFileError(f"{path}: the file is {size // 2**20} MB; the limit is {MAX_BYTES // 2**20} MB")
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        try:
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except Exception as exc:
            raise ImportFileError(f"{path}: not a readable spreadsheet ({exc})") from exc
        rows = [["" if c is None else str(c) for c in row] for row in sheet]
        if not rows:
            raise ImportFileError(f"{path}: the first sheet is empty")
        return rows[0], iter(rows[1:]), "xlsx"
    text, encoding = decode(path.read_bytes(), str(path))
    if "\x00" in text[:4096]:
        raise ImportFileError(f"{path}: this looks like a binary file, not CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(f"{path}: no header row ({exc})") from exc
    return header, reader, encoding


def map_columns(header: list[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found = {}
    for key, names in ALIASES.items():
        for name in names:
            if name.lower() in lowered:
                found[key] = lowered.index(name.lower())
                break
    return found


def parse_time(value: str) -> datetime | None:
    """An aware datetime (naive export times are local), None for an empty cell; IntakeError otherwise."""
    if not (value or "").strip():
        return None
    try:
        dt = parse_export_time(value)
    except ValueError as exc:
        raise IntakeError(str(exc)) from None
    return timezone.make_aware(dt) if timezone.is_naive(dt) else dt


def import_file(
    path: str | Path,
    *,
    channel: str = "import",
    dry_run: bool = False,
    auto_route: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    path = Path(path)
    header, rows, encoding = read_rows(path)
    cols = map_columns(header)
    if "text" not in cols:
        raise ImportFileError(
            f"{path.name}: no text column found. Columns present: {', '.join(header)}. "
            f"Name one of: {', '.join(ALIASES['text'])}"
        )
    result = ImportResult(path.name, encoding)
    seen = set(
        Request.objects.filter(channel=channel).exclude(external_id="").values_list("external_id", flat=True)
    )
    categories: dict[str, Category | None] = {}

    def cell(row, key):
        i = cols.get(key)
        return row[i].strip() if i is not None and i < len(row) and row[i] else ""

    for line, row in enumerate(rows, start=2):
        if progress:
            progress(line - 1)
        if not any(c.strip() for c in row):
            continue
        result.total += 1
        ext = cell(row, "id")
        if ext and ext in seen:
            result.skipped += 1
            continue
        try:
            label = cell(row, "category")
            category = None
            if label:
                if label not in categories:
                    categories[label] = category_for_label(label)
                category = categories[label]
                if category is None:
                    result.warnings.append(
                        (line, f"unknown category {label!r}: left for the suggester/dispatcher")
                    )
            lat, lon = cell(row, "lat"), cell(row, "lon")
            try:
                latf = float(lat) if lat else None
                lonf = float(lon) if lon else None
            except ValueError:
                raise IntakeError(f"latitude/longitude must be numbers, not {lat!r}/{lon!r}") from None
            kind = cell(row, "kind") or "complaint"
            if dry_run:
                parse_time(cell(row, "time"))
                if not cell(row, "text"):
                    raise IntakeError("the text is empty")
            else:
                submit_request(
                    text=cell(row, "text"),
                    title=cell(row, "title"),
                    kind=kind,
                    channel=channel,
                    address=cell(row, "address"),
                    lat=latf,
                    lon=lonf,
                    requester_key=cell(row, "user")[:64],
                    external_id=ext[:64],
                    category=category,
                    at=parse_time(cell(row, "time")),
                    auto_route=auto_route,
                )
            result.imported += 1
            if ext:
                seen.add(ext)
        except IntakeError as exc:
            result.errors.append((line, str(exc)))
    return result
