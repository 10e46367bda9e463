"""Public search latency on a bench database: the LIKE search over ``public_text`` (before) against the
full-text index (after), interleaved A, B, A, B on the same queries.

It reads an existing database built by ``bench/bench_portal.py`` (``massline_bench_<N>k``) and never
writes to it. For each query it times what the list page runs: the public filter, the search, the
order (newest first; a ranked search: its better tier first) and one page of 21 rows, with the page cache out
of the way (the query is what is measured). It prints the median and p95 wall time, the CPU time of
this process beside it, the machine's load, and the plan of the query that matches nothing.

    .venv/bin/python bench/bench_search.py --db massline_bench_100k --repeat 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "match (two words)": "噪音扰民",
    "match (Traditional)": "路燈",
    "no match": "量子纠缠",
    "short (1 character)": "灯",
    "short (2 characters, rare)": "鲸鱼",
}
PAGE = 21


def setup(db: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.base")
    os.environ.setdefault("MASSLINE_SECRET_KEY", "bench-search-not-secret")
    import django

    django.setup()


def before(q: str):
    from massline.portal.public import public_requests, search

    return search(public_requests(), q).order_by("-received_at", "-id")


def after(q: str):
    """The list page's first page: the tiers of a ranked search one after the other (``KeysetPage``)."""
    from massline.portal.fulltext import public_search
    from massline.portal.public import public_requests

    found = public_search(public_requests(), q)
    return [tier.order_by("-received_at", "-id") for tier in (found.tiers or (found.qs,))]


def _page(querysets) -> list:
    rows: list = []
    for qs in querysets if isinstance(querysets, list) else [querysets]:
        rows += list(qs.select_related("category", "unit")[: PAGE - len(rows)])
        if len(rows) >= PAGE:
            break
    return rows


def once(make, q: str) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = _page(make(q))
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, len(rows)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="an existing bench database, e.g. massline_bench_100k")
    ap.add_argument("--repeat", type=int, default=15, help="timed runs of each query and mode (default 15)")
    ap.add_argument("--timeout", type=float, default=20.0, help="statement timeout in seconds (default 20)")
    args = ap.parse_args(argv)
    setup(args.db)
    from django.db import connection

    from massline.workflow.models import Request

    with connection.cursor() as cur:
        cur.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")
        cur.execute("SELECT count(*), count(*) FILTER (WHERE search_words = '') FROM workflow_request")
        total, unindexed = cur.fetchone()
    print(f"database {args.db}: {total:,} requests, {unindexed:,} without search words")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.repeat} runs per cell\n")
    print("| query | rows | before p50 / p95 ms | after p50 / p95 ms | before / after CPU ms (p50) |")
    print("|---|---|---|---|---|")
    for label, q in QUERIES.items():
        timings: dict[str, list[tuple[float, float, int]]] = {"before": [], "after": []}
        for make in (before, after):  # warm both once
            once(make, q)
        for _ in range(args.repeat):
            for mode, make in (("before", before), ("after", after)):  # interleaved A, B, A, B
                timings[mode].append(once(make, q))
        b, a = timings["before"], timings["after"]
        rows = f"{b[0][2]} / {a[0][2]}"
        print(
            f"| {label} `{q}` | {rows} | {statistics.median(t[0] for t in b):.1f} / {p95([t[0] for t in b]):.1f} "
            f"| {statistics.median(t[0] for t in a):.1f} / {p95([t[0] for t in a]):.1f} "
            f"| {statistics.median(t[1] for t in b):.1f} / {statistics.median(t[1] for t in a):.1f} |"
        )
    sql, params = after(QUERIES["no match"])[0][:PAGE].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    print(f"\nplan of the search that matches nothing (after):\n{plan}")
    assert Request.objects.exists()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
