"""``massline predict MODEL FILE --text-column C -o OUT.csv``: categorise an export with a trained model.

The output holds every input column plus ``predicted`` (the category) and ``confidence`` (its
calibrated probability, 0-1), in UTF-8.
"""

from __future__ import annotations

import sys

NAME = "predict"

BATCH = 2000


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict categories for a CSV/XLSX export with a trained model",
        description="Write the input columns plus 'predicted' and 'confidence' (calibrated probability).",
    )
    p.add_argument("model", help="a model saved by `massline train`")
    p.add_argument("file", help="CSV or XLSX with one request per row")
    p.add_argument("--text-column", required=True, metavar="C", help="column holding the request text")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="where to write the result")
    p.add_argument("--encoding", help="the input file's encoding, if detection gets it wrong")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")
    p.set_defaults(func=run)


def run(args) -> int:
    import csv
    import time

    from massline.core.classify import load_model
    from massline.core.classify.training import table_texts
    from massline.core.text.tables import read_table

    progress = _say(args.quiet)
    try:
        model = load_model(args.model)
        table = read_table(args.file, encoding=args.encoding)
        texts = table_texts(table, args.text_column)
    except (ValueError, OSError) as exc:
        return _fail(exc)
    progress(f"read {len(table):,} rows ({table.encoding or 'xlsx'}); {len(model.classes_)} categories")
    started = time.perf_counter()
    predicted: list[str] = []
    confidence: list[float] = []
    for start in range(0, len(texts), BATCH):
        labels, probs = model.predict_with_confidence(texts[start : start + BATCH])
        predicted.extend(labels)
        confidence.extend(probs)
        done = min(start + BATCH, len(texts))
        progress(f"{done:,}/{len(texts):,} rows ({done / max(time.perf_counter() - started, 1e-9):,.0f}/s)")
    keep = [i for i, c in enumerate(table.columns) if c not in {"predicted", "confidence"}]
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([table.columns[i] for i in keep] + ["predicted", "confidence"])
            for row, label, prob in zip(table.rows, predicted, confidence, strict=True):
                cells = [row[i] if i < len(row) else "" for i in keep]
                writer.writerow(cells + [label, f"{prob:.4f}"])
    except OSError as exc:
        return _fail(exc)
    print(f"wrote {len(texts):,} predictions to {args.output}")
    return 0


def _say(quiet: bool):
    def emit(message: str) -> None:
        if not quiet:
            print(f"[{NAME}] {message}", file=sys.stderr, flush=True)

    return emit


def _fail(exc: Exception) -> int:
    print(f"massline {NAME}: {exc}", file=sys.stderr)
    return 1
