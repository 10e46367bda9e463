"""`massline rollups rebuild|check`: the 三率 rollup tables, rebuilt from the audit trail or checked against it."""

from __future__ import annotations

import sys
import time

SHOWN = 30  # differences listed by `check`; the rest are counted


def register(sub) -> None:
    p = sub.add_parser(
        "rollups",
        help="rebuild the 三率 rollup tables from the audit trail, or check them against a fresh computation",
    )
    p.add_argument(
        "mode",
        choices=["rebuild", "check"],
        help="rebuild: replace the rollups (one transaction; changes to requests wait meanwhile); "
        "check: compare them with a fresh computation and list the differences (exit 1 if any)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _bar(quiet: bool):
    if quiet:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("[bold]audit events"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    task = bar.add_task("events", total=None)
    return bar, task


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from massline.rollups import build

    shown = _bar(args.no_progress)

    def progress(done: int, total: int) -> None:
        if shown:
            shown[0].update(shown[1], completed=done, total=total)

    started = time.perf_counter()
    if shown:
        shown[0].start()
    try:
        if args.mode == "rebuild":
            rows = build.rebuild(progress)
        else:
            diffs = build.check(progress)
    finally:
        if shown:
            shown[0].stop()
    seconds = time.perf_counter() - started
    if args.mode == "rebuild":
        print(f"massline rollups: rebuilt {rows} unit-months in {seconds:.1f} s")
        return 0
    if not diffs:
        print(f"massline rollups: the rollups agree with the audit trail ({seconds:.1f} s)")
        return 0
    for d in diffs[:SHOWN]:
        print(d)
    more = f" ({len(diffs) - SHOWN} more not listed)" if len(diffs) > SHOWN else ""
    print(
        f"massline rollups: {len(diffs)} differences from the audit trail{more}; "
        "`massline rollups rebuild` replaces them",
        file=sys.stderr,
    )
    return 1
