"""``massline routing``: the routing model that learns from the dispatchers (docs/routing.md).

massline routing backfill        # training labels from the audit trail (idempotent)
massline routing retrain         # train a candidate; promote it only if it beats the model routing now
massline routing versions        # the registry, with the held-out figures of each level
massline routing promote 7       # route with v7 (a roll-back when it is older than the active one)
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("routing", help="labels, retraining and the registry of the routing model")
    ops = p.add_subparsers(dest="op", metavar="OP", required=True)
    ops.add_parser("backfill", help="write training labels for past decisions from the audit trail")
    ops.add_parser("retrain", help="train and evaluate a candidate; promote it if better")
    ops.add_parser("versions", help="list the routing models and their figures per level")
    promote = ops.add_parser("promote", help="route with this version (older than the active: a roll-back)")
    promote.add_argument("version", type=int)
    p.set_defaults(func=run)


def _levels(v) -> str:
    parts = []
    for level in (1, 2, 3):
        f = v.level(level)
        if f.get("n"):
            routed = (
                "never alone"
                if f["threshold"] > 1
                else f"routes {f['coverage']:.0%} at ≥{f['threshold']:.2f}"
            )
            parts.append(f"L{level} F1 {f['macro_f1']:.3f} ({routed})")
    return "; ".join(parts) or "no held-out figures"


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from massline.learning import actions
    from massline.learning.labels import backfill
    from massline.learning.models import ModelVersion
    from massline.learning.retrain import retrain

    if args.op == "backfill":
        print(f"{backfill()} training label(s) written")
    elif args.op == "retrain":
        version = retrain(by="massline routing retrain")
        state = "promoted" if version.active else "kept in the registry, not routing"
        print(f"v{version.version} {state}: {version.decision}")
        print(_levels(version))
    elif args.op == "versions":
        for v in ModelVersion.objects.all():
            flag = "*" if v.active else " "
            print(
                f"{flag} v{v.version:<4} {v.created_at:%Y-%m-%d %H:%M}  {v.n_examples:>7,} decisions  {_levels(v)}"
            )
    else:
        chosen = ModelVersion.objects.filter(version=args.version).first()
        if chosen is None:
            print(f"massline routing: there is no model v{args.version}", file=sys.stderr)
            return 1
        try:
            active = ModelVersion.objects.filter(active=True).first()
            if active is not None and chosen.version < active.version:
                actions.rollback(chosen, by="massline routing promote")
            else:
                actions.promote(chosen, by="massline routing promote")
        except actions.RegistryError as exc:
            print(f"massline routing: {exc}", file=sys.stderr)
            return 1
        print(f"v{chosen.version} now routes")
    return 0
