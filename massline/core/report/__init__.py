"""``massline analyze``: an offline, single-file HTML report on an export file.

It covers what the file supports: volumes over time, categories (the file's own, or predicted and
labelled as such), units, hot issues, near-duplicates, supported messages and reply quality. Charts
are inline SVG; the page has no scripts and loads nothing from the network.

    from massline.core.report import build_report
    html = build_report("export.csv")            # or build_report(path, model="model.bin")
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TextIO

from massline.core.report.page import Section, render_page
from massline.core.report.progress import Progress
from massline.core.report.table import ReportInputError, Table, read_table, require_text

__all__ = ["ReportInputError", "build_report", "read_table", "write_report"]

STAGES = ["read", "overview", "volume", "categories", "units", "hot issues", "duplicates", "replies", "page"]


def build_report(
    path: str | Path,
    *,
    model: str | None = None,
    train_categories: bool = True,
    training_file: str | Path | None = None,
    columns: dict[str, str | None] | None = None,
    limit: int | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
) -> str:
    """The report's HTML for the export at ``path``.

    model: a classifier saved by ``massline train``, used when the file has no category column.
    train_categories, training_file: without a model, train one on the fly from the labelled history
    in ``training_file`` (columns like message, category); ``massline analyze`` passes
    ../shared/data/govmsg/messages_labeled.csv when it exists. False skips prediction.
    columns: role -> column name overrides (roles: text, title, time, category, unit, reply, ...).
    Raises ReportInputError for a missing or unreadable file or one without any text column.
    """
    from massline.core.report import quality, sections

    bar = Progress(STAGES, stream=stream, enabled=progress)
    bar.start("read", str(path))
    table = read_table(path, columns, limit=limit)
    require_text(table)
    bar.done(f"{len(table.rows):,} rows, {len(table.columns)} columns, {table.encoding}")

    parts: list[Section] = []
    if table.is_category_tree:
        bar.stages = ["read", "overview", "catalogue", "page"]
    bar.start("overview")
    parts.append(sections.overview(table))
    bar.done(f"{len(table.roles)} columns recognised: " + ", ".join(sorted(table.roles)))
    if table.is_category_tree:
        bar.start("catalogue")
        parts.append(sections.catalogue(table))
        bar.done(f"{len(table.rows):,} catalogue rows; request sections do not apply")
        return _finish(bar, table, parts)

    bar.start("volume")
    parts.append(sections.volume(table))
    bar.done(f"{len(table.rows):,} rows")

    bar.start("categories")
    predicted = None
    own = table.has("category") and any(table.values("category"))
    if not own and (model or train_categories):
        history = Path(training_file) if training_file and train_categories else None
        predicted = quality.predict_categories(table, model, history)
    parts.append(sections.categories(table, predicted))
    bar.done("own column" if own else "predicted" if predicted else "not available")

    bar.start("units")
    parts.append(sections.units(table))
    bar.done("column " + table.roles["unit"] if table.has("unit") else "not available")

    bar.start("hot issues", f"{len(table.rows):,} requests")
    parts.append(sections.hot_issues(table))
    engagement = sections.engagement(table)
    if engagement:
        parts.append(engagement)
    bar.done("done" if parts[-1 if not engagement else -2].available else "not available")

    bar.start("duplicates", f"{len(table.rows):,} texts")
    parts.append(sections.duplicates(table))
    bar.done("done" if parts[-1].available else "not available")

    bar.start("replies")
    scored = quality.score_replies(table) if table.has("reply") else ([], [])
    if own:
        groups: tuple[list[str], str] | None = (table.values("category"), "from the file")
    else:
        groups = (predicted[0], "predicted") if predicted else None
    parts.append(quality.reply_quality(table, scored, groups))
    bar.done(f"{len(scored[0]):,} replies scored" if scored[0] else "no reply column")
    return _finish(bar, table, parts)


def _finish(bar: Progress, table: Table, parts: list[Section]) -> str:
    bar.start("page")
    subtitle = [
        f"{table.path.name} — {len(table.rows):,} rows — generated {datetime.now():%Y-%m-%d %H:%M}",
        "Offline report: open this file in any browser; nothing is loaded from the network.",
    ]
    html = render_page(f"massline analyze: {table.path.name}", subtitle, parts)
    bar.done(f"{len(html) / 1024:,.0f} KB")
    return html


def write_report(path: str | Path, out: str | Path, **options) -> Path:
    out = Path(out)
    out.write_text(build_report(path, **options), encoding="utf-8")
    return out
