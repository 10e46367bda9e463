"""TextClassifier: categories for request texts, learnt from an organisation's own history.

Texts are normalised (boilerplate dropped, full-width folded, Traditional mapped to Simplified with
mainland vocabulary, lower-cased), turned into character 1-2-gram and jieba-word TF-IDF features, and
classified by a class-balanced linear SVM. Its scores are calibrated by cross-validation (Platt
scaling, ``CalibratedClassifierCV``), so ``confidence`` means what it says: of suggestions made at
0.9, about nine in ten are right. That calibrated confidence is what the dispatcher-queue threshold
compares against.
"""

from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from massline.core.classify.features import TextFeatures
from massline.core.routing import Suggestion
from massline.core.text.normalize import (
    collapse_whitespace,
    fold_width,
    remove_boilerplate,
    to_simplified_phrases,
)

FORMAT_NAME = "massline.TextClassifier"
FORMAT_VERSION = 1


def prepare_text(text: str) -> str:
    """The classifier's view of a text: no boilerplate, half-width letters, Simplified, lower case.

    Traditional goes through OpenCC tw2sp rather than t2s, so Taiwan vocabulary (計程車, 軟體) meets
    the mainland words (出租车, 软件) the training data uses.
    """
    if not text:
        return ""
    text = remove_boilerplate(text)
    # Only full-width letters, digits and spaces are folded: full-width punctuation (，！) is in
    # nearly every message and tells nothing about the category, and folding it costs a third of
    # the normalisation time.
    text = _FULL_WIDTH_ALNUM.sub(_fold, text)
    return collapse_whitespace(to_simplified_phrases(text)).lower()


_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]+")


def _fold(match: re.Match) -> str:
    return fold_width(match.group(0))


class TextClassifier(ClassifierMixin, BaseEstimator):
    """Calibrated linear classifier over character n-grams and words.

    The defaults were chosen by 5-fold CV on govmsg (docs/benchmarks/classify.md): character 1-2-grams
    beat 1-3-grams there (0.892 against 0.887 macro-F1) and are twice as fast; C=2 and a word block
    weight of 0.7 were the best of a small grid, differences among the top settings being ~0.003.
    jieba's HMM guessing of unknown words is off: it cost a third of the segmentation time and
    brought nothing (0.893 without it, 0.892 with it).

    Parameters follow scikit-learn conventions; ``fit(texts, labels)`` learns, ``predict``,
    ``predict_proba`` and ``suggest`` use what it learnt. Categories with fewer than
    ``min_examples`` examples cannot be learnt or calibrated; they are left out (``dropped_classes_``)
    and their requests will fall below any confidence threshold, into the dispatcher queue.
    """

    def __init__(
        self,
        *,
        char_ngram_range: tuple[int, int] = (1, 2),
        char_min_df: int = 2,
        word_weight: float = 0.7,
        word_hmm: bool = False,
        C: float = 2.0,
        class_weight: str | None = "balanced",
        calibration: str = "sigmoid",
        cv: int = 5,
        min_examples: int = 3,
    ):
        self.char_ngram_range = char_ngram_range
        self.char_min_df = char_min_df
        self.word_weight = word_weight
        self.word_hmm = word_hmm
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.min_examples = min_examples

    # -- learning ---------------------------------------------------------------------------------
    def fit(self, X: Iterable[str], y: Iterable[str], sample_weight: Sequence[float] | None = None):
        """Learn from ``X`` (texts) and ``y`` (labels); ``sample_weight`` weighs examples (e.g. a city's
        own dispatch decisions above a borrowed base file)."""
        texts = [prepare_text(_as_text(t)) for t in X]
        labels = np.asarray([str(label) for label in y], dtype=object)
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weights is not None and len(weights) != len(labels):
            raise ValueError(f"{len(labels)} labels but {len(weights)} weights")
        counts = Counter(labels)
        self.dropped_classes_ = sorted(c for c, n in counts.items() if n < self.min_examples)
        if self.dropped_classes_:
            keep = np.array([counts[label] >= self.min_examples for label in labels])
            texts = [t for t, k in zip(texts, keep, strict=True) if k]
            labels = labels[keep]
            weights = None if weights is None else weights[keep]
        kept = Counter(labels)
        if len(kept) < 2:
            raise ValueError(
                f"need at least two categories with {self.min_examples} or more examples each; "
                f"got {dict(counts)}"
            )
        started = time.perf_counter()
        self.features_ = TextFeatures(
            char_ngram_range=tuple(self.char_ngram_range),
            char_min_df=self.char_min_df,
            word_weight=self.word_weight,
            word_hmm=self.word_hmm,
        )
        matrix = self.features_.fit_transform(texts)
        svm = LinearSVC(C=self.C, class_weight=self.class_weight)
        folds = min(self.cv, min(kept.values()))
        self.estimator_ = CalibratedClassifierCV(svm, method=self.calibration, cv=folds, ensemble=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            self.estimator_.fit(matrix, labels.astype(str), sample_weight=weights)
        self.classes_ = self.estimator_.classes_
        self.n_features_ = self.features_.n_features_
        self.fit_seconds_ = time.perf_counter() - started
        return self

    # -- using ------------------------------------------------------------------------------------
    def _matrix(self, X: Iterable[str]):
        check_is_fitted(self, "estimator_")
        return self.features_.transform([prepare_text(_as_text(t)) for t in X])

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, one column per entry of ``classes_``."""
        return self.estimator_.predict_proba(self._matrix(X))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def predict_with_confidence(self, X: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(labels, confidences)``: the top category of each text and its calibrated probability."""
        proba = self.predict_proba(X)
        best = np.argmax(proba, axis=1)
        return self.classes_[best], proba[np.arange(len(best)), best]

    def suggest(self, text: str, *, top: int = 3) -> list[Suggestion]:
        """The ``top`` categories for one text, best first (the routing ``Suggester`` protocol)."""
        proba = self.predict_proba([text])[0]
        order = np.argsort(-proba, kind="stable")[:top]
        return [Suggestion(str(self.classes_[i]), float(proba[i])) for i in order]

    def suggest_many(self, texts: Sequence[str], *, top: int = 3) -> list[list[Suggestion]]:
        """``suggest`` for a batch: one matrix product instead of one per text."""
        proba = self.predict_proba(texts)
        order = np.argsort(-proba, axis=1, kind="stable")[:, :top]
        return [
            [Suggestion(str(self.classes_[i]), float(row[i])) for i in idx]
            for row, idx in zip(proba, order, strict=True)
        ]

    # -- persistence ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model (joblib, compressed, with a format version) and return the path."""
        import joblib
        import sklearn

        check_is_fitted(self, "estimator_")
        path = Path(path)
        payload = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "sklearn": sklearn.__version__,
            "model": self,
        }
        joblib.dump(payload, path, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        """Read a model written by :meth:`save`; refuses files of another format or version."""
        import joblib

        payload = joblib.load(Path(path))
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
            raise ValueError(f"{path} is not a massline text classifier model")
        if payload.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"{path} is a version {payload.get('version')} model; this massline reads version "
                f"{FORMAT_VERSION}. Train it again with `massline train`."
            )
        return payload["model"]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value)
