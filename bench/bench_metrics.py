"""三率 for one month: reading only that month's records against reading the whole history (the old way).

    .venv/bin/python bench/bench_metrics.py                    # demo city, 6,000 requests over a year
    .venv/bin/python bench/bench_metrics.py --requests 20000

A fresh SQLite database (in a temporary folder) is given the demo city and N demo requests spread over
``--days`` through the real actions (massline.demo.loader). Then, for the latest full month, the ranking
is computed both ways, interleaved (bounded, whole, bounded, whole, …), and each way's median wall and
CPU time is printed beside the other, with the machine's load. The two must give the same scores.
It also prints how many units the minimum volume (MASSLINE_RANKING_MIN_DISPATCHED) leaves unranked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.requests < 1 or args.days < 31 or args.rounds < 1:
        parser.error("--requests must be ≥ 1, --days ≥ 31 and --rounds ≥ 1")

    tmp = tempfile.mkdtemp(prefix="massline-bench-metrics-")
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: str) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "massline.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    from massline.core.metrics import three_rates
    from massline.demo import city, loader
    from massline.followup.metrics import (
        dispatch_records,
        followup_records,
        months_with_data,
        ranking_min_dispatched,
        unit_ranking,
    )

    call_command("migrate", verbosity=0)
    city.build_city()
    city.build_staff()
    city.install_holidays([2025, 2026])
    end = datetime(2026, 3, 31, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    _, load_s, _ = timed(lambda: loader.run(requests=args.requests, days=args.days, end=end, seed=1))
    month = sorted(months_with_data())[-1]
    print(f"loaded {args.requests} demo requests over {args.days} days in {load_s:.0f} s; month {month}")

    def bounded():
        return unit_ranking(month, min_dispatched=0)

    def whole():  # what unit_ranking did before: every record ever, filtered to the month in Python
        return three_rates(dispatch_records(), followup_records(), month)

    figures: dict[str, list[tuple[float, float]]] = {"bounded": [], "whole": []}
    results = {}
    for _ in range(args.rounds):
        for name, fn in (("bounded", bounded), ("whole", whole)):
            value, wall, cpu = timed(fn)
            figures[name].append((wall, cpu))
            results[name] = [
                (s.unit, s.dispatched, s.signed_in_time, s.followed_up, s.composite) for s in value
            ]
    assert results["bounded"] == results["whole"], (
        "the month-bounded ranking differs from the whole-history one"
    )
    for name, runs in figures.items():
        wall = statistics.median(w for w, _c in runs)
        cpu = statistics.median(c for _w, c in runs)
        print(f"{name:8} median wall {1000 * wall:8.1f} ms   cpu {1000 * cpu:8.1f} ms   ({args.rounds} runs)")
    ratio = statistics.median(w for w, _c in figures["whole"]) / statistics.median(
        w for w, _c in figures["bounded"]
    )
    print(f"whole history / month only: {ratio:.1f}× (same {len(results['bounded'])} unit scores)")
    minimum = ranking_min_dispatched()
    scores = unit_ranking(month, min_dispatched=minimum)
    apart = sum(s.too_few for s in scores)
    print(f"minimum volume {minimum}: {len(scores) - apart} units ranked, {apart} listed apart in {month}")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
