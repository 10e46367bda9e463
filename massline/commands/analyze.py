"""``massline analyze FILE``: an offline single-file HTML report on an export file.

massline analyze ../shared/data/govmsg/attachment4_replies_2816.csv -o report.html
massline analyze export.xlsx --model model.bin --unit-column 承辦單位
"""

from __future__ import annotations

import sys
from pathlib import Path

ROLES = ("text", "title", "time", "category", "unit", "reply", "reply_time", "id")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="offline HTML report on an export (volumes, categories, units, hot issues, duplicates, replies)",
        description=(
            "Write a single offline HTML file with charts for a CSV/XLSX export: volumes over time, categories "
            "(the file's own, or predicted), units, hot issues, near-duplicates and reply quality, whichever "
            "the file supports. Columns are recognised by name (Chinese or English); override with the "
            "--*-column options. Progress goes to stderr."
        ),
    )
    p.add_argument("file", help="the export file (CSV in UTF-8/GB18030/Big5/UTF-16, or XLSX)")
    p.add_argument(
        "-o", "--output", metavar="REPORT.html", help="where to write the report (default: FILE.html)"
    )
    p.add_argument(
        "--model", metavar="MODEL", help="classifier from `massline train`, to predict missing categories"
    )
    p.add_argument(
        "--no-predict",
        action="store_true",
        help="do not predict categories when the file has none (by default a classifier is trained on the fly "
        "from ../shared/data/govmsg/messages_labeled.csv when it exists)",
    )
    p.add_argument(
        "--training-file", metavar="CSV", help="labelled history (message, category) to train from"
    )
    for role in ROLES:
        p.add_argument(f"--{role.replace('_', '-')}-column", dest=f"{role}_column", metavar="NAME",
                       help=f"the {role.replace('_', ' ')} column, if not recognised by name")  # fmt: skip
    p.add_argument("--limit", type=int, help="only the first N rows (for a quick look at a huge export)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.report import ReportInputError, build_report

    source = Path(args.file)
    out = Path(args.output) if args.output else source.with_suffix(".html")
    if out.resolve() == source.resolve():
        print("error: the output would overwrite the input; pass -o REPORT.html", file=sys.stderr)
        return 2
    columns = {role: getattr(args, f"{role}_column") for role in ROLES}
    training = args.training_file
    if training is None and not args.model and not args.no_predict:
        from massline.shared_data import shared_data_dir

        default = shared_data_dir() / "govmsg" / "messages_labeled.csv"
        training = str(default) if default.exists() else None
    try:
        html = build_report(
            source,
            model=args.model,
            train_categories=not args.no_predict,
            training_file=training,
            columns=columns,
            limit=args.limit,
            progress=not args.quiet,
        )
    except ReportInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:  # e.g. --model pointing nowhere
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.write_text(html, encoding="utf-8")
    print(f"wrote {out} ({len(html) / 1024:,.0f} KB)")
    return 0
