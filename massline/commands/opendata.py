"""`massline opendata DIR`: write the open-data dump (every public request, redacted) as CSV and JSON."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "opendata",
        help="write the open-data dump of public requests (redacted CSV and JSON)",
        description="Write requests-<date>.csv and .json: public requests only, personal data removed.",
    )
    p.add_argument("folder", nargs="?", help="where to write (default: MASSLINE_OPENDATA_DIR, var/opendata)")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.conf import settings

    from massline.opendata.dump import write

    folder = Path(args.folder) if args.folder else Path(settings.MASSLINE_OPENDATA_DIR)
    try:
        csv_path, json_path, count = write(
            folder, progress=lambda n: print(f"  {n} requests…", file=sys.stderr)
        )
    except OSError as exc:
        print(f"massline opendata: cannot write to {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{count} public requests written to {csv_path} and {json_path}")
    return 0
