"""``massline train FILE --text-column C --label-column L -o MODEL``: learn categories from history.

massline train ../shared/data/govmsg/messages_labeled.csv --text-column message --label-column category -o model.joblib

Labels naming catalogue paths ("城乡建设/安全生产/事故处理") train the hierarchical router instead: it
learns on four fifths of the rows (chosen by a hash of the text), calibrates each level on the other
fifth, and prints each level's held-out figures and auto-route threshold for the precision target.
"""

from __future__ import annotations

import time

from massline.commands import _table_io as table_io

NAME = "train"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train",
        help="train a text classifier on a labelled CSV/XLSX export",
        description=(
            "Train the calibrated text classifier on a CSV (UTF-8, GBK, Big5 or UTF-16, detected) or XLSX "
            "file and save it. Join several text columns with '+', e.g. --text-column '留言主题+留言详情'."
        ),
    )
    table_io.add_input_arguments(p, label=True)
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="where to save the model")
    p.add_argument("--precision", type=float, default=0.97, help="precision target of the thresholds (paths)")
    p.add_argument("--min-examples", type=int, default=20, help="examples a sub-category needs (paths)")
    table_io.add_reading_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.classify import TextClassifier

    progress = table_io.progress_printer(NAME, args.quiet)
    try:
        table, texts, labels = table_io.read_labelled(args)
        progress(f"{table_io.rows_read(table)}; training on {len(texts):,} labelled texts")
        started = time.perf_counter()
        if any("/" in label or ">" in label for label in labels):
            return _train_router(args, texts, labels, started)
        model = TextClassifier().fit(texts, labels)
        path = model.save(args.output)
    except table_io.FAILURES as exc:
        return table_io.fail(NAME, exc)
    size = path.stat().st_size / 1e6
    print(
        f"trained on {len(texts):,} texts, {len(model.classes_)} categories, {model.n_features_:,} features "
        f"in {time.perf_counter() - started:.1f} s; saved {path} ({size:.1f} MB)"
    )
    print(f"level 1: {len(model.classes_)} categories; levels 2 and 3: no labels this deep")
    if model.dropped_classes_:
        print(f"left out (fewer than {model.min_examples} examples): {', '.join(model.dropped_classes_)}")
    return 0


def _train_router(args, texts: list[str], labels: list[str], started: float) -> int:
    import zlib

    from massline.core.classify.evaluation import path_codes, split_path
    from massline.core.classify.hierarchy import HierarchicalRouter

    if not 0 < args.precision <= 1:
        raise ValueError(f"--precision must lie in (0, 1], not {args.precision}")
    paths = [path_codes(split_path(label)) for label in labels]
    held = [zlib.crc32(t.encode("utf-8")) % 5 == 0 for t in texts]
    router = HierarchicalRouter(min_examples=args.min_examples, precision_target=args.precision)
    router.fit(
        [t for t, h in zip(texts, held, strict=True) if not h],
        [p for p, h in zip(paths, held, strict=True) if not h],
    )
    router.calibrate(
        [t for t, h in zip(texts, held, strict=True) if h], [p for p, h in zip(paths, held, strict=True) if h]
    )
    path = router.save(args.output)
    print(
        f"trained {router.n_models} classifiers on {len(texts) - sum(held):,} texts in "
        f"{time.perf_counter() - started:.1f} s; saved {path} ({path.stat().st_size / 1e6:.1f} MB)"
    )
    print(f"held out {sum(held):,} texts; precision target {args.precision:.0%}")
    print("level  held-out  macro-F1  threshold  routed alone  precision")
    for level, f in router.figures_.items():
        if not f.n:
            print(f"{level:>5}  {'-':>8}  (no labels this deep)")
            continue
        routed = "never" if f.threshold > 1 else f"{f.coverage:.1%}"
        precision = "-" if f.precision is None else f"{f.precision:.1%}"
        print(
            f"{level:>5}  {f.n:>8,}  {f.macro_f1:>8.4f}  {min(f.threshold, 1.0):>9.2f}  {routed:>12}  {precision:>9}"
        )
    return 0
