"""Confidence that means what it says, and the auto-route threshold that follows from a precision target.

A classifier's top probability is mapped to the chance that the suggestion is right by isotonic
regression fitted on held-out examples (texts the model never trained on). The auto-route threshold
of a level is then the lowest calibrated confidence at which the held-out suggestions at or above it
were right at least ``target`` of the time (97 % by default): below it, a request goes to a person.
The coverage/precision curve is what an administrator reads to see the price of a stricter target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEVER = 1.01  # a threshold no confidence reaches: nothing is routed without a person


@dataclass
class Calibrator:
    """A monotone map from raw top probability to the probability of being right (isotonic regression).

    With too few held-out examples (fewer than ``min_examples``) the map is the identity, and the
    threshold built on it is :data:`NEVER`: without evidence nothing routes itself."""

    xs: list[float]
    ys: list[float]
    n: int = 0

    @classmethod
    def fit(cls, raw: Sequence[float], correct: Sequence[bool], *, min_examples: int = 5) -> Calibrator:
        raw_a, ok = np.asarray(raw, dtype=float), np.asarray(correct, dtype=float)
        if len(raw_a) < min_examples:
            return cls([0.0, 1.0], [0.0, 1.0], len(raw_a))
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
        iso.fit(raw_a, ok)
        return cls([float(x) for x in iso.X_thresholds_], [float(y) for y in iso.y_thresholds_], len(raw_a))

    def __call__(self, raw: float | np.ndarray) -> np.ndarray:
        if len(self.xs) == 1:
            return np.full(np.shape(raw), self.ys[0], dtype=float)
        return np.asarray(np.interp(raw, self.xs, self.ys), dtype=float)


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    coverage: float  # share of the held-out requests at or above the threshold (routed without a person)
    precision: float  # share of those that were right


def coverage_precision_curve(
    confidence: Sequence[float] | np.ndarray, correct: Sequence[bool]
) -> list[CurvePoint]:
    """One point per distinct confidence, strictest first: what routing at or above it would have done."""
    conf, ok = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0:
        return []
    order = np.argsort(-conf, kind="stable")
    conf, ok = conf[order], ok[order]
    hits = np.cumsum(ok)
    taken = np.arange(1, len(conf) + 1)
    # the last index of each run of equal confidences: a threshold takes all of them or none
    last = np.flatnonzero(np.r_[conf[1:] != conf[:-1], True])
    return [CurvePoint(float(conf[i]), float(taken[i] / len(conf)), float(hits[i] / taken[i])) for i in last]


def threshold_for_precision(
    confidence: Sequence[float] | np.ndarray, correct: Sequence[bool], target: float, *, min_routed: int = 3
) -> float:
    """The lowest threshold whose held-out precision is at least ``target`` with at least ``min_routed``
    requests at or above it; :data:`NEVER` when no threshold reaches the target."""
    best = NEVER
    for point in coverage_precision_curve(confidence, correct):
        routed = round(point.coverage * len(confidence))
        if point.precision >= target and routed >= min_routed:
            best = point.threshold  # strictest first: the last that qualifies is the lowest
    return best


def curve_at(curve: Sequence[CurvePoint], threshold: float) -> CurvePoint | None:
    """The point of ``curve`` that a threshold selects (the lowest threshold at or above it)."""
    chosen = [p for p in curve if p.threshold >= threshold]
    return chosen[-1] if chosen else None
