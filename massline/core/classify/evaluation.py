"""Cross-validated evaluation of the classifier: macro-F1, a per-class table, a confusion matrix."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from massline.core.classify.model import TextClassifier


@dataclass
class Evaluation:
    labels: list[str]
    macro_f1: float
    accuracy: float
    per_class: list[dict]  # label, precision, recall, f1, support
    confusion: np.ndarray  # rows: true label, columns: predicted label, in ``labels`` order
    predictions: np.ndarray
    folds: int

    def table(self) -> str:
        """The per-class table as aligned text (CJK characters count as two columns)."""
        width = max(len("category"), *(_display_width(r["label"]) for r in self.per_class)) + 2
        lines = [f"{'category':<{width}}precision  recall      f1  support"]
        for r in self.per_class:
            pad = width - _display_width(r["label"])
            lines.append(
                f"{r['label']}{' ' * pad}{r['precision']:>9.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}{r['support']:>9d}"
            )
        return "\n".join(lines)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    **params,
) -> Evaluation:
    """Stratified k-fold cross-validation of :class:`TextClassifier` (``params`` go to it)."""
    from sklearn.model_selection import StratifiedKFold

    X = np.asarray(list(texts), dtype=object)
    y = np.asarray([str(v) for v in labels], dtype=object)
    # Categories rarer than the number of folds are kept: they count against the score, as they
    # would in production (the model leaves them out and such requests go to the dispatcher).
    folds = max(2, min(folds, len(y)))
    predictions = np.empty(len(y), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        splits = list(splitter.split(X, y))
    for i, (train, test) in enumerate(splits, start=1):
        if progress:
            progress(f"fold {i}/{folds}: training on {len(train):,} texts, testing on {len(test):,}")
        model = TextClassifier(**params).fit(X[train], y[train])
        predictions[test] = model.predict(X[test])
    return _evaluation(y, predictions, folds)


def split_path(label: str) -> tuple[str, ...]:
    """A label naming a catalogue path ("城乡建设/安全生产/事故处理", also with " > ") → its levels."""
    return tuple(part.strip() for part in re.split(r"\s*(?:/|>)\s*", label) if part.strip())


def path_codes(path: Sequence[str]) -> tuple[str, ...]:
    """Unique codes for the levels of a path: the names joined down to each level."""
    return tuple("/".join(path[: k + 1]) for k in range(len(path)))


def cross_validate_levels(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    min_examples: int = 20,
    progress: Callable[[str], None] | None = None,
) -> tuple[Evaluation, dict]:
    """Cross-validation of the hierarchical router on path labels: the level-1 evaluation (table and
    confusion matrix) and the figures of every level (macro-F1 and accuracy of the best guess)."""
    from sklearn.model_selection import StratifiedKFold

    from massline.core.classify.hierarchy import HierarchicalRouter, level_scores

    paths = [path_codes(split_path(str(lab))) for lab in labels]
    X = np.asarray(list(texts), dtype=object)
    top = np.asarray([p[0] for p in paths], dtype=object)
    folds = max(2, min(folds, len(top)))
    predicted: list[tuple[str, ...]] = [()] * len(paths)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(X, top))
    for i, (train, test) in enumerate(splits, start=1):
        if progress:
            progress(f"fold {i}/{folds}: training on {len(train):,} texts, testing on {len(test):,}")
        router = HierarchicalRouter(min_examples=min_examples).fit(list(X[train]), [paths[j] for j in train])
        for j, path in zip(test, router.predict_paths(list(X[test])), strict=True):
            predicted[j] = path
    first = np.asarray([p[0] if p else "" for p in predicted], dtype=object)
    return _evaluation(top, first, folds), level_scores(predicted, paths)


def _evaluation(y: np.ndarray, predictions: np.ndarray, folds: int) -> Evaluation:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    order = sorted(set(y))
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predictions, labels=order, zero_division=0
    )
    per_class = [
        {"label": lab, "precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for lab, p, r, f, s in zip(order, precision, recall, f1, support, strict=True)
    ]
    return Evaluation(
        labels=order,
        macro_f1=float(f1_score(y, predictions, labels=order, average="macro", zero_division=0)),
        accuracy=float(accuracy_score(y, predictions)),
        per_class=per_class,
        confusion=confusion_matrix(y, predictions, labels=order),
        predictions=predictions,
        folds=folds,
    )


# Fonts with CJK glyphs, tried in order; matplotlib falls back per glyph through the list.
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK TC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
             "Heiti TC", "SimHei", "DejaVu Sans"]  # fmt: skip


def plot_confusion(evaluation: Evaluation, path: str | Path, *, title: str | None = None) -> Path:
    """Save the confusion matrix (row-normalised colours, raw counts printed) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = evaluation.labels, evaluation.confusion
    n = len(labels)
    size = max(5.0, 0.55 * n + 2.5)
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [name for name in CJK_FONTS if name in installed] or ["DejaVu Sans"]
    with plt.rc_context({"font.family": fonts}):
        fig, ax = plt.subplots(figsize=(size + 1, size), dpi=110)
        rows = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, rows, out=np.zeros(matrix.shape, dtype=float), where=rows > 0)
        image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(n), labels, rotation=45, ha="right")
        ax.set_yticks(range(n), labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        if n <= 30:
            for i in range(n):
                for j in range(n):
                    if matrix[i, j]:
                        colour = "white" if share[i, j] > 0.6 else "black"
                        ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8, color=colour)
        ax.set_title(
            title
            or f"{evaluation.folds}-fold CV, macro-F1 {evaluation.macro_f1:.3f}, accuracy {evaluation.accuracy:.3f}"
        )
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of the true category")
        fig.tight_layout()
        path = Path(path)
        fig.savefig(path)
        plt.close(fig)
    return path
