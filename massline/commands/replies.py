"""``massline replies FILE``: score every reply in an export on the five reply-quality criteria.

massline replies ../shared/data/govmsg/attachment4_replies_2816.csv -o scores.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

from massline.core.export import SafeWriter

ROLES = ("id", "title", "text", "time", "reply", "reply_time")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "replies",
        help="score replies: relevance, completeness, explanation, timeliness, courtesy (with evidence)",
        description=(
            "Score each reply of an export (columns like 留言編號, 留言主題, 留言時間, 留言詳情, 答復意見, 答復時間) "
            "on relevance, completeness, explanation, timeliness and courtesy, each 0–1, plus a weighted "
            "overall and a 1–5 grade. Writes one row per reply and prints a summary."
        ),
    )
    p.add_argument("file", help="CSV (any supported encoding) or XLSX export with messages and replies")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write per-reply scores here (UTF-8 with BOM)")
    p.add_argument("--evidence", action="store_true", help="add a column with each reply's explanation")
    p.add_argument(
        "--weights",
        metavar="C=W,...",
        help="criterion weights, e.g. relevance=0.3,completeness=0.3,explanation=0.2,timeliness=0.1,courtesy=0.1",
    )
    for role in ROLES:
        p.add_argument(f"--{role.replace('_', '-')}-column", dest=f"{role}_column", metavar="NAME",
                       help=f"the {role.replace('_', ' ')} column, if not recognised by name")  # fmt: skip
    p.set_defaults(func=run)


def _weights(spec: str | None) -> dict[str, float] | None:
    if not spec:
        return None
    out = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        out[name.strip()] = float(value)
    return out


def run(args) -> int:
    from massline.core.replies import CRITERIA, ReplyScorer
    from massline.core.report.table import ReportInputError, read_table

    try:
        table = read_table(args.file, {role: getattr(args, f"{role}_column") for role in ROLES})
        weights = _weights(args.weights)
    except (ReportInputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not table.has("reply"):
        print(f"error: no reply column found; the columns are: {', '.join(table.columns)}. "
              "Name it with --reply-column.", file=sys.stderr)  # fmt: skip
        return 2
    if not (table.has("text") or table.has("title")):
        print(f"error: no message text column found; the columns are: {', '.join(table.columns)}. "
              "Name it with --text-column.", file=sys.stderr)  # fmt: skip
        return 2
    ids = table.values("id") or [str(i + 1) for i in range(len(table.rows))]
    replies, texts, titles = table.values("reply"), table.values("text"), table.values("title")
    texts = texts or [""] * len(replies)
    titles = titles or [""] * len(replies)
    try:
        scorer = ReplyScorer(weights=weights).fit(
            replies, [f"{t} {m}" for t, m in zip(titles, texts, strict=True)]
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scores = scorer.score_many(texts, replies, table.values("time") or None, table.values("reply_time") or None,
                               titles=titles)  # fmt: skip

    if args.output:
        with open(args.output, "w", encoding="utf-8-sig", newline="") as f:
            writer = SafeWriter(f)
            header = [table.roles.get("id", "row"), *CRITERIA, "overall", "grade", "template_only"]
            writer.writerow(header + (["evidence"] if args.evidence else []))
            for key, score in zip(ids, scores, strict=True):
                row = score.as_row()
                values = [key, *("" if row[c] is None else row[c] for c in CRITERIA), row["overall"], row["grade"],
                          int(not score.substantive)]  # fmt: skip
                writer.writerow(values + ([score.explain()] if args.evidence else []))
    _summary(Path(args.file).name, ids, scores, args.output)
    return 0


def _summary(name: str, ids, scores, output: str | None) -> None:
    from massline.core.replies import CRITERIA

    n = len(scores)
    print(f"{name}: {n:,} replies scored")
    for c in CRITERIA:
        values = [getattr(s, c).score for s in scores if getattr(s, c) is not None]
        if values:
            print(f"  {c:<13} mean {sum(values) / len(values):.2f}")
        else:
            print(f"  {c:<13} n/a (needs message and reply times)")
    if n:
        print(f"  {'overall':<13} mean {sum(s.overall for s in scores) / n:.2f}")
        grades = [sum(s.grade == g for s in scores) for g in range(1, 6)]
        print("  grades 1–5:   " + "  ".join(f"{g}: {k:,}" for g, k in enumerate(grades, 1)))
        template = sum(not s.substantive for s in scores)
        print(f"  template-only replies (acknowledgement/forwarding): {template:,} ({template / n:.0%})")
        worst = sorted(range(n), key=lambda i: scores[i].overall)[:5]
        print("  weakest: " + ", ".join(f"{ids[i]} ({scores[i].overall:.2f})" for i in worst))
    if output:
        print(f"wrote {output}")
