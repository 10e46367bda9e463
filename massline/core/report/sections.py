"""The report's sections. Each takes the table and returns a Section, never raising for missing data:
what a file cannot support becomes a "not available" note that says why.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import cast

from massline.core.dedupe import find_duplicate_groups
from massline.core.hotspots import detect_hot_issues
from massline.core.replies import parse_time
from massline.core.report import charts
from massline.core.report.page import Section, kpis, table_html
from massline.core.report.table import Table

TOP = 20


def _month(value: str) -> str | None:
    t = parse_time(value)
    return None if t is None else f"{t:%Y-%m}"


def overview(table: Table) -> Section:
    roles = [(role, column) for role, column in sorted(table.roles.items())]
    texts = table.values("text") or table.values("title")
    lengths = sorted(len(t) for t in texts) if texts else []
    items = [
        ("rows", f"{len(table.rows):,}"),
        ("columns", str(len(table.columns))),
        ("encoding", table.encoding),
    ]
    if lengths:
        items.append(("median text length (characters)", f"{lengths[len(lengths) // 2]:,}"))
    body = kpis(items)
    body += "<h3>Columns recognised</h3>" + table_html(["role", "column"], roles)
    unused = [c for c in table.columns if c not in table.roles.values()]
    if unused:
        body += f'<p class="note">Other columns: {escape(", ".join(unused))}</p>'
    return Section("overview", "Overview", body, notes=[charts.font_note()])


def volume(table: Table) -> Section:
    if not table.has("time"):
        return Section("volume", "Volume over time", "not available: the file has no time column "
                       "(留言時間, created, date …).", available=False)  # fmt: skip
    months = Counter(m for m in (_month(v) for v in table.values("time")) if m)
    unreadable = len(table.rows) - sum(months.values())
    if not months:
        return Section("volume", "Volume over time", "not available: no readable dates in "
                       f"{escape(table.roles['time'])}.", available=False)  # fmt: skip
    ordered = sorted(months)
    body = kpis([("first month", ordered[0]), ("last month", ordered[-1]), ("busiest month",
                 max(months, key=lambda m: months[m]))])  # fmt: skip
    body += charts.column_chart(ordered, [months[m] for m in ordered], "Requests per month", "requests")
    notes = [f"{unreadable:,} rows have no readable date."] if unreadable else []
    return Section("volume", "Volume over time", body, notes=notes)


def _counts_section(key: str, title: str, values: list[str], what: str, notes: list[str]) -> Section:
    counts = Counter(v for v in values if v)
    blank = len(values) - sum(counts.values())
    top = counts.most_common(TOP)
    body = kpis([(f"distinct {what}", f"{len(counts):,}"), ("largest", top[0][0] if top else "—")])
    body += charts.bar_chart([k for k, _ in top], [v for _, v in top], f"Requests by {what} (top {len(top)})")
    total = max(sum(counts.values()), 1)
    body += table_html(
        [what, "requests", "share"], [(k, v, f"{v / total:.1%}") for k, v in top], numeric=(1, 2)
    )
    if blank:
        notes = notes + [f"{blank:,} rows have no {what}."]
    return Section(key, title, body, notes=notes)


def categories(table: Table, predicted: tuple[list[str], str] | None) -> Section:
    if table.has("category") and any(table.values("category")):
        return _counts_section("categories", "Categories", table.values("category"), "category",
                               [f"From the file's own column {table.roles['category']}."])  # fmt: skip
    if predicted is None:
        return Section("categories", "Categories", "not available: the file has no category column, no model "
                       "was given (--model) and no labelled history was found to train one.",
                       available=False)  # fmt: skip
    labels, how = predicted
    return _counts_section("categories", "Categories (predicted)", labels, "category",
                           [f"PREDICTED, not recorded in the file: {how}"])  # fmt: skip


def units(table: Table) -> Section:
    if not table.has("unit"):
        return Section("units", "Units", "not available: the file has no unit column (承辦單位, agency, "
                       "department …).", available=False)  # fmt: skip
    return _counts_section("units", "Units", table.values("unit"), "unit", [f"Column {table.roles['unit']}."])


def catalogue(table: Table) -> Section:
    """A category tree (一級/二級/三級分類) is reported as a catalogue, not as requests."""
    cols = table.tree_columns
    level1 = Counter(r[cols[0]].strip() for r in table.rows if r[cols[0]].strip())
    body = kpis([(f"{c}", f"{len({r[c].strip() for r in table.rows if r[c].strip()}):,}") for c in cols])
    top = level1.most_common()
    body += charts.bar_chart([k for k, _ in top], [v for _, v in top], f"Leaf categories per {cols[0]}")
    second = Counter((r[cols[0]].strip(), r[cols[1]].strip()) for r in table.rows)
    rows = []
    for (first, sub), n in sorted(second.items()):
        leaves = [r[cols[2]].strip() for r in table.rows if len(cols) > 2 and r[cols[0]].strip() == first
                  and r[cols[1]].strip() == sub]  # fmt: skip
        rows.append((first, sub, n, "、".join(leaves[:12]) + ("…" if len(leaves) > 12 else "")))
    body += table_html([cols[0], cols[1], "leaves", "examples"], rows, numeric=(2,))
    return Section("catalogue", "Category catalogue", body,
                   notes=["This file is a classification catalogue (派單目錄), not a list of requests: it is "
                          "summarised as a tree."])  # fmt: skip


def engagement(table: Table) -> Section | None:
    if not (table.has("likes") or table.has("dislikes")):
        return None

    def number(v: str) -> int:
        try:
            return int(float(v or 0))
        except ValueError:
            return 0

    likes = [number(v) for v in table.values("likes")] or [0] * len(table.rows)
    dislikes = [number(v) for v in table.values("dislikes")] or [0] * len(table.rows)
    titles = table.values("title") or table.values("text")
    ids = table.values("id") or [str(i + 1) for i in range(len(table.rows))]
    order = sorted(range(len(table.rows)), key=lambda i: -(likes[i] + dislikes[i]))[:10]
    body = kpis([("likes", f"{sum(likes):,}"), ("dislikes", f"{sum(dislikes):,}")])
    body += table_html(["id", "title", "likes", "dislikes"],
                       [(ids[i], titles[i][:60], likes[i], dislikes[i]) for i in order], numeric=(2, 3))  # fmt: skip
    return Section("engagement", "Most supported messages", body)


def hot_issues(table: Table, top: int = 10) -> Section:
    title = "Hot issues"
    if not table.has("time"):
        return Section("hot", title, "not available: hot issues need a time column (a problem in a place "
                       "within a time window).", available=False)  # fmt: skip
    titles, texts, times = table.values("title"), table.values("text"), table.values("time")
    users, ids = table.values("requester"), table.values("id")
    likes, dislikes = table.values("likes"), table.values("dislikes")
    records = []
    for i in range(len(table.rows)):
        if parse_time(times[i]) is None:
            continue
        records.append({
            "id": ids[i] if ids else i + 1,
            "title": titles[i] if titles else "",
            "body": texts[i] if texts else "",
            "time": times[i],
            "requester": users[i] if users else f"row{i}",
            "likes": likes[i] if likes else 0,
            "dislikes": dislikes[i] if dislikes else 0,
        })  # fmt: skip
    issues = detect_hot_issues(records, top=top)
    if not issues:
        return Section("hot", title, "No group of at least two requests about one problem in one place was "
                       "found.", notes=["massline.core.hotspots.detect_hot_issues"])  # fmt: skip
    rows = [(i + 1, h.title, h.place, h.time_span, h.n_requests, h.n_requesters, h.heat,
             ", ".join(str(m) for m in h.member_ids[:8]) + ("…" if len(h.member_ids) > 8 else ""))
            for i, h in enumerate(issues)]  # fmt: skip
    body = charts.bar_chart(
        [h.title for h in issues], [h.heat for h in issues], "Heat index of the hottest issues"
    )
    body += table_html(["rank", "issue", "place", "time span", "requests", "requesters", "heat", "member ids"],
                       rows, numeric=(0, 4, 5, 6))  # fmt: skip
    return Section("hot", title, body, notes=["Grouped by topic, place and time with "
                   "massline.core.hotspots; the heat index is explained in docs/hot-issues.md."])  # fmt: skip


def duplicates(table: Table, threshold: float = 0.6) -> Section:
    title = "Near-duplicates (並單)"
    titles, texts = table.values("title"), table.values("text")
    ids = table.values("id") or [str(i + 1) for i in range(len(table.rows))]
    docs = [
        f"{titles[i] if titles else ''} {texts[i] if texts else ''}".strip() for i in range(len(table.rows))
    ]
    keys = list(range(len(docs)))
    found = find_duplicate_groups([(k, d) for k, d in zip(keys, docs, strict=True) if d], threshold=threshold)
    groups = cast(list[list[int]], found)  # the keys given were row numbers
    groups.sort(key=len, reverse=True)
    in_groups = sum(len(g) for g in groups)
    body = kpis([("duplicate groups", f"{len(groups):,}"), ("requests in them", f"{in_groups:,}"),
                 ("could be merged away", f"{in_groups - len(groups):,}")])  # fmt: skip
    if groups:
        sizes = Counter(len(g) for g in groups)
        body += charts.bar_chart([f"{k} requests" for k in sorted(sizes)], [sizes[k] for k in sorted(sizes)],
                                 "Duplicate groups by size")  # fmt: skip
        rows = [(len(g), ", ".join(ids[k] for k in g[:6]) + ("…" if len(g) > 6 else ""), docs[g[0]][:70])
                for g in groups[:15]]  # fmt: skip
        body += table_html(["size", "ids", "first text"], rows, numeric=(0,))
    return Section("duplicates", title, body, notes=[f"MinHash LSH over character shingles, confirmed by "
                   f"exact Jaccard ≥ {threshold} (massline.core.dedupe)."])  # fmt: skip
