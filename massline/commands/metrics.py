"""`massline metrics --month YYYY-MM`: the unit ranking by the three rates (三率)."""

from __future__ import annotations

import re
import sys


def register(sub) -> None:
    from massline.core.metrics import DEFAULT_BASIC_WEIGHT

    p = sub.add_parser(
        "metrics", help="print the unit ranking (response, resolution, satisfaction) for a month"
    )
    p.add_argument("--month", help="YYYY-MM (default: the latest month with dispatches)")
    p.add_argument(
        "--weights", default="30,35,35", help="response,resolution,satisfaction weights (default 30,35,35)"
    )
    p.add_argument(
        "--basic-weight",
        type=float,
        default=DEFAULT_BASIC_WEIGHT,
        help=f"how much 'basically satisfied' counts (0..1, default {DEFAULT_BASIC_WEIGHT:g})",
    )
    p.add_argument(
        "--min-dispatched",
        type=int,
        default=None,
        help="fewest hand-overs a unit needs in the month to be ranked; units with fewer are listed apart "
        "(default: MASSLINE_RANKING_MIN_DISPATCHED, 10)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.metrics import Weights, format_table

    if args.month and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
        print(f"massline metrics: --month must look like 2026-03, not {args.month!r}", file=sys.stderr)
        return 2
    if args.min_dispatched is not None and args.min_dispatched < 0:
        print(
            f"massline metrics: --min-dispatched must be 0 or more, not {args.min_dispatched}",
            file=sys.stderr,
        )
        return 2
    try:
        w = [float(x) for x in args.weights.split(",")]
        if len(w) != 3:
            raise ValueError("give three numbers: response,resolution,satisfaction")
        total = sum(w)
        weights = Weights(w[0] / total, w[1] / total, w[2] / total, args.basic_weight)
    except (ValueError, ZeroDivisionError) as exc:
        print(f"massline metrics: bad --weights {args.weights!r}: {exc}", file=sys.stderr)
        return 2
    from massline.commands._django import setup_django

    setup_django()
    from massline.followup.metrics import months_with_data, ranking_min_dispatched, unit_ranking
    from massline.workflow.models import Unit

    months = months_with_data()
    month = args.month or (months[0] if months else None)
    if month is None:
        print("massline metrics: no request has been dispatched yet: nothing to rank", file=sys.stderr)
        return 1
    minimum = ranking_min_dispatched() if args.min_dispatched is None else args.min_dispatched
    scores = unit_ranking(month, weights, minimum)
    if not scores:
        print(
            f"massline metrics: no activity in {month}; months with data: {', '.join(months) or 'none'}",
            file=sys.stderr,
        )
        return 1
    names = dict(Unit.objects.values_list("code", "name"))
    print(
        f"Unit ranking for {month}  (weights {args.weights}, basically satisfied counts {args.basic_weight:g}, "
        f"at least {minimum} hand-overs to be ranked)"
    )
    print(format_table(scores, names, minimum))
    if any(s.partial for s in scores):
        print("  * no follow-ups this month: score from the response rate alone")
    return 0
