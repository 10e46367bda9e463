"""``massline evaluate FILE --text-column C --label-column L``: stratified k-fold cross-validation.

Prints macro-F1 (the govmsg challenge's metric), accuracy and a per-class table, and saves the
confusion matrix as a PNG (``--plot``, default ``confusion.png``). Figures are given per catalogue
level: a label naming a path ("城乡建设/安全生产/事故处理") cross-validates the hierarchical router,
which learns a level where a category has ``--min-examples`` examples.
"""

from __future__ import annotations

from massline.commands import _table_io as table_io

NAME = "evaluate"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="cross-validate the text classifier on a labelled export (macro-F1, confusion matrix)",
        description="Stratified k-fold cross-validation of the text classifier on a labelled CSV/XLSX file.",
    )
    table_io.add_input_arguments(p, label=True)
    p.add_argument("--plot", default="confusion.png", metavar="PATH", help="confusion-matrix PNG path")
    p.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    p.add_argument("--seed", type=int, default=0, help="shuffling seed of the folds")
    p.add_argument(
        "--min-examples", type=int, default=20, help="examples a sub-category needs to be learnt (default 20)"
    )
    table_io.add_reading_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.classify.evaluation import cross_validate, cross_validate_levels, plot_confusion
    from massline.core.classify.hierarchy import LevelFigures

    progress = table_io.progress_printer(NAME, args.quiet)
    try:
        table, texts, labels = table_io.read_labelled(args)
        if len(set(labels)) < 2:
            raise ValueError(f"{args.file}: column {args.label_column!r} holds a single category")
        progress(f"{table_io.rows_read(table)}; {len(texts):,} labelled texts")
        if any("/" in label or ">" in label for label in labels):
            result, levels = cross_validate_levels(
                texts,
                labels,
                folds=args.folds,
                seed=args.seed,
                min_examples=args.min_examples,
                progress=progress,
            )
        else:
            result = cross_validate(texts, labels, folds=args.folds, seed=args.seed, progress=progress)
            levels = {1: LevelFigures(n=len(texts), macro_f1=result.macro_f1, accuracy=result.accuracy)}
        path = plot_confusion(result, args.plot)
    except table_io.FAILURES as exc:
        return table_io.fail(NAME, exc)
    print(
        f"{result.folds}-fold stratified cross-validation on {len(texts):,} texts, {len(result.labels)} categories"
    )
    print(f"macro-F1 {result.macro_f1:.4f}   accuracy {result.accuracy:.4f}")
    print()
    print(level_table(levels))
    print()
    print(result.table())
    print()
    print(f"confusion matrix saved to {path}")
    return 0


def level_table(levels) -> str:
    """Figures per catalogue level (levels the labels do not reach say so)."""
    lines = ["level  labelled  macro-F1  accuracy"]
    for level in (1, 2, 3):
        f = levels.get(level)
        if f is None or not f.n:
            lines.append(f"{level:>5}  {'-':>8}  (no labels this deep)")
        else:
            lines.append(f"{level:>5}  {f.n:>8,}  {f.macro_f1:>8.4f}  {f.accuracy:>8.4f}")
    return "\n".join(lines)
