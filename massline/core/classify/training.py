"""Training and loading from files: what the commands and the web app call."""

from __future__ import annotations

from pathlib import Path

from massline.core.classify.model import TextClassifier
from massline.core.text.tables import Table, TableError, read_table


def table_texts(table: Table, spec: str) -> list[str]:
    """The text column ``spec``; "title+body" joins columns when no column has that literal name."""
    if spec in table.columns or "+" not in spec:
        return table.column(spec)
    parts = [table.column(name.strip()) for name in spec.split("+")]
    return ["\n".join(cells).strip() for cells in zip(*parts, strict=True)]


def labelled_examples(table: Table, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    """Texts and labels from a table, skipping rows whose text or label is blank."""
    labels = table.column(label_column)
    texts = table_texts(table, text_column)
    pairs = [(t, lab.strip()) for t, lab in zip(texts, labels, strict=True) if t.strip() and lab.strip()]
    if not pairs:
        raise TableError(
            f"{table.source} has no row with both a {text_column!r} text and a {label_column!r} label"
        )
    return [t for t, _ in pairs], [lab for _, lab in pairs]


def train_from_csv(
    path: str | Path, text_column: str, label_column: str, *, encoding: str | None = None, **params
) -> TextClassifier:
    """Train a :class:`TextClassifier` on a CSV or XLSX export (encoding detected).

    ``params`` go to the estimator, e.g. ``train_from_csv(p, "message", "category", C=0.5)``.
    """
    table = read_table(path, encoding=encoding)
    texts, labels = labelled_examples(table, text_column, label_column)
    return TextClassifier(**params).fit(texts, labels)


def load_model(path: str | Path) -> TextClassifier:
    return TextClassifier.load(path)
