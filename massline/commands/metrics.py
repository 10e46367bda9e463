"""`massline metrics --month YYYY-MM`: the unit ranking by the three rates (三率)."""

from __future__ import annotations

import re
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "metrics", help="print the unit ranking (response, resolution, satisfaction) for a month"
    )
    p.add_argument("--month", help="YYYY-MM (default: the latest month with dispatches)")
    p.add_argument(
        "--weights", default="30,35,35", help="response,resolution,satisfaction weights (default 30,35,35)"
    )
    p.add_argument(
        "--basic-weight", type=float, default=0.8, help="how much 'basically satisfied' counts (0..1)"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.metrics import Weights, format_table

    if args.month and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
        print(f"massline metrics: --month must look like 2026-03, not {args.month!r}", file=sys.stderr)
        return 2
    try:
        w = [float(x) for x in args.weights.split(",")]
        total = sum(w)
        weights = Weights(w[0] / total, w[1] / total, w[2] / total, args.basic_weight)
    except (ValueError, IndexError, ZeroDivisionError) as exc:
        print(f"massline metrics: bad --weights {args.weights!r}: {exc}", file=sys.stderr)
        return 2
    from massline.commands._django import setup_django

    setup_django()
    from massline.followup.metrics import months_with_data, unit_ranking
    from massline.workflow.models import Unit

    months = months_with_data()
    month = args.month or (months[0] if months else None)
    if month is None:
        print("massline metrics: no request has been dispatched yet: nothing to rank", file=sys.stderr)
        return 1
    scores = unit_ranking(month, weights)
    if not scores:
        print(
            f"massline metrics: no activity in {month}; months with data: {', '.join(months) or 'none'}",
            file=sys.stderr,
        )
        return 1
    names = dict(Unit.objects.values_list("code", "name"))
    print(
        f"Unit ranking for {month}  (weights {args.weights}, basically satisfied counts {args.basic_weight})"
    )
    print(format_table(scores, names))
    if any(s.partial for s in scores):
        print("  * no follow-ups this month: score from the response rate alone")
    return 0
