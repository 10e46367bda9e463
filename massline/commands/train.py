"""``massline train FILE --text-column C --label-column L -o MODEL``: learn categories from history.

massline train ../shared/data/govmsg/messages_labeled.csv --text-column message --label-column category -o model.joblib
"""

from __future__ import annotations

import sys
import time

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
    p.add_argument("file", help="CSV or XLSX with one request per row")
    p.add_argument("--text-column", required=True, metavar="C", help="column holding the request text")
    p.add_argument("--label-column", required=True, metavar="L", help="column holding the category")
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="where to save the model")
    p.add_argument("--encoding", help="the file's encoding, if detection gets it wrong")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.core.classify import TextClassifier
    from massline.core.classify.training import labelled_examples
    from massline.core.text.tables import read_table

    progress = _say(args.quiet)
    try:
        table = read_table(args.file, encoding=args.encoding)
        texts, labels = labelled_examples(table, args.text_column, args.label_column)
        progress(
            f"read {len(table):,} rows ({table.encoding or 'xlsx'}); training on {len(texts):,} labelled texts"
        )
        started = time.perf_counter()
        model = TextClassifier().fit(texts, labels)
        path = model.save(args.output)
    except (ValueError, OSError) as exc:
        return _fail(exc)
    size = path.stat().st_size / 1e6
    print(
        f"trained on {len(texts):,} texts, {len(model.classes_)} categories, {model.n_features_:,} features "
        f"in {time.perf_counter() - started:.1f} s; saved {path} ({size:.1f} MB)"
    )
    if model.dropped_classes_:
        print(f"left out (fewer than {model.min_examples} examples): {', '.join(model.dropped_classes_)}")
    return 0


def _say(quiet: bool):
    def emit(message: str) -> None:
        if not quiet:
            print(f"[{NAME}] {message}", file=sys.stderr, flush=True)

    return emit


def _fail(exc: Exception) -> int:
    print(f"massline {NAME}: {exc}", file=sys.stderr)
    return 1
