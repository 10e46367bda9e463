"""`massline export`: every export from the command line (see docs/export.md).

* ``massline export requests --format csv|xlsx|json [--state --kind --category --unit --since --until]
  --out FILE``: by default the public, redacted form (the requests the portal lists, as in the open-data
  dump); ``--staff`` gives the staff list export instead (full text, the workbench's columns, misconduct
  reports left out: they stay with the discipline office).
* ``massline export opendata [DIR]``: the open-data dump (as ``massline opendata``).
* ``massline export consultation ID --format polis|sensemaker|sensemaker-csv|tttc --out FILE``.
* ``massline export city DIR``: the city's configuration (as ``massline city dump``).

Every file is written under a temporary name beside the target and renamed when complete, so a failed
or interrupted export leaves the previous file as it was. CSV is UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

REQUEST_FORMATS = ("csv", "xlsx", "json")
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header


class ExportFailure(Exception):
    """A clear message for the person at the terminal; exit code 2."""


def register(sub) -> None:
    p = sub.add_parser("export", help="export requests, the open-data dump, a consultation or the city")
    what = p.add_subparsers(dest="export_command", metavar="WHAT")

    r = what.add_parser("requests", help="requests to CSV, XLSX or JSON (public and redacted unless --staff)")
    r.add_argument("--format", choices=REQUEST_FORMATS, default="csv")
    r.add_argument("--out", required=True, help="the file to write")
    r.add_argument("--staff", action="store_true", help="staff export: full text, for staff use only")
    r.add_argument("--state", help="only these states, comma-separated (e.g. dispatched,signed)")
    r.add_argument("--kind", help="only these kinds, comma-separated (e.g. complaint,help)")
    r.add_argument("--category", help="only this category (by code) and the categories below it")
    r.add_argument("--unit", help="only this unit (by code) and the units below it")
    r.add_argument("--since", type=_day, help="received on or after this day (YYYY-MM-DD)")
    r.add_argument("--until", type=_day, help="received on or before this day (YYYY-MM-DD)")
    r.add_argument(
        "--lang", default=None, help="language of the staff export's headings (default: the site's)"
    )
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.set_defaults(func=run_requests)

    o = what.add_parser("opendata", help="the open-data dump (as `massline opendata`)")
    o.add_argument("folder", nargs="?", help="where to write (default: MASSLINE_OPENDATA_DIR)")
    o.add_argument("--no-progress", action="store_true", help="no progress bar")
    o.set_defaults(func=run_opendata)

    c = what.add_parser("consultation", help="a consultation for Pol.is, Sensemaker or Talk to the City")
    c.add_argument("id", type=int, help="the consultation's number")
    c.add_argument("--format", required=True, choices=["polis", "sensemaker", "sensemaker-csv", "tttc"])
    c.add_argument("--out", required=True, help="the file to write (polis: a .zip)")
    c.set_defaults(func=run_consultation)

    city = what.add_parser("city", help="the city's configuration as CSV files (as `massline city dump`)")
    city.add_argument("dir")
    city.set_defaults(func=run_city)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day written YYYY-MM-DD") from None


def _setup() -> None:
    """Django, and a database brought up to date (as ``massline import`` and ``city`` do), so that an export
    from a fresh install says "0 requests" instead of failing on a missing table."""
    from massline.commands._django import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _fail(what: str, exc: BaseException | str) -> int:
    print(f"massline export {what}: {exc}", file=sys.stderr)
    return 2


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed to ``target`` when the block ends without error."""
    target = Path(target)
    if not target.parent.is_dir():
        raise ExportFailure(f"the folder {target.parent} does not exist")
    if target.is_dir():
        raise ExportFailure(f"{target} is a folder; give a file name")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _progress(total: int, label: str, quiet: bool):
    """A rich progress bar on stderr (rows, rate, ETA), or None."""
    if quiet:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    bar.add_task(label, total=total)
    return bar


# --- requests -----------------------------------------------------------------------------------------


def filtered(args):
    """The requests matching the filters; ExportFailure naming an unknown state, kind, category or unit."""
    from django.db.models import Q
    from django.utils import timezone

    from massline.workflow.models import KINDS, Category, Request, State, Unit

    qs = Request.objects.all()
    if args.state:
        states = [s.strip() for s in args.state.split(",") if s.strip()]
        unknown = [s for s in states if s not in {st.value for st in State}]
        if unknown:
            raise ExportFailure(
                f"unknown state {', '.join(unknown)}; states: {', '.join(s.value for s in State)}"
            )
        qs = qs.filter(state__in=states)
    if args.kind:
        kinds = [k.strip() for k in args.kind.split(",") if k.strip()]
        known = [k for k, _label in KINDS]
        unknown = [k for k in kinds if k not in known]
        if unknown:
            raise ExportFailure(f"unknown kind {', '.join(unknown)}; kinds: {', '.join(known)}")
        qs = qs.filter(kind__in=kinds)
    if args.category:
        if not Category.objects.filter(code=args.category).exists():
            raise ExportFailure(f"no category has the code {args.category!r}")
        c = args.category
        qs = qs.filter(
            Q(category__code=c) | Q(category__parent__code=c) | Q(category__parent__parent__code=c)
        )
    if args.unit:
        unit = Unit.objects.filter(code=args.unit).first()
        if unit is None:
            raise ExportFailure(f"no unit has the code {args.unit!r}")
        qs = qs.filter(unit__path__startswith=unit.path)
    zone = timezone.get_current_timezone()
    if args.since:
        qs = qs.filter(received_at__gte=datetime.combine(args.since, time.min, zone))
    if args.until:
        qs = qs.filter(received_at__lt=datetime.combine(args.until + timedelta(days=1), time.min, zone))
    if args.since and args.until and args.since > args.until:
        raise ExportFailure(f"--since {args.since} is after --until {args.until}")
    return qs


def run_requests(args) -> int:
    _setup()
    from django.utils import translation

    try:
        qs = filtered(args)
        if args.staff:
            from massline.workflow.disclosure import NEVER_PUBLIC_KINDS

            qs = qs.exclude(kind__in=NEVER_PUBLIC_KINDS)
            with translation.override(args.lang or _site_language()):
                count = _write_staff(qs, args)
        else:
            with translation.override("en"):
                count = _write_public(qs, args)
    except ExportFailure as exc:
        return _fail("requests", exc)
    except OSError as exc:
        return _fail("requests", f"cannot write {args.out}: {exc.strerror or exc}")
    what = (
        "requests (staff export: full text, for staff use only)"
        if args.staff
        else "public requests (redacted)"
    )
    print(f"{count} {what} written to {args.out}")
    return 0


def _site_language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


def _run_rows(rows, total: int, args, sink) -> int:
    """Feed ``rows`` to ``sink`` with a progress bar; the number of rows."""
    bar = _progress(total, "export", args.no_progress)
    n = 0
    if bar is not None:
        bar.start()
    try:
        for row in rows:
            sink(row)
            n += 1
            if bar is not None and n % 200 == 0:
                bar.update(bar.task_ids[0], completed=n)
        if bar is not None:
            bar.update(bar.task_ids[0], completed=n)
    finally:
        if bar is not None:
            bar.stop()
    return n


def _check_xlsx(total: int) -> None:
    if total > XLSX_MAX_ROWS:
        raise ExportFailure(f"{total:,} rows do not fit in one XLSX sheet ({XLSX_MAX_ROWS:,}); export CSV")


def _write_public(qs, args) -> int:
    import csv
    import json

    from massline.core.export import safe_row
    from massline.opendata import fields, tables

    public = tables.public_requests(qs)
    total = public.count()
    columns = fields.names("requests")
    with atomic_path(Path(args.out)) as tmp:
        if args.format == "json":
            with tmp.open("w", encoding="utf-8") as fh:
                fh.write("[")
                first = [True]

                def sink_json(record: dict) -> None:
                    fh.write(("\n" if first[0] else ",\n") + json.dumps(record, ensure_ascii=False))
                    first[0] = False

                n = _run_rows(tables.records(qs), total, args, sink_json)
                fh.write("\n]\n")
            return n
        if args.format == "csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                return _run_rows(
                    tables.records(qs),
                    total,
                    args,
                    lambda r: writer.writerow(safe_row(["" if r[c] is None else r[c] for c in columns])),
                )
        _check_xlsx(total)
        return _xlsx(tmp, columns, ([r[c] for c in columns] for r in tables.records(qs)), total, args)


def _xlsx(tmp: Path, headers: list[str], rows, total: int, args) -> int:
    from openpyxl import Workbook

    from massline.workbench.export import _xlsx_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("requests")
    sheet.append(headers)
    n = _run_rows(rows, total, args, lambda row: sheet.append([_xlsx_cell(v) for v in row]))
    book.save(tmp)
    return n


def _write_staff(qs, args) -> int:
    import json

    from massline.core.export import SafeWriter
    from massline.workbench.export import Columns, _csv_value, _rows

    rows = _rows(qs.order_by("received_at", "pk"))
    total = qs.count()
    columns = Columns()
    with atomic_path(Path(args.out)) as tmp:
        if args.format == "csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = SafeWriter(fh)
                writer.writerow(columns.headers)
                return _run_rows(
                    rows.iterator(chunk_size=500),
                    total,
                    args,
                    lambda req: writer.writerow([_csv_value(v) for v in columns.row(req)]),
                )
        if args.format == "xlsx":
            _check_xlsx(total)
            values = (columns.row(req) for req in rows.iterator(chunk_size=500))
            return _xlsx(tmp, columns.headers, values, total, args)
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write("[")
            first = [True]

            def sink(req) -> None:
                fh.write(("\n" if first[0] else ",\n") + json.dumps(_staff_record(req), ensure_ascii=False))
                first[0] = False

            n = _run_rows(rows.iterator(chunk_size=500), total, args, sink)
            fh.write("\n]\n")
            return n


def _staff_record(req) -> dict:
    """One request as staff read it: the whole text and the exact place; no contact details (they stay on
    the request's page, as in the workbench's export)."""
    from massline.opendata.tables import iso

    return {
        "reference": req.reference,
        "kind": req.kind,
        "channel": req.channel,
        "state": req.state,
        "urgency": req.urgency,
        "category_code": req.category.code if req.category else "",
        "category": req.category.full_name() if req.category else "",
        "unit_code": req.unit.code if req.unit else "",
        "unit": req.unit.name if req.unit else "",
        "received_at": iso(req.received_at),
        "sign_due": iso(req.sign_due),
        "reply_due": iso(req.reply_due),
        "closed_at": iso(req.closed_at),
        "title": req.title,
        "text": req.text,
        "address": req.address,
        "lat": req.lat,
        "lon": req.lon,
        "held": req.held,
    }


# --- the others -----------------------------------------------------------------------------------------


def run_opendata(args) -> int:
    _setup()
    from django.conf import settings

    from massline.opendata.dump import write
    from massline.workflow import disclosure

    folder = Path(args.folder) if args.folder else Path(settings.MASSLINE_OPENDATA_DIR)
    bar = _progress(disclosure.listed().count(), "open data", getattr(args, "no_progress", False))
    try:
        if bar is not None:
            bar.start()
        written = write(
            folder, progress=(lambda n: bar.update(bar.task_ids[0], completed=n)) if bar else None
        )
        if bar is not None:
            bar.update(bar.task_ids[0], completed=written.requests)
    except OSError as exc:
        return _fail("opendata", f"cannot write to {folder}: {exc.strerror or exc}")
    finally:
        if bar is not None:
            bar.stop()
    counts = ", ".join(f"{n} {table}" for table, n in written.counts.items())
    print(f"open data written to {folder}: {counts}; schema, datapackage.json and README.md beside them")
    return 0


def run_consultation(args) -> int:
    _setup()
    from massline.consult.export_formats import ExportError, export
    from massline.consult.models import Consultation

    c = Consultation.objects.filter(pk=args.id).first()
    if c is None:
        return _fail("consultation", f"there is no consultation {args.id}")
    try:
        data = export(c, args.format)
        with atomic_path(Path(args.out)) as tmp:
            tmp.write_bytes(data)
    except (ExportError, ExportFailure) as exc:
        return _fail("consultation", exc)
    except OSError as exc:
        return _fail("consultation", f"cannot write {args.out}: {exc.strerror or exc}")
    print(f"consultation {c.pk} written to {args.out} ({args.format})")
    return 0


def run_city(args) -> int:
    from massline.commands.city import run_dump

    return run_dump(args)
