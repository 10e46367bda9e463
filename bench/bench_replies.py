"""Reply-quality benchmark: agreement with the hand labels, and batch-scoring speed.

    .venv/bin/python bench/bench_replies.py            # print the figures
    .venv/bin/python bench/bench_replies.py --write    # also regenerate docs/reply-quality.md
                                                       # and docs/benchmarks/replies.md

Reads ../shared/data/govmsg/attachment4_replies_2816.csv and data/labels/reply_quality_labels.csv.
Every figure is printed beside a trivial baseline measured in the same run: the reply's length
(longer = better) for the overall grade, and the majority label for each criterion.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.core.replies import CRITERIA, ReplyScorer, length_baseline  # noqa: E402
from massline.testing import shared_data_dir  # noqa: E402

LABELS = ROOT / "data" / "labels" / "reply_quality_labels.csv"
FROZEN_AT = "d7cc79c"  # the scorer's commit when the 40 "test" pairs were labelled
COMMAND = ".venv/bin/python bench/bench_replies.py --write"


def load_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def to_label(score: float) -> float:
    """The nearest rubric level (0, 0.5, 1) for a continuous criterion score."""
    return 0.0 if score < 0.25 else 0.5 if score < 0.75 else 1.0


def spearman(a, b) -> float:
    from scipy.stats import spearmanr

    rho = spearmanr(a, b).statistic
    return float(rho)


def agreement(rows, scores, baseline) -> dict:
    """Figures comparing scorer and baseline with the labels on ``rows`` (label dicts)."""
    grades = [int(r["grade"]) for r in rows]
    out = {
        "n": len(rows),
        "rho_overall": spearman([s.overall for s in scores], grades),
        "rho_baseline": spearman(baseline, grades),
        "grade_exact": sum(s.grade == g for s, g in zip(scores, grades, strict=True)) / len(rows),
        "grade_within1": sum(abs(s.grade - g) <= 1 for s, g in zip(scores, grades, strict=True)) / len(rows),
        "baseline_grade_exact": sum(1 + round(4 * b) == g for b, g in zip(baseline, grades, strict=True))
        / len(rows),
        "baseline_grade_within1": sum(
            abs(1 + round(4 * b) - g) <= 1 for b, g in zip(baseline, grades, strict=True)
        )
        / len(rows),
        "criteria": {},
    }
    for name in CRITERIA:
        labels = [float(r[name]) for r in rows]
        predicted = [getattr(s, name) for s in scores]
        keep = [i for i, p in enumerate(predicted) if p is not None]
        labels = [labels[i] for i in keep]
        values = [predicted[i].score for i in keep]
        levels = [to_label(v) for v in values]
        majority = max(set(labels), key=labels.count)
        out["criteria"][name] = {
            "accuracy": sum(a == b for a, b in zip(levels, labels, strict=True)) / len(labels),
            "within_half": sum(abs(a - b) <= 0.5 for a, b in zip(levels, labels, strict=True)) / len(labels),
            "rho": spearman(values, labels),
            "majority": majority,
            "majority_accuracy": labels.count(majority) / len(labels),
        }
    return out


def confusion(rows, scores) -> list[list[int]]:
    """Rows: hand grade 1–5; columns: scorer grade 1–5."""
    table = [[0] * 5 for _ in range(5)]
    for r, s in zip(rows, scores, strict=True):
        table[int(r["grade"]) - 1][s.grade - 1] += 1
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help="regenerate docs/reply-quality.md and the bench note"
    )
    args = parser.parse_args(argv)

    path = shared_data_dir() / "govmsg" / "attachment4_replies_2816.csv"
    if not path.exists():
        print(f"needs {path} (../shared/data beside the checkout)", file=sys.stderr)
        return 2
    pairs = load_pairs(path)
    labels = load_pairs(LABELS)
    replies = [p["答复意见"] for p in pairs]
    messages = [p["留言详情"] for p in pairs]
    titles = [p["留言主题"] for p in pairs]

    t0 = time.perf_counter()
    scorer = ReplyScorer().fit(replies, [f"{t} {m}" for t, m in zip(titles, messages, strict=True)])
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = scorer.score_many(
        messages, replies, [p["留言时间"] for p in pairs], [p["答复时间"] for p in pairs], titles=titles
    )
    score_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lengths = [length_baseline(r) for r in replies]
    base_s = time.perf_counter() - t0

    by_id = {p["留言编号"]: s for p, s in zip(pairs, scores, strict=True)}
    len_by_id = {p["留言编号"]: b for p, b in zip(pairs, lengths, strict=True)}
    splits = {
        "all": labels,
        "dev": [r for r in labels if r["set"] == "dev"],
        "test": [r for r in labels if r["set"] == "test"],
    }
    results = {}
    for name, rows in splits.items():
        results[name] = agreement(
            rows, [by_id[r["留言编号"]] for r in rows], [len_by_id[r["留言编号"]] for r in rows]
        )
    table = confusion(labels, [by_id[r["留言编号"]] for r in labels])

    n = len(pairs)
    print(f"pairs scored: {n}; fit {fit_s:.2f} s; score_many {score_s:.2f} s = {n / score_s:,.0f} pairs/s")
    print(f"baseline (reply length) {base_s * 1000:.1f} ms = {n / max(base_s, 1e-9):,.0f} pairs/s; "
          f"scorer is {score_s / max(base_s, 1e-9):,.0f}x slower")  # fmt: skip
    for name, res in results.items():
        print(f"\n[{name}: {res['n']} labelled pairs]")
        print(
            f"Spearman overall vs grade: scorer {res['rho_overall']:.3f}  baseline(length) {res['rho_baseline']:.3f}"
        )
        print(f"grade exact: scorer {res['grade_exact']:.1%}  baseline {res['baseline_grade_exact']:.1%}")
        print(
            f"grade within 1: scorer {res['grade_within1']:.1%}  baseline {res['baseline_grade_within1']:.1%}"
        )
        for crit, c in res["criteria"].items():
            print(f"  {crit:<13} accuracy {c['accuracy']:.1%} (majority {c['majority']:g}: {c['majority_accuracy']:.1%})"
                  f"  within 0.5 {c['within_half']:.1%}  Spearman {c['rho']:.3f}")  # fmt: skip
    print("\nconfusion (rows: hand grade 1–5, columns: scorer grade 1–5)")
    for g, row in enumerate(table, 1):
        print(f"  {g}: " + " ".join(f"{x:3d}" for x in row))
    overall = sorted(s.overall for s in scores)
    print(
        f"\ncorpus overall: median {overall[n // 2]:.2f}, p10 {overall[n // 10]:.2f}, p90 {overall[9 * n // 10]:.2f}"
    )

    if args.write:
        write_docs(results, table, n, fit_s, score_s, base_s)
        print("wrote docs/reply-quality.md and docs/benchmarks/replies.md")
    return 0


def _criteria_table(res) -> str:
    lines = [
        "| criterion | accuracy (3 levels) | majority-label baseline | within one level | Spearman |",
        "|---|---|---|---|---|",
    ]
    for crit, c in res["criteria"].items():
        lines.append(
            f"| {crit} | {c['accuracy']:.1%} | {c['majority_accuracy']:.1%} (always {c['majority']:g}) | "
            f"{c['within_half']:.1%} | {c['rho']:.3f} |"
        )
    return "\n".join(lines)


def write_docs(results, table, n, fit_s, score_s, base_s) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    all_, unseen = results["all"], results["unseen"]
    confusion_md = "\n".join(
        ["| hand \\ scorer | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
        + [f"| {g} | " + " | ".join(str(x) for x in row) + " |" for g, row in enumerate(table, 1)]
    )
    template = (ROOT / "bench" / "reply_quality_template.md").read_text(encoding="utf-8")
    text = template.format(
        stamp=stamp,
        command=COMMAND,
        machine=machine,
        n=n,
        fit_s=fit_s,
        score_s=score_s,
        rate=n / score_s,
        base_ms=base_s * 1000,
        all_n=all_["n"],
        unseen_n=unseen["n"],
        rho=all_["rho_overall"],
        rho_base=all_["rho_baseline"],
        rho_unseen=unseen["rho_overall"],
        rho_base_unseen=unseen["rho_baseline"],
        exact=all_["grade_exact"],
        within1=all_["grade_within1"],
        base_exact=all_["baseline_grade_exact"],
        base_within1=all_["baseline_grade_within1"],
        criteria_all=_criteria_table(all_),
        criteria_unseen=_criteria_table(unseen),
        confusion=confusion_md,
    )
    (ROOT / "docs" / "reply-quality.md").write_text(text, encoding="utf-8")
    bench = f"""# Benchmark: reply quality

Measured {stamp} on this machine ({machine}) with

    {COMMAND}

| figure | massline `ReplyScorer` | baseline measured in the same run |
|---|---|---|
| Spearman, overall score vs hand grade ({all_["n"]} pairs) | {all_["rho_overall"]:.3f} | {all_["rho_baseline"]:.3f} (reply length) |
| Spearman on the {unseen["n"]} pairs never inspected during development | {unseen["rho_overall"]:.3f} | {unseen["rho_baseline"]:.3f} |
| grade within 1 of the hand grade | {all_["grade_within1"]:.1%} | {all_["baseline_grade_within1"]:.1%} |
| batch scoring of all {n:,} replies | {score_s:.2f} s ({n / score_s:,.0f} pairs/s) after a {fit_s:.2f} s fit | {base_s * 1000:.1f} ms (length only) |

Details and per-criterion agreement: `docs/reply-quality.md`.
"""
    (ROOT / "docs" / "benchmarks").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks" / "replies.md").write_text(bench, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
