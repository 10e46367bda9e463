"""三率 read from the rollup tables against computed from the audit trail in Python (the way before).

    .venv/bin/python bench/bench_metrics.py                              # demo city, 3,000 requests, SQLite
    .venv/bin/python bench/bench_metrics.py --db postgres --requests 100000
    .venv/bin/python bench/bench_metrics.py --db postgres --requests 1000000 --rounds 1

SQLite: a fresh database (in a temporary folder) is given the demo city and N demo requests through the
real actions (massline.demo.loader), so the event hook keeps the rollups as it does in production.
PostgreSQL: the portal benchmark's bulk-loaded database (bench/portal_load.py, its own
``massline_bench_rollups_<N/1000>k``, reused when it holds N requests), whose rollups are rebuilt once
with ``massline.rollups.build.rebuild`` (timed: that is the full recompute).

Then, interleaved (events, rollups, events, rollups, …), each figure is computed both ways and each
way's median wall and CPU time is printed beside the other, with the machine's load:

- ``all time``: the all-time ranking (the public statistics page's default);
- ``month``: the latest full month's ranking (the events way already reads only that month's records);
- ``trends``: the dashboard's city-wide 三率 for 12 months and the latest month's ranking;
- ``dashboard``: the dashboard's counts and charts (per month, category, unit, deadlines met, totals);
- ``statistics``: the public statistics page's all-time figures (latest month, 12 months' volumes,
  categories, the headline with the city's satisfaction rate).

The two ways must give identical figures, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--days", type=int, default=365, help="SQLite: the days the demo spans")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--write-cost",
        action="store_true",
        help="SQLite: instead, time intake (submit + dispatch) with the rollup subscribers on and off, interleaved",
    )
    parser.add_argument(
        "--db-name",
        help="PostgreSQL: an existing bench database to use (e.g. bench_portal's massline_bench_1000k)",
    )
    parser.add_argument(
        "--figures",
        default="all time,month,trends,dashboard,statistics",
        help="which figures to measure, comma-separated (default: all five)",
    )
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="PostgreSQL: do not time a full rebuild of the rollups"
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.days < 31 or args.rounds < 1:
        parser.error("--requests must be ≥ 1, --days ≥ 31 and --rounds ≥ 1")
    if args.db == "postgres":
        return run_postgres(args)
    tmp = tempfile.mkdtemp(prefix="massline-bench-metrics-")
    try:
        return run_sqlite(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_sqlite(args, tmp: str) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "massline.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    from massline.demo import city, loader

    call_command("migrate", verbosity=0)
    city.build_city()
    city.build_staff()
    city.install_holidays([2025, 2026])
    if args.write_cost:
        return write_cost(args)
    end = datetime(2026, 3, 31, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    _, load_s, _ = timed(lambda: loader.run(requests=args.requests, days=args.days, end=end, seed=1))
    print(f"SQLite: loaded {args.requests:,} demo requests through the actions in {load_s:.0f} s")
    return measure(args, rebuild_s=None)


def run_postgres(args) -> int:
    import portal_load

    name = args.db_name or f"massline_bench_rollups_{args.requests // 1000}k"
    portal_load.configure(name)
    if args.db_name:  # someone else's bench database, as it is: migrated, never reloaded
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
    else:
        portal_load.prepare(args.requests, name, verbose=True)
    from massline.rollups.build import rebuild

    print(f"PostgreSQL {name}: {args.requests:,} requests")
    if args.skip_rebuild:
        return measure(args, rebuild_s=None)
    _, rebuild_s, rebuild_cpu = timed(rebuild)
    return measure(args, rebuild_s=(rebuild_s, rebuild_cpu))


def write_cost(args) -> int:
    """What keeping the rollups adds to a change: requests submitted with a category (so dispatched at
    once: two audit events, each counted), in batches with the subscribers on and off, interleaved."""
    from massline.intake.actions import submit_request
    from massline.rollups import apply, tally
    from massline.workflow import events
    from massline.workflow.models import Category

    category = (
        Category.objects.filter(level=3, default_unit__isnull=False).first()
        or Category.objects.filter(default_unit__isnull=False).first()
    )
    at = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    batch = max(1, args.requests // (2 * args.rounds))
    runs: dict[str, list[float]] = {"without": [], "with": []}
    cpu: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.rounds):
        for way in ("without", "with"):
            if way == "with":
                apply.connect()
            else:
                events.unsubscribe(apply.count)
                events.unsubscribe(tally.on_event)

            def work() -> None:
                for i in range(batch):
                    submit_request(
                        text=f"路燈壞了 {i}", title="路燈", category=category, at=at, auto_route=True
                    )

            _, wall, c = timed(work)
            runs[way].append(wall / batch)
            cpu[way].append(c / batch)
    apply.connect()
    from massline.workflow.models import AuditEvent, Request

    n = Request.objects.count()
    print(f"{n} requests, {AuditEvent.objects.count() / n:.1f} audit events each (submit, dispatch)")
    for way in runs:
        print(
            f"intake {way:7} the rollups: {1000 * statistics.median(runs[way]):6.2f} ms wall, "
            f"{1000 * statistics.median(cpu[way]):6.2f} ms CPU per request ({args.rounds} batches of {batch})"
        )
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def old_trends(months):
    """The dashboard's trends as computed before the rollups: every record, pooled per month."""
    from massline.core import metrics as core_metrics
    from massline.followup.metrics import dispatch_records, followup_records, ranking_min_dispatched

    dispatches, followups = dispatch_records(), followup_records()
    pooled_d = [replace(r, unit="*") for r in dispatches]
    pooled_f = [replace(r, unit="*") for r in followups]
    city = {m: core_metrics.three_rates(pooled_d, pooled_f, m) for m in months}
    latest = core_metrics.three_rates(
        dispatches, followups, months[-1], min_dispatched=ranking_min_dispatched()
    )
    return city, latest


def new_trends(months):
    from massline.followup.metrics import ranking_min_dispatched
    from massline.rollups import read

    months = sorted(read.months())[-12:]
    city = {m: [s] for m, s in read.city_by_month(months).items()}
    return city, read.unit_scores(months[-1], min_dispatched=ranking_min_dispatched())


def old_dashboard_counts():
    """The dashboard's counts and charts as computed before the tally: queries over the requests."""
    from massline.workbench.views import dashboard as d
    from massline.workflow.models import Request

    qs = Request.objects.exclude(kind="report")
    return (
        d.volumes_by_month(qs),
        sorted(d.volumes_by_category(qs, 100)),
        sorted(d.volumes_by_unit(qs)),
        d.deadlines_met(qs),
        qs.count(),
        qs.exclude(state__in=["closed", "merged", "rejected"]).count(),
    )


def new_dashboard_counts():
    from massline.rollups import tally
    from massline.workbench.views import dashboard as d

    t = tally.tallies()
    return (
        d.tally_volumes_by_month(tally.by_month(t)),
        sorted(d.tally_volumes_by_category(tally.by_category(t), 100)),
        sorted(d.tally_volumes_by_unit(tally.by_unit())),
        tally.deadlines_met(),
        tally.total(t),
        tally.open_total(t),
    )


def old_statistics():
    """The statistics page's all-time figures as computed before: queries over the public requests."""
    from django.db.models import Count, Max, Min, Q
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from massline.core.metrics import satisfaction_rate
    from massline.followup.models import FollowUp
    from massline.portal import stats
    from massline.portal.public import public_requests

    public = public_requests()
    span = public.aggregate(first=Min("received_at"), last=Max("received_at"))
    last = f"{timezone.localtime(span['last']):%Y-%m}"
    months = public.annotate(m=TruncMonth("received_at")).values("m").annotate(n=Count("id")).order_by("m")
    volumes = [(f"{timezone.localtime(r['m']):%Y-%m}", r["n"]) for r in months][-12:]
    roots = stats._roots()
    by_root: dict[str, int] = {}
    for cat_id, n in (
        public.filter(category__isnull=False).values_list("category_id").annotate(n=Count("id")).order_by()
    ):
        by_root[roots[cat_id]] = by_root.get(roots[cat_id], 0) + n
    agg = public.aggregate(
        total=Count("id"),
        replied=Count("id", filter=Q(state__in=["replied", "closed"])),
        closed=Count("id", filter=Q(state="closed")),
    )
    levels = dict(
        FollowUp.objects.exclude(request__kind="report")
        .values_list("satisfaction")
        .annotate(n=Count("id"))
        .order_by()
    )
    return (
        last,
        volumes,
        sorted(by_root.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        (agg["total"], agg["replied"], agg["closed"], satisfaction_rate(levels)),
    )


def new_statistics():
    from massline.portal import stats

    h = stats.FIGURES["headline"](None)
    return (
        stats.latest_month(),
        [(m, n) for m, n in stats.FIGURES["monthly"](12) if n],
        stats.FIGURES["categories"](None),
        (h.total, h.replied, h.closed, h.satisfaction_rate),
    )


def figures(value):
    def one(scores):
        return [
            (s.unit, s.rank, s.dispatched, s.signed_in_time, s.followed_up, s.solved, s.composite, s.too_few)
            for s in scores
        ]

    if isinstance(value, tuple) and len(value) != 2:  # counts: compared as they are
        return value
    if isinstance(value, tuple):  # trends
        city, latest = value
        return {m: one(v) for m, v in city.items() if v}, one(latest)
    return one(value)


def measure(args, rebuild_s) -> int:
    from massline.followup.metrics import months_with_data, unit_ranking, unit_ranking_from_events

    months = sorted(months_with_data())[-12:]
    month = months[-2] if len(months) > 1 else months[-1]  # the latest full month
    cases = {
        "all time": (lambda: unit_ranking_from_events(None), lambda: unit_ranking(None)),
        "month": (lambda: unit_ranking_from_events(month), lambda: unit_ranking(month)),
        "trends": (lambda: old_trends(months), lambda: new_trends(months)),
        "dashboard": (old_dashboard_counts, new_dashboard_counts),
        "statistics": (old_statistics, new_statistics),
    }
    wanted = [f.strip() for f in args.figures.split(",")]
    unknown = set(wanted) - set(cases)
    if unknown:
        print(f"unknown figures {sorted(unknown)}; choose from {', '.join(cases)}", file=sys.stderr)
        return 2
    cases = {k: v for k, v in cases.items() if k in wanted}
    print(f"month {month}; {args.rounds} rounds, events and rollups interleaved")
    print(f"{'figure':10} {'events wall':>12} {'cpu':>9} {'rollups wall':>13} {'cpu':>9} {'speed-up':>9}")
    for label, (events_way, rollups_way) in cases.items():
        runs: dict[str, list[tuple[float, float]]] = {"events": [], "rollups": []}
        results = {}
        for _ in range(args.rounds):
            for way, fn in (("events", events_way), ("rollups", rollups_way)):
                value, wall, cpu = timed(fn)
                runs[way].append((wall, cpu))
                results[way] = figures(value)
        if results["events"] != results["rollups"]:
            print(f"{label}: the rollups differ from the computation from the events", file=sys.stderr)
            return 1
        med = {
            w: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v))
            for w, v in runs.items()
        }
        print(
            f"{label:10} {1000 * med['events'][0]:10.1f}ms {1000 * med['events'][1]:7.1f}ms "
            f"{1000 * med['rollups'][0]:11.1f}ms {1000 * med['rollups'][1]:7.1f}ms "
            f"{med['events'][0] / med['rollups'][0]:8.0f}×"
        )
    if rebuild_s:
        print(f"full rebuild of the rollups: {rebuild_s[0]:.1f} s wall, {rebuild_s[1]:.1f} s CPU")
    from massline.rollups.models import UnitMonthRollup

    print(f"rollup rows: {UnitMonthRollup.objects.count():,}; figures identical both ways")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
