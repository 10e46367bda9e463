"""Routing across the whole catalogue: first level, then second and third where there is evidence.

A :class:`HierarchicalRouter` holds one :class:`TextClassifier` for the first level, and one more for
each category whose children have at least ``min_examples`` examples each (two children at least).
A text goes down the tree as long as the calibrated confidence of the next level clears that level's
threshold; where it does not, the router *backs off* to the parent and says so (the suggestion is a
level-1 or level-2 category, which the dispatcher queue shows as "level 1 only").

Confidences are calibrated per level on held-out examples (``calibrate``), and each level's threshold
comes from a precision target (:mod:`massline.core.classify.calibration`). A category without
examples can still be suggested, never auto-routed, by the catalogue's names and keywords
(:class:`NamePrior`), in either script: both sides go through ``prepare_text`` (Traditional → Simplified).

Labels are category codes; a path is the tuple of codes from the first level down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from massline.core.classify.calibration import NEVER, Calibrator, CurvePoint, coverage_precision_curve
from massline.core.classify.calibration import threshold_for_precision as _threshold
from massline.core.classify.model import TextClassifier, prepare_text
from massline.core.routing import Suggestion

FORMAT_NAME = "massline.HierarchicalRouter"
FORMAT_VERSION = 1
LEVELS = (1, 2, 3)
PRIOR_CAP = 0.5  # a name match is a hint for a person, never enough to route alone
GENERIC_NAMES = {"其他", "其它", "综合", "其他问题", "其他事项", "综合类"}


@dataclass(frozen=True)
class Node:
    """One category of the catalogue, as the router sees it."""

    code: str
    name: str
    parent: str | None
    level: int
    keywords: tuple[str, ...] = ()


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


class NamePrior:
    """Which category's name (or keyword) a text contains: the share of the name's character bigrams
    found in the text, best first. The cold-start fallback when a branch has no examples."""

    def __init__(self, nodes: Iterable[Node], *, min_score: float = 0.6):
        self.min_score = min_score
        self.entries: list[tuple[str, int, set[str]]] = []
        for node in nodes:
            for name in (node.name, *node.keywords):
                prepared = prepare_text(name).replace(" ", "")
                if len(prepared) >= 2 and prepared not in GENERIC_NAMES:
                    self.entries.append((node.code, node.level, _bigrams(prepared)))

    def best(self, text: str, *, within: set[str] | None = None) -> tuple[str, float] | None:
        """The best-matching category (deeper wins a tie), or None below ``min_score``."""
        grams = _bigrams(prepare_text(text).replace(" ", ""))
        found: tuple[float, int, str] | None = None
        for code, level, name_grams in self.entries:
            if within is not None and code not in within:
                continue
            score = len(name_grams & grams) / len(name_grams)
            if score >= self.min_score and (found is None or (score, level) > found[:2]):
                found = (score, level, code)
        return (found[2], found[0]) if found else None


@dataclass
class LevelFigures:
    n: int = 0
    macro_f1: float | None = None
    accuracy: float | None = None
    threshold: float = NEVER
    coverage: float | None = None  # of the held-out requests of this level, the share routed alone
    precision: float | None = None  # of those, the share routed right
    curve: list[CurvePoint] = field(default_factory=list)


def level_scores(
    predicted: Sequence[Sequence[str]], truth: Sequence[Sequence[str]]
) -> dict[int, LevelFigures]:
    """Macro-F1 and accuracy at each level over the examples labelled that deep (a shorter prediction
    counts as wrong at the missing levels)."""
    from sklearn.metrics import f1_score

    figures: dict[int, LevelFigures] = {}
    for level in LEVELS:
        rows = [(p, t) for p, t in zip(predicted, truth, strict=True) if len(t) >= level]
        if not rows:
            figures[level] = LevelFigures()
            continue
        true = [t[level - 1] for _, t in rows]
        pred = [p[level - 1] if len(p) >= level else "" for p, _ in rows]
        labels = sorted(set(true))
        figures[level] = LevelFigures(
            n=len(rows),
            macro_f1=float(f1_score(true, pred, labels=labels, average="macro", zero_division=0)),
            accuracy=float(np.mean([a == b for a, b in zip(true, pred, strict=True)])),
        )
    return figures


class HierarchicalRouter:
    """Suggests a category at the deepest level it is sure of (the routing ``Suggester`` protocol)."""

    def __init__(self, *, min_examples: int = 20, precision_target: float = 0.97, top_min_examples: int = 3):
        self.min_examples = min_examples
        self.precision_target = precision_target
        self.top_min_examples = top_min_examples

    # -- learning ---------------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        paths: Sequence[Sequence[str]],
        *,
        catalogue: Iterable[Node] = (),
        sample_weight: Sequence[float] | None = None,
    ) -> HierarchicalRouter:
        if len(texts) != len(paths):
            raise ValueError(f"{len(texts)} texts but {len(paths)} paths")
        self.nodes_ = {n.code: n for n in catalogue}
        self.prior_ = NamePrior(self.nodes_.values())
        self.models_: dict[str, TextClassifier] = {}
        self.levels_: dict[str, int] = {code: n.level for code, n in self.nodes_.items()}
        weights = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        tuples = [tuple(p) for p in paths]
        for path in tuples:
            for depth, code in enumerate(path, start=1):
                self.levels_.setdefault(code, depth)
        self._fit_branch("", 0, list(range(len(texts))), list(texts), tuples, weights)
        self.n_examples_ = len(texts)
        self.calibrators_: dict[int, Calibrator] = {}
        self.thresholds_: dict[int, float] = dict.fromkeys(LEVELS, NEVER)
        self.figures_: dict[int, LevelFigures] = {level: LevelFigures() for level in LEVELS}
        return self

    def _fit_branch(self, parent: str, depth: int, idx: list[int], texts, paths, weights) -> None:
        labelled = [i for i in idx if len(paths[i]) > depth]
        counts = Counter(paths[i][depth] for i in labelled)
        need = self.top_min_examples if depth == 0 else self.min_examples
        enough = sorted(code for code, n in counts.items() if n >= need)
        if len(enough) < 2:
            return  # nothing to choose between: requests stop (back off) at ``parent``
        model = TextClassifier(min_examples=need)
        model.fit([texts[i] for i in labelled], [paths[i][depth] for i in labelled], weights[labelled])
        self.models_[parent] = model
        if depth + 1 < len(LEVELS):
            for child in enough:
                self._fit_branch(child, depth + 1, [i for i in labelled if paths[i][depth] == child],
                                 texts, paths, weights)  # fmt: skip

    @property
    def n_models(self) -> int:
        return len(self.models_)

    # -- the raw walk down the tree -----------------------------------------------------------------
    def _walk(
        self, texts: Sequence[str]
    ) -> tuple[list[list[tuple[str, float]]], list[list[tuple[str, float]]]]:
        """For each text, the best child at each level with its joint raw probability, and the level-1
        alternatives (code, raw probability), best first."""
        chains: list[list[tuple[str, float]]] = [[] for _ in texts]
        firsts: list[list[tuple[str, float]]] = [[] for _ in texts]
        groups: dict[str, tuple[list[int], list[float]]] = {"": (list(range(len(texts))), [1.0] * len(texts))}
        depth = 0
        while groups:
            deeper: dict[str, tuple[list[int], list[float]]] = {}
            for parent, (idx, joint) in groups.items():
                model = self.models_.get(parent)
                if model is None or not idx:
                    continue
                proba = model.predict_proba([texts[i] for i in idx])
                best = np.argmax(proba, axis=1)
                for k, i in enumerate(idx):
                    code, p = str(model.classes_[best[k]]), joint[k] * float(proba[k, best[k]])
                    chains[i].append((code, p))
                    if depth == 0:
                        order = np.argsort(-proba[k], kind="stable")[:3]
                        firsts[i] = [(str(model.classes_[j]), float(proba[k, j])) for j in order]
                    bucket = deeper.setdefault(code, ([], []))
                    bucket[0].append(i)
                    bucket[1].append(p)
            groups, depth = deeper, depth + 1
        return chains, firsts

    def _calibrated(self, level: int, raw: float) -> float:
        calibrator = self.calibrators_.get(level)
        return float(calibrator(raw)) if calibrator is not None else raw

    def predict_paths(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The best guess at every level the model knows, without backing off (for evaluation)."""
        chains, _ = self._walk(texts)
        return [tuple(code for code, _ in chain) for chain in chains]

    # -- calibration on held-out examples -----------------------------------------------------------
    def calibrate(self, texts: Sequence[str], paths: Sequence[Sequence[str]]) -> HierarchicalRouter:
        """Fit each level's confidence map and threshold on examples the model never saw, and keep the
        per-level figures (macro-F1, accuracy, coverage and precision at the threshold, the curve)."""
        truth = [tuple(p) for p in paths]
        chains, _ = self._walk(texts)
        figures = level_scores([tuple(c for c, _ in chain) for chain in chains], truth)
        for level in LEVELS:
            rows = [(chain[level - 1], t) for chain, t in zip(chains, truth, strict=True)
                    if len(t) >= level and len(chain) >= level]  # fmt: skip
            raw = [p for (_, p), _ in rows]
            correct = [code == t[level - 1] for (code, _), t in rows]
            calibrator = Calibrator.fit(raw, correct)
            self.calibrators_[level] = calibrator
            confidence = calibrator(np.asarray(raw)) if rows else np.zeros(0)
            threshold = _threshold(confidence, correct, self.precision_target) if calibrator.n >= 5 else NEVER
            self.thresholds_[level] = threshold
            fig = figures[level]
            fig.threshold, fig.curve = threshold, coverage_precision_curve(confidence, correct)
            routed = confidence >= threshold
            if len(rows):
                fig.coverage = float(np.mean(routed))
                fig.precision = float(np.mean(np.asarray(correct)[routed])) if routed.any() else None
        self.figures_ = figures
        return self

    # -- suggesting ---------------------------------------------------------------------------------
    def level_of(self, code: str) -> int:
        return self.levels_.get(code, 1)

    def threshold_for(self, code: str) -> float:
        """The auto-route threshold of the level ``code`` sits at (calibrated confidence)."""
        return self.thresholds_.get(self.level_of(code), NEVER)

    def suggest(self, text: str, *, top: int = 3) -> list[Suggestion]:
        return self.suggest_many([text], top=top)[0]

    def suggest_many(self, texts: Sequence[str], *, top: int = 3) -> list[list[Suggestion]]:
        chains, firsts = self._walk(texts)
        out = []
        for text, chain, first in zip(texts, chains, firsts, strict=True):
            out.append(self._suggestions(text, chain, first)[:top])
        return out

    def _suggestions(self, text, chain, first) -> list[Suggestion]:
        if not chain:  # cold start: nothing learnt yet, the catalogue's names are all there is
            hint = self.prior_.best(text)
            return [Suggestion(hint[0], PRIOR_CAP * hint[1])] if hint else []
        chosen = Suggestion(chain[0][0], self._calibrated(1, chain[0][1]))
        for level, (code, raw) in enumerate(chain[1:], start=2):
            confidence = self._calibrated(level, raw)
            if confidence < self.thresholds_.get(level, NEVER):
                break  # not sure of the sub-category: back off to the parent
            chosen = Suggestion(code, confidence)
        result = [chosen]
        below = self._descendants(chosen.label)
        if below and chosen.label not in self.models_:
            # no examples below: the names of the sub-categories may still point somewhere
            hint = self.prior_.best(text, within=below)
            if hint:
                result.append(Suggestion(hint[0], min(chosen.confidence, PRIOR_CAP) * hint[1]))
        # the map was fitted on top choices: a runner-up keeps its raw probability when that is lower
        result += [Suggestion(code, min(p, self._calibrated(1, p))) for code, p in first[1:]]
        return result

    def _descendants(self, code: str) -> set[str]:
        found, frontier = set(), {code}
        while frontier:
            frontier = {n.code for n in self.nodes_.values() if n.parent in frontier}
            found |= frontier
        return found

    # -- persistence --------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        import joblib
        import sklearn

        path = Path(path)
        payload = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "sklearn": sklearn.__version__,
            "model": self,
        }
        joblib.dump(payload, path, compress=3)
        return path


def load_any(path: str | Path):
    """A model saved by ``TextClassifier.save`` or ``HierarchicalRouter.save``."""
    import joblib

    payload = joblib.load(Path(path))
    if isinstance(payload, dict) and payload.get("format") == FORMAT_NAME:
        if payload.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path} is a version {payload.get('version')} routing model; retrain it")
        return payload["model"]
    return TextClassifier.load(path)
