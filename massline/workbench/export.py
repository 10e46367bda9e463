"""Export a filtered staff list to CSV or XLSX.

A queue view answers ``?export=csv`` or ``?export=xlsx`` with the list it would show (same role scope, same
filters, same order, every page), so an export can never hold more than the person could open one by one.
Every text cell passes ``core.export.safe_cell`` (no formula runs when the file is opened). The CSV is
UTF-8 with a byte-order mark, so Excel reads Chinese right, and streams row by row; the XLSX is built in
memory and so stops at ``MASSLINE_EXPORT_XLSX_MAX_ROWS`` rows, saying so in its first row.

Text is exported as people wrote it (the reader's-script conversion is a display step); contact details
stay on the request's page and are not exported.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.export import SafeWriter, safe_cell
from massline.workflow.models import CHANNELS, KINDS, STATE_CHOICES, Request

from .deadlines import countdown

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_max_rows() -> int:
    return int(getattr(settings, "MASSLINE_EXPORT_XLSX_MAX_ROWS", 10_000))


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


class Columns:
    """The exported columns, with every label resolved now, in the language of the person exporting
    (a streamed CSV is written after the view has returned)."""

    def __init__(self) -> None:
        self.kinds = {k: str(label) for k, label in KINDS}
        self.channels = {c: str(label) for c, label in CHANNELS}
        self.states = {s: str(label) for s, label in STATE_CHOICES}
        self.yes, self.no = _("yes"), _("no")
        self.now = timezone.now()
        self.spec: list[tuple[str, Callable[[Request], Any]]] = [
            (_("Reference"), lambda r: r.reference),
            (_("Received"), lambda r: _local(r.received_at)),
            (_("Kind"), lambda r: self.kinds.get(r.kind, r.kind)),
            (_("Channel"), lambda r: self.channels.get(r.channel, r.channel)),
            (_("State"), lambda r: self.states.get(r.state, r.state)),
            (_("Category"), lambda r: r.category.full_name() if r.category is not None else ""),
            (_("Unit"), lambda r: r.unit.name if r.unit is not None else ""),
            (_("Sign deadline"), lambda r: _local(r.sign_due)),
            (_("Reply deadline"), lambda r: _local(r.reply_due)),
            (_("Overdue"), self._overdue),
            (_("Title"), lambda r: r.title),
            (_("Text"), lambda r: r.text),
            (_("Place"), lambda r: r.address),
        ]

    def _overdue(self, req: Request) -> str:
        c = countdown(req, self.now)
        return self.yes if c is not None and c.overdue else self.no

    @property
    def headers(self) -> list[str]:
        return [label for label, _get in self.spec]

    def row(self, req: Request) -> list:
        return [get(req) for _label, get in self.spec]


def _rows(qs: QuerySet[Request]) -> QuerySet[Request]:
    return qs.select_related("unit", "category__parent__parent")


class _Echo:
    """A file whose ``write`` hands the line back, for streaming ``csv.writer`` output."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value


def csv_response(qs: QuerySet[Request], name: str) -> StreamingHttpResponse:
    columns = Columns()
    writer = SafeWriter(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # the BOM: Excel then reads the file as UTF-8
        yield writer.writerow(columns.headers)
        for req in _rows(qs).iterator(chunk_size=500):
            yield writer.writerow([_csv_value(v) for v in columns.row(req)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name)}.csv"'
    return response


def _xlsx_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def xlsx_response(qs: QuerySet[Request], name: str) -> HttpResponse:
    from openpyxl import Workbook

    columns = Columns()
    cap = xlsx_max_rows()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Requests")[:31])
    picked = list(_rows(qs)[: cap + 1])
    if len(picked) > cap:
        total = qs.count()
        sheet.append(
            [
                _(
                    "Only the first %(cap)s of %(total)s requests are in this file. "
                    "Narrow the filters, or export CSV for all of them."
                )
                % {"cap": cap, "total": total}
            ]
        )
        picked = picked[:cap]
    sheet.append(columns.headers)
    for req in picked:
        sheet.append([_xlsx_cell(v) for v in columns.row(req)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(name)}.xlsx"'
    return response


def _filename(name: str) -> str:
    return f"massline-{name}-{timezone.localdate():%Y%m%d}"


def export_response(fmt: str, qs: QuerySet[Request], name: str) -> HttpResponse | StreamingHttpResponse:
    """The list ``qs`` as a download in ``fmt`` ("csv" or "xlsx")."""
    return csv_response(qs, name) if fmt == "csv" else xlsx_response(qs, name)
