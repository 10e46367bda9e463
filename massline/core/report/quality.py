"""Report sections that need a model: reply quality (ReplyScorer) and predicted categories."""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from massline.core.replies import CRITERIA, ReplyScorer
from massline.core.report import charts
from massline.core.report.page import Section, kpis, table_html
from massline.core.report.table import Table


def score_replies(table: Table):
    """(scores, rows used) for the rows that have a reply; fitted on this file's own replies."""
    replies, texts, titles = table.values("reply"), table.values("text"), table.values("title")
    times, reply_times = table.values("time"), table.values("reply_time")
    used = [i for i, r in enumerate(replies) if r]
    if not used:
        return [], []
    messages = [texts[i] if texts else "" for i in used]
    heads = [titles[i] if titles else "" for i in used]
    answers = [replies[i] for i in used]
    scorer = ReplyScorer().fit(answers, [f"{h} {m}" for h, m in zip(heads, messages, strict=True)])
    scores = scorer.score_many(
        messages,
        answers,
        [times[i] for i in used] if times else None,
        [reply_times[i] for i in used] if reply_times else None,
        titles=heads,
    )
    return scores, used


def reply_quality(table: Table, scored=None, categories: tuple[list[str], str] | None = None) -> Section:
    title = "Reply quality"
    if not table.has("reply"):
        return Section("replies", title, "not available: the file has no reply column (答復意見, reply …).",
                       available=False)  # fmt: skip
    scores, used = scored if scored is not None else score_replies(table)
    if not scores:
        return Section("replies", title, "not available: the reply column is empty.", available=False)
    n = len(scores)
    ids = table.values("id") or [str(i + 1) for i in range(len(table.rows))]
    heads = table.values("title") or table.values("text")
    template_only = sum(not s.substantive for s in scores)
    timely = [s.timeliness for s in scores if s.timeliness is not None]
    means = {c: sum(getattr(s, c).score for s in scores if getattr(s, c) is not None)
             / max(1, sum(getattr(s, c) is not None for s in scores)) for c in CRITERIA}  # fmt: skip
    items = [("replies scored", f"{n:,}"), ("mean overall", f"{sum(s.overall for s in scores) / n:.2f}"),
             ("template-only replies", f"{template_only:,} ({template_only / n:.0%})")]  # fmt: skip
    if timely:
        within = sum(t.score == 1.0 for t in timely)
        items.append(("answered within 7 working days", f"{within / len(timely):.0%}"))
    body = kpis(items)
    body += charts.grouped_bars(list(CRITERIA), {"mean score": [means[c] for c in CRITERIA]},
                                "Mean score per criterion (0–1)")  # fmt: skip
    grades = Counter(s.grade for s in scores)
    body += charts.column_chart([str(g) for g in range(1, 6)], [grades.get(g, 0) for g in range(1, 6)],
                                "Replies by grade (1 = acknowledgement only … 5 = complete and explained)",
                                "replies")  # fmt: skip
    if table.has("unit"):
        body += _by_group("unit", table.values("unit"), scores, used)
    if categories is not None:
        body += _by_group(f"category ({categories[1]})", categories[0], scores, used)
    order = sorted((k for k in range(n) if scores[k].substantive), key=lambda k: scores[k].overall)
    if template_only:
        empty = [ids[used[k]] for k in range(n) if not scores[k].substantive]
        body += (f"<h3>Template-only replies ({template_only:,})</h3><p>Acknowledgement or forwarding with no "
                 f"substance, for example: {escape(', '.join(empty[:20]))}{'…' if len(empty) > 20 else ''}</p>")  # fmt: skip
    for label, picks in (
        ("Weakest replies with substance", order[:5]),
        ("Strongest replies", order[::-1][:5]),
    ):
        body += f"<h3>{label}</h3>"
        for k in picks:
            i = used[k]
            body += (f"<details><summary>{escape(ids[i])} — {escape(heads[i][:50])} — overall "
                     f"{scores[k].overall:.2f}</summary><pre>{escape(scores[k].explain())}</pre></details>")  # fmt: skip
    notes = [
        "Scored by massline.core.replies.ReplyScorer, fitted on this file's replies (template phrases are the "
        "ones that recur here). Criteria, weights and evidence: docs/reply-quality.md; the rubric it "
        "approximates: docs/reply-quality-rubric.md.",
    ]
    if not table.has("reply_time") or not table.has("time"):
        notes.append("Timeliness is not scored: the file needs both the message time and the reply time.")
    return Section("replies", title, body, notes=notes)


def _by_group(what: str, groups: list[str], scores, used) -> str:
    """Mean scores per unit or category, weakest first, for groups with 3+ replies."""
    per: dict[str, list] = {}
    for s, i in zip(scores, used, strict=True):
        per.setdefault(groups[i] or "(none)", []).append(s)
    rows = []
    for name, members in per.items():
        if len(members) < 3:
            continue
        timely = [m.timeliness.score for m in members if m.timeliness is not None]
        rows.append((
            name,
            len(members),
            sum(m.overall for m in members) / len(members),
            sum(m.completeness.score for m in members) / len(members),
            sum(timely) / len(timely) if timely else "n/a",
            f"{sum(not m.substantive for m in members) / len(members):.0%}",
        ))  # fmt: skip
    rows.sort(key=lambda r: r[2])
    headers = [what, "replies", "mean overall", "completeness", "timeliness", "template-only"]
    return f"<h3>By {what} (3+ replies, weakest first)</h3>" + table_html(
        headers, rows, numeric=(1, 2, 3, 4, 5)
    )


def predict_categories(table: Table, model_path: str | None, training_file: Path | None):
    """(labels, explanation) predicted for the file's texts, or None when no model can be had."""
    titles, texts = table.values("title"), table.values("text")
    docs = [
        f"{titles[i] if titles else ''} {texts[i] if texts else ''}".strip() for i in range(len(table.rows))
    ]
    if model_path:
        from massline.core.classify import load_model

        model = load_model(model_path)
        return [str(x) for x in model.predict(docs)], f"predicted with the model {model_path} (--model)."
    if training_file is None:
        return None
    from massline.core.classify import TextClassifier
    from massline.core.report.table import read_table

    train = read_table(training_file)
    x, y = train.values("text"), train.values("category")
    pairs = [(a, b) for a, b in zip(x, y, strict=True) if a and b]
    # Only the predicted labels are charted, not confidences: 2-fold calibration is enough and faster.
    model = TextClassifier(cv=2).fit([a for a, _ in pairs], [b for _, b in pairs])
    how = (f"predicted by a classifier trained on the fly from {training_file.name} ({len(pairs):,} labelled "
           f"messages, {len(set(y)) - ('' in y)} classes); pass --model to use your own.")  # fmt: skip
    return [str(p) for p in model.predict(docs)], how
