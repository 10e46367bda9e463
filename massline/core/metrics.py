"""The three rates (三率) and the composite ranking, as pure functions.

Definitions (per unit, per month; a request counts in the month it was dispatched or followed up):

- **response rate** = requests signed for by their sign deadline / requests dispatched to the unit;
- **resolution rate** = follow-ups that say "solved" / follow-ups;
- **satisfaction rate** = (satisfied + basically satisfied × ``basic_weight``) / follow-ups, with
  ``basic_weight`` 0.8 by default (:func:`satisfaction_rate`; the one definition, used by the ranking,
  the public headline figures, the dashboard, the monthly report and ``massline metrics``);
- **composite** = 100 × (w_response × response + w_resolution × resolution + w_satisfaction × satisfaction),
  weights 30/35/35 by default. A unit with no follow-ups in the month has no resolution or
  satisfaction rate; its composite then uses the response rate alone, and it is flagged.
- **minimum volume**: a unit with fewer than ``min_dispatched`` hand-overs in the period is not ranked
  (one request handled well would otherwise put it first); its rates are still computed, and it is
  listed apart as having too few requests to rank (``UnitScore.too_few``).

Worked example. Unit A had 10 requests dispatched in March; 8 were signed in time. It had 5
follow-ups: 4 solved; 3 satisfied, 1 basically satisfied, 1 dissatisfied. With basic_weight 0.8:
response 0.8, resolution 0.8, satisfaction (3 + 0.8)/5 = 0.76, composite
100 × (0.30·0.8 + 0.35·0.8 + 0.35·0.76) = 78.6.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

SATISFIED, BASIC, DISSATISFIED = "satisfied", "basically", "dissatisfied"
SATISFACTION_LEVELS = (SATISFIED, BASIC, DISSATISFIED)
DEFAULT_BASIC_WEIGHT = 0.8
DEFAULT_MIN_DISPATCHED = 10


def satisfaction_rate(counts: Mapping[str, int], basic_weight: float = DEFAULT_BASIC_WEIGHT) -> float | None:
    """(satisfied + basically satisfied × ``basic_weight``) / all follow-ups, or None without follow-ups.

    ``counts`` maps satisfaction levels to numbers of follow-ups; an unknown level is an error."""
    unknown = set(counts) - set(SATISFACTION_LEVELS)
    if unknown:
        raise ValueError(f"unknown satisfaction {sorted(unknown)!r}; use one of {SATISFACTION_LEVELS}")
    total = sum(counts.values())
    if not total:
        return None
    return (counts.get(SATISFIED, 0) + counts.get(BASIC, 0) * basic_weight) / total


@dataclass(frozen=True)
class Weights:
    response: float = 0.30
    resolution: float = 0.35
    satisfaction: float = 0.35
    basic_weight: float = DEFAULT_BASIC_WEIGHT  # how much "basically satisfied" counts towards satisfaction

    def __post_init__(self):
        total = self.response + self.resolution + self.satisfaction
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"the three weights must add up to 1 (they add up to {total:g})")
        if not 0 <= self.basic_weight <= 1:
            raise ValueError("basic_weight must be between 0 and 1")


@dataclass(frozen=True)
class DispatchRecord:
    unit: str
    dispatched_at: datetime
    sign_due: datetime
    signed_at: datetime | None


@dataclass(frozen=True)
class FollowUpRecord:
    unit: str
    at: datetime
    solved: bool
    satisfaction: str


@dataclass
class UnitScore:
    unit: str
    dispatched: int = 0
    signed_in_time: int = 0
    followed_up: int = 0
    solved: int = 0
    satisfaction_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SATISFACTION_LEVELS, 0))
    response_rate: float | None = None
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    composite: float | None = None
    rank: int | None = None
    partial: bool = False  # composite computed without follow-ups
    too_few: bool = False  # fewer hand-overs than the ranking's minimum: listed apart, not ranked


def _month(dt: datetime, month: str | None) -> bool:
    return month is None or dt.strftime("%Y-%m") == month


def three_rates(
    dispatches: Iterable[DispatchRecord],
    followups: Iterable[FollowUpRecord],
    month: str | None = None,
    weights: Weights = Weights(),
    min_dispatched: int = 0,
) -> list[UnitScore]:
    """Scores per unit for ``month`` ("YYYY-MM", or None for all time), ranked best first.

    Units with fewer than ``min_dispatched`` hand-overs in the period come last, unranked, with
    ``too_few`` set."""
    if min_dispatched < 0:
        raise ValueError(f"min_dispatched must be 0 or more, not {min_dispatched}")
    scores: dict[str, UnitScore] = defaultdict(lambda: UnitScore(unit=""))

    def get(unit: str) -> UnitScore:
        s = scores[unit]
        s.unit = unit
        return s

    for d in dispatches:
        if not _month(d.dispatched_at, month):
            continue
        s = get(d.unit)
        s.dispatched += 1
        if d.signed_at is not None and d.signed_at <= d.sign_due:
            s.signed_in_time += 1
    for f in followups:
        if not _month(f.at, month):
            continue
        if f.satisfaction not in SATISFACTION_LEVELS:
            raise ValueError(f"unknown satisfaction {f.satisfaction!r}; use one of {SATISFACTION_LEVELS}")
        s = get(f.unit)
        s.followed_up += 1
        s.solved += bool(f.solved)
        s.satisfaction_counts[f.satisfaction] += 1
    return score_units(scores.values(), weights, min_dispatched)


def score_units(
    counts: Iterable[UnitScore], weights: Weights = Weights(), min_dispatched: int = 0
) -> list[UnitScore]:
    """Rates, composite and rank from each unit's counts (``dispatched``, ``signed_in_time``,
    ``followed_up``, ``solved``, ``satisfaction_counts``), best first: the one place the rates are
    defined. ``three_rates`` counts records and calls it; the rollup tables (massline.rollups) hold the
    counts already and call it too. The scores given are filled in place."""
    if min_dispatched < 0:
        raise ValueError(f"min_dispatched must be 0 or more, not {min_dispatched}")
    scores = list(counts)
    for s in scores:
        s.response_rate = s.signed_in_time / s.dispatched if s.dispatched else None
        s.resolution_rate = s.satisfaction_rate = None
        if s.followed_up:
            s.resolution_rate = s.solved / s.followed_up
            s.satisfaction_rate = satisfaction_rate(s.satisfaction_counts, weights.basic_weight)
        parts = [
            (weights.response, s.response_rate),
            (weights.resolution, s.resolution_rate),
            (weights.satisfaction, s.satisfaction_rate),
        ]
        present = [(w, r) for w, r in parts if r is not None]
        s.composite, s.partial = None, False
        if present:
            total_w = sum(w for w, _ in present)
            s.composite = round(100 * sum(w * r for w, r in present) / total_w, 2)
            s.partial = len(present) < 3
        s.too_few = s.dispatched < min_dispatched
    ranked = sorted(scores, key=lambda s: (s.too_few, s.composite is None, -(s.composite or 0), s.unit))
    for i, s in enumerate(ranked, 1):
        s.rank = i if s.composite is not None and not s.too_few else None
    return ranked


def split_ranking(scores: Iterable[UnitScore]) -> tuple[list[UnitScore], list[UnitScore]]:
    """(the ranked units, the units with too few requests to rank), each in the order given."""
    scores = list(scores)
    return [s for s in scores if not s.too_few], [s for s in scores if s.too_few]


def format_table(
    scores: list[UnitScore], names: dict[str, str] | None = None, min_dispatched: int | None = None
) -> str:
    """A plain-text ranking table for the terminal; units with too few requests follow, apart."""
    names = names or {}
    ranked, too_few = split_ranking(scores)

    def pct(x):
        return "   —  " if x is None else f"{100 * x:5.1f}%"

    rows = [
        f"{'#':>3}  {'unit':<24} {'disp':>5} {'resp':>7} {'f-up':>5} {'resol':>7} {'satis':>7} {'score':>7}"
    ]

    def row(s: UnitScore) -> str:
        name = names.get(s.unit, s.unit)
        pad = 24 - sum(2 if ord(ch) > 0x2E80 else 1 for ch in name) + len(name)
        return (
            f"{s.rank or '-':>3}  {name:<{max(pad, 1)}} {s.dispatched:>5} {pct(s.response_rate):>7} "
            f"{s.followed_up:>5} {pct(s.resolution_rate):>7} {pct(s.satisfaction_rate):>7} "
            f"{'—' if s.composite is None else f'{s.composite:.1f}':>7}{' *' if s.partial else ''}"
        )

    rows.extend(row(s) for s in ranked)
    if too_few:
        fewer = f" (fewer than {min_dispatched} hand-overs)" if min_dispatched is not None else ""
        rows.append("")
        rows.append(f"Too few requests to rank{fewer}:")
        rows.extend(row(s) for s in too_few)
    return "\n".join(rows)
