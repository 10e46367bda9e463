"""`massline import FILE`: load a hotline export.

By default a CSV goes through the bulk importer (``intake.fastimport``): batches, a progress bar with
rate and ETA, a checkpoint per batch (the same command resumes after a crash), column presets or a
mapping file, and a per-row error report. ``--route`` (and any spreadsheet) takes the row-by-row road
through intake instead, routing each request as it arrives: for small, live exports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from massline.core.export import SafeWriter

PRESET_CHOICES = ["auto", "generic", "govmsg", "nyc311", "baltimore311"]


def register(sub) -> None:
    p = sub.add_parser("import", help="import requests from a CSV/XLSX export, with a per-row error report")
    p.add_argument("file")
    p.add_argument("--channel", default="import", choices=["import", "hotline", "api", "web", "visit"])
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--preset", default="auto", choices=PRESET_CHOICES, help="column layout (default: detect)")
    p.add_argument("--mapping", help="a .toml or .json file mapping columns to fields (see docs/import.md)")
    p.add_argument("--encoding", help="utf-8, utf-8-bom, gb18030 or big5 (default: detect)")
    p.add_argument("--classify", action="store_true", help="suggest a category for each row (trained model)")
    p.add_argument("--dedupe", action="store_true", help="record near-duplicates of earlier rows")
    p.add_argument("--max-errors", type=int, default=1000, help="stop after this many refused rows")
    p.add_argument("--errors", help="write the per-row error report (line, column, error) to this CSV file")
    p.add_argument("--batch-size", type=int, default=2000)
    p.add_argument("--workers", type=int, default=None, help="processes preparing rows (default: CPUs)")
    p.add_argument(
        "--defer-search-index",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="PostgreSQL: build the public-search indexes once at the end (default: when the file holds "
        "20,000 rows or more and at least as many as the requests table; see docs/import.md)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--route", action="store_true", help="row by row through intake, routing each request")
    p.add_argument("--no-route", action="store_true", help="with --route: leave every request unrouted")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if args.route or Path(args.file).suffix.lower() in (".xlsx", ".xls", ".ods"):
        return _row_by_row(args)
    return _bulk(args)


def _options(args):
    from massline.intake.fastimport import Options
    from massline.intake.presets import load_mapping, preset

    opts = Options(
        channel=args.channel,
        encoding=args.encoding,
        dry_run=args.dry_run,
        classify=args.classify,
        dedupe=args.dedupe,
        batch_size=max(1, args.batch_size),
        max_errors=max(0, args.max_errors),
        defer_search_index=args.defer_search_index,
    )
    if args.workers is not None:
        opts.workers = max(0, args.workers)
    if args.mapping:
        opts.mapping = load_mapping(args.mapping)
    elif args.preset != "auto":
        opts.mapping = preset(args.preset)
    return opts


def _progress_bar(size: int):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]import"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>10,} rows  {task.fields[rate]:>7,.0f} rows/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    task = bar.add_task("import", total=size, rows=0, rate=0.0)
    return bar, task


def _bulk(args) -> int:
    import time

    from massline.intake.fastimport import import_csv
    from massline.intake.presets import MappingError
    from massline.intake.sources import SourceError

    try:
        opts = _options(args)
    except MappingError as exc:
        print(f"massline import: {exc}", file=sys.stderr)
        return 2
    size = Path(args.file).stat().st_size if Path(args.file).is_file() else 0
    bar, task = (None, None) if args.no_progress else _progress_bar(size)
    started = time.monotonic()

    def progress(position: int, read: int, imported: int) -> None:
        if bar is not None:
            rate = read / max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=position, rows=read, rate=rate)

    try:
        if bar is not None:
            bar.start()
        outcome = import_csv(args.file, opts, progress)
    except (SourceError, MappingError) as exc:
        print(f"massline import: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.stop()
    elapsed = time.monotonic() - started
    if outcome.already_done:
        print(f"{outcome.filename}: already imported by import run {outcome.run_id}; nothing to do")
        return 0
    verb = "would import" if args.dry_run else "imported"
    resumed = f", resumed after line {outcome.resumed_from}" if outcome.resumed_from else ""
    states = ", ".join(f"{n} {s}" for s, n in sorted(outcome.states.items())) or "none"
    print(
        f"{outcome.filename} ({outcome.encoding}, {outcome.mapping} columns): {outcome.read} rows read{resumed}, "
        f"{verb} {outcome.imported} ({states}), skipped {outcome.skipped} already imported, "
        f"{len(outcome.errors)} refused, {outcome.duplicates} near-duplicates; "
        f"{elapsed:.1f} s, {outcome.read / max(elapsed, 1e-6):,.0f} rows/s"
        + (f"; import run {outcome.run_id}" if outcome.run_id else "")
    )
    for e in outcome.errors[:20]:
        print(f"  line {e.line}, column {e.column}: ERROR {e.message}")
    if len(outcome.errors) > 20:
        print(
            f"  … {len(outcome.errors) - 20} more" + ("" if args.errors else " (use --errors FILE for all)")
        )
    for warning in outcome.warnings[:10]:
        print(f"  line {warning.line}, column {warning.column}: warning {warning.message}")
    if args.errors:
        with open(args.errors, "w", newline="", encoding="utf-8-sig") as fh:
            w = SafeWriter(fh)
            w.writerow(["line", "column", "error"])
            w.writerows([(e.line, e.column, e.message) for e in outcome.errors])
            w.writerows([(e.line, e.column, f"warning: {e.message}") for e in outcome.warnings])
        print(f"  report written to {args.errors}")
    if outcome.indexes_built:
        print(f"  rebuilt {', '.join(outcome.indexes_built)} in {outcome.seconds.get('index', 0):.0f} s")
    if outcome.stopped:
        print(f"massline import: {outcome.stopped}", file=sys.stderr)
        return 1
    if outcome.imported and not args.dry_run:
        from massline.portal.stats import warm

        warm()
    return 1 if outcome.errors and not outcome.imported else 0


def _row_by_row(args) -> int:
    from massline.intake.importer import ImportFileError, import_file

    def progress(n: int) -> None:
        if n % 200 == 0:
            sys.stderr.write(f"\r  rows read: {n}")
            sys.stderr.flush()

    try:
        result = import_file(
            args.file,
            channel=args.channel,
            dry_run=args.dry_run,
            auto_route=not args.no_route,
            progress=progress,
        )
    except ImportFileError as exc:
        print(f"\nmassline import: {exc}", file=sys.stderr)
        return 2
    sys.stderr.write("\n")
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{result.filename} ({result.encoding}): {result.total} rows, {verb} {result.imported}, "
        f"skipped {result.skipped} already imported, {len(result.errors)} errors, {len(result.warnings)} warnings"
    )
    for line, msg in result.errors[:20]:
        print(f"  line {line}: ERROR {msg}")
    for line, msg in result.warnings[:10]:
        print(f"  line {line}: warning {msg}")
    if len(result.errors) > 20:
        print(
            f"  … {len(result.errors) - 20} more errors"
            + ("" if args.errors else " (use --errors FILE for all)")
        )
    if args.errors:
        with open(args.errors, "w", newline="", encoding="utf-8-sig") as fh:
            w = SafeWriter(fh)
            w.writerow(["line", "level", "message"])
            w.writerows(
                [(ln, "error", m) for ln, m in result.errors]
                + [(ln, "warning", m) for ln, m in result.warnings]
            )
        print(f"  report written to {args.errors}")
    if result.imported and not args.dry_run:
        from massline.portal.stats import warm

        warm()
    return 1 if result.errors and not result.imported else 0
