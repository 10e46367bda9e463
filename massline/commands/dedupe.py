"""`massline dedupe FILE --text-column C`: near-duplicate groups (並單) over a whole export."""

from __future__ import annotations

import sys

from massline.core.export import SafeWriter

DEFAULT_COLUMNS = ("留言详情", "message", "text", "description")


def register(sub) -> None:
    p = sub.add_parser("dedupe", help="find groups of near-duplicate messages in a CSV export (並單)")
    p.add_argument("file", help="CSV file (UTF-8, GB18030/GBK, Big5 or UTF-16)")
    p.add_argument(
        "--text-column", help="column holding the text (default: 留言主题 + 留言详情 when present)"
    )
    p.add_argument("--title-column", help="optional title column, compared together with the text")
    p.add_argument("--id-column", help="column identifying a row (default: the row number)")
    p.add_argument("-o", "--output", help="write the input columns plus duplicate_group/lead/similarity here")
    p.add_argument("--threshold", type=float, default=0.6, help="minimum Jaccard similarity (default 0.6)")
    p.add_argument("--shingle", type=int, default=3, help="characters per shingle (default 3)")
    p.add_argument("--show", type=int, default=10, help="groups to print (default 10)")
    p.set_defaults(func=run)


def read_csv_rows(path: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file whose encoding is detected; raises ValueError on failure."""
    import csv
    import io

    from massline.core.text.encoding import read_text_file

    text, _ = read_text_file(path)
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _pick_columns(args, header: list[str]) -> tuple[str | None, str]:
    title = args.title_column
    text = args.text_column
    if text is None:
        text = next((c for c in DEFAULT_COLUMNS if c in header), None)
        if text is None:
            raise ValueError(
                f"say which column holds the text with --text-column; columns: {', '.join(header)}"
            )
        if title is None and "留言主题" in header:
            title = "留言主题"
    for name, label in ((text, "--text-column"), (title, "--title-column"), (args.id_column, "--id-column")):
        if name is not None and name not in header:
            raise ValueError(f"{label} {name!r} is not a column of the file; columns: {', '.join(header)}")
    return title, text


def run(args) -> int:
    import time

    import numpy as np

    from massline.core.dedupe import DuplicateIndex

    try:
        header, rows = read_csv_rows(args.file)
        title_col, text_col = _pick_columns(args, header)
    except (OSError, ValueError) as exc:
        print(f"massline dedupe: {exc}", file=sys.stderr)
        return 2
    if not 0 < args.threshold <= 1:
        print("massline dedupe: --threshold must be in (0, 1]", file=sys.stderr)
        return 2
    ids = [row.get(args.id_column, "") if args.id_column else str(i + 1) for i, row in enumerate(rows)]
    texts = [
        ((row.get(title_col) or "") + "\n" if title_col else "") + (row.get(text_col) or "") for row in rows
    ]

    started = time.perf_counter()
    index = DuplicateIndex(threshold=args.threshold, shingle=args.shingle).fit(enumerate(texts))
    a, b, sim = index.similar_pairs()
    labels = index.group_labels()
    elapsed = time.perf_counter() - started

    # the lead of a group is its first row; each member's similarity is its best verified link
    lead: dict[int, int] = {}
    for position, label in enumerate(labels.tolist()):
        if label >= 0:
            lead.setdefault(label, position)
    best = np.zeros(len(rows))
    np.maximum.at(best, a, sim)
    np.maximum.at(best, b, sim)
    groups = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    grouped = int((labels >= 0).sum())
    print(
        f"{len(rows):,} rows, {groups:,} duplicate groups covering {grouped:,} rows "
        f"(threshold {args.threshold}, {elapsed:.1f} s)"
    )
    sizes = np.bincount(labels[labels >= 0]) if grouped else np.zeros(0, dtype=int)
    for label in np.argsort(-sizes, kind="stable")[: args.show].tolist():
        members = np.nonzero(labels == label)[0].tolist()
        first = " ".join(texts[members[0]].split())[:60]
        print(
            f"  group {label}: {len(members)} rows  ids {', '.join(ids[m] for m in members[:8])}"
            f"{' ...' if len(members) > 8 else ''}  | {first}"
        )

    if args.output:
        out_header = header + ["duplicate_group", "duplicate_lead", "similarity"]
        with open(args.output, "w", encoding="utf-8-sig", newline="") as f:
            writer = SafeWriter(f)
            writer.writerow(out_header)
            for position, row in enumerate(rows):
                label = int(labels[position])
                extra = [label, ids[lead[label]], f"{best[position]:.3f}"] if label >= 0 else ["", "", ""]
                writer.writerow([row.get(c, "") for c in header] + extra)
        print(f"wrote {args.output}")
    return 0
