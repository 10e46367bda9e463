"""`massline import FILE`: bulk-load a hotline export (CSV/XLSX; UTF-8, GBK/GB18030 or Big5)."""

from __future__ import annotations

import sys

from massline.core.export import SafeWriter


def register(sub) -> None:
    p = sub.add_parser("import", help="import requests from a CSV/XLSX export, with a per-row error report")
    p.add_argument("file")
    p.add_argument("--channel", default="hotline", choices=["hotline", "api", "web", "visit"])
    p.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
    p.add_argument("--no-route", action="store_true", help="leave every request in the dispatcher queue")
    p.add_argument("--errors", help="write the per-row error report to this CSV file")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
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

        warm()  # the public statistics include the new rows without a visitor waiting for them
    return 1 if result.errors and not result.imported else 0
