"""``massline predict MODEL FILE --text-column C -o OUT.csv``: categorise an export with a trained model.

The output holds every input column plus ``predicted`` (the category) and ``confidence`` (its
calibrated probability, 0-1), in UTF-8.
"""

from __future__ import annotations

from massline.commands import _table_io as table_io
from massline.core.export import SafeWriter

NAME = "predict"

BATCH = 2000


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict categories for a CSV/XLSX export with a trained model",
        description="Write the input columns plus 'predicted' and 'confidence' (calibrated probability).",
    )
    p.add_argument("model", help="a model saved by `massline train`")
    table_io.add_input_arguments(p, label=False)
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="where to write the result")
    table_io.add_reading_options(p, encoding_of="the input file's")
    p.set_defaults(func=run)


def run(args) -> int:
    import time

    from massline.core.classify.hierarchy import load_any
    from massline.core.classify.training import table_texts

    progress = table_io.progress_printer(NAME, args.quiet)
    try:
        model = load_any(args.model)
        table = table_io.read_input(args)
        texts = table_texts(table, args.text_column)
    except table_io.FAILURES as exc:
        return table_io.fail(NAME, exc)
    progress(f"{table_io.rows_read(table)}")
    started = time.perf_counter()
    predicted: list[str] = []
    confidence: list[float] = []
    for start in range(0, len(texts), BATCH):
        labels, probs = _predict(model, texts[start : start + BATCH])
        predicted.extend(labels)
        confidence.extend(probs)
        done = min(start + BATCH, len(texts))
        progress(f"{done:,}/{len(texts):,} rows ({done / max(time.perf_counter() - started, 1e-9):,.0f}/s)")
    keep = [i for i, c in enumerate(table.columns) if c not in {"predicted", "confidence"}]
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            writer = SafeWriter(out)
            writer.writerow([table.columns[i] for i in keep] + ["predicted", "confidence"])
            for row, label, prob in zip(table.rows, predicted, confidence, strict=True):
                cells = [row[i] if i < len(row) else "" for i in keep]
                writer.writerow(cells + [label, f"{prob:.4f}"])
    except OSError as exc:
        return table_io.fail(NAME, exc)
    print(f"wrote {len(texts):,} predictions to {args.output}")
    return 0


def _predict(model, texts: list[str]) -> tuple[list[str], list[float]]:
    """Top category and confidence; a hierarchical router gives the deepest level it is sure of."""
    if hasattr(model, "predict_with_confidence"):
        labels, probs = model.predict_with_confidence(texts)
        return list(labels), list(probs)
    tops = [s[0] if s else None for s in model.suggest_many(texts, top=1)]
    return [t.label if t else "" for t in tops], [t.confidence if t else 0.0 for t in tops]
