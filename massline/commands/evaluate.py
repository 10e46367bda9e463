"""``massline evaluate FILE --text-column C --label-column L``: stratified k-fold cross-validation.

Prints macro-F1 (the govmsg challenge's metric), accuracy and a per-class table, and saves the
confusion matrix as a PNG (``--plot``, default ``confusion.png``).
"""

from __future__ import annotations

import sys

NAME = "evaluate"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="cross-validate the text classifier on a labelled export (macro-F1, confusion matrix)",
        description="Stratified k-fold cross-validation of the text classifier on a labelled CSV/XLSX file.",
    )
    p.add_argument("file", help="CSV or XLSX with one request per row")
    p.add_argument("--text-column", required=True, metavar="C", help="column holding the request text")
    p.add_argument("--label-column", required=True, metavar="L", help="column holding the category")
    p.add_argument("--plot", default="confusion.png", metavar="PATH", help="confusion-matrix PNG path")
    p.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    p.add_argument("--seed", type=int, default=0, help="shuffling seed of the folds")
    p.add_argument("--encoding", help="the file's encoding, if detection gets it wrong")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.classify.evaluation import cross_validate, plot_confusion
    from massline.core.classify.training import labelled_examples
    from massline.core.text.tables import read_table

    progress = _say(args.quiet)
    try:
        table = read_table(args.file, encoding=args.encoding)
        texts, labels = labelled_examples(table, args.text_column, args.label_column)
        if len(set(labels)) < 2:
            raise ValueError(f"{args.file}: column {args.label_column!r} holds a single category")
        progress(f"read {len(table):,} rows ({table.encoding or 'xlsx'}); {len(texts):,} labelled texts")
        result = cross_validate(texts, labels, folds=args.folds, seed=args.seed, progress=progress)
        path = plot_confusion(result, args.plot)
    except (ValueError, OSError) as exc:
        return _fail(exc)
    print(
        f"{result.folds}-fold stratified cross-validation on {len(texts):,} texts, {len(result.labels)} categories"
    )
    print(f"macro-F1 {result.macro_f1:.4f}   accuracy {result.accuracy:.4f}")
    print()
    print(result.table())
    print()
    print(f"confusion matrix saved to {path}")
    return 0


def _say(quiet: bool):
    def emit(message: str) -> None:
        if not quiet:
            print(f"[{NAME}] {message}", file=sys.stderr, flush=True)

    return emit


def _fail(exc: Exception) -> int:
    print(f"massline {NAME}: {exc}", file=sys.stderr)
    return 1
