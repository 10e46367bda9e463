"""The 三率 read from the rollups: a handful of summed rows instead of the whole audit trail. The rates
themselves come from ``core.metrics.score_units``, the same function the Python computation ends in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Sum

from massline.core import metrics as core_metrics

from .apply import COUNTS
from .models import UnitMonthRollup


def _score(unit: str, row: Mapping[str, Any]) -> core_metrics.UnitScore:
    return core_metrics.UnitScore(
        unit=unit,
        dispatched=row["dispatched"] or 0,
        signed_in_time=row["signed_in_time"] or 0,
        followed_up=row["followed_up"] or 0,
        solved=row["solved"] or 0,
        satisfaction_counts={level: row[level] or 0 for level in core_metrics.SATISFACTION_LEVELS},
    )


def _sums():
    return {c: Sum(c) for c in COUNTS}


def unit_counts(month: str | None = None) -> list[core_metrics.UnitScore]:
    """Each unit's counts for ``month`` ("YYYY-MM") or all time (the sum of its months), unscored."""
    qs = UnitMonthRollup.objects.all()
    if month:
        qs = qs.filter(month=month)
    rows = qs.values("unit").annotate(**_sums()).order_by()
    return [_score(row["unit"], row) for row in rows]


def unit_scores(
    month: str | None = None, weights: core_metrics.Weights | None = None, min_dispatched: int = 0
) -> list[core_metrics.UnitScore]:
    """The ranking for ``month`` or all time, best first (as ``core.metrics.three_rates`` ranks)."""
    return core_metrics.score_units(unit_counts(month), weights or core_metrics.Weights(), min_dispatched)


def city_by_month(
    months: list[str] | None = None, weights: core_metrics.Weights | None = None, unit: str = "*"
) -> dict[str, core_metrics.UnitScore]:
    """The city-wide score of each month (all units pooled under the pseudo-unit ``unit``)."""
    qs = UnitMonthRollup.objects.all()
    if months is not None:
        qs = qs.filter(month__in=months)
    rows = qs.values("month").annotate(**_sums()).order_by("month")
    scored = {}
    for row in rows:
        (score,) = core_metrics.score_units([_score(unit, row)], weights or core_metrics.Weights())
        scored[row["month"]] = score
    return scored


def satisfaction_counts(month: str | None = None) -> dict[str, int]:
    """City-wide follow-ups per satisfaction level, for ``month`` or all time."""
    qs = UnitMonthRollup.objects.all()
    if month:
        qs = qs.filter(month=month)
    sums = qs.aggregate(**{level: Sum(level) for level in core_metrics.SATISFACTION_LEVELS})
    return {level: sums[level] or 0 for level in core_metrics.SATISFACTION_LEVELS}


def months() -> list[str]:
    """The months with hand-overs (misconduct reports aside), newest first: the months a ranking exists for."""
    rows = (
        UnitMonthRollup.objects.values("month")
        .annotate(d=Sum("dispatched"))
        .filter(d__gt=0)
        .order_by("-month")
    )
    return [row["month"] for row in rows]
