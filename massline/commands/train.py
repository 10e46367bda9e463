"""``massline train FILE --text-column C --label-column L -o MODEL``: learn categories from history.

massline train ../shared/data/govmsg/messages_labeled.csv --text-column message --label-column category -o model.joblib
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
    table_io.add_reading_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.classify import TextClassifier

    progress = table_io.progress_printer(NAME, args.quiet)
    try:
        table, texts, labels = table_io.read_labelled(args)
        progress(f"{table_io.rows_read(table)}; training on {len(texts):,} labelled texts")
        started = time.perf_counter()
        model = TextClassifier().fit(texts, labels)
        path = model.save(args.output)
    except table_io.FAILURES as exc:
        return table_io.fail(NAME, exc)
    size = path.stat().st_size / 1e6
    print(
        f"trained on {len(texts):,} texts, {len(model.classes_)} categories, {model.n_features_:,} features "
        f"in {time.perf_counter() - started:.1f} s; saved {path} ({size:.1f} MB)"
    )
    if model.dropped_classes_:
        print(f"left out (fewer than {model.min_examples} examples): {', '.join(model.dropped_classes_)}")
    return 0
