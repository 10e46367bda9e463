"""三率 from the database. The pages read the counts kept in the rollup tables (``massline.rollups``,
updated by the event hook in the same transaction as each change); the records below (one per hand-over,
one per follow-up) are the computation from the audit trail itself, which the rollups are rebuilt from
and checked against. Both end in ``core.metrics.score_units``: one definition of each rate."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from massline.core import metrics as core_metrics
from massline.core.workflow import FIRST_CONTACT_ACTION, HANDOVERS, REPORT_KIND
from massline.rollups import read as rollups
from massline.workflow.models import AuditEvent, Request

from .models import FollowUp


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The local-time start of ``month`` ("YYYY-MM") and of the month after it."""
    year, mon = map(int, month.split("-"))
    start = timezone.make_aware(datetime(year, mon, 1))
    end = timezone.make_aware(datetime(year + mon // 12, mon % 12 + 1, 1))
    return start, end


def dispatch_records(month: str | None = None) -> list[core_metrics.DispatchRecord]:
    """One record per hand-over of a request to a unit (dispatch, transfer, reopening), with the sign
    deadline that hand-over set and when that unit signed, if it did. A unit is judged on what was in
    its hands. Misconduct reports are left out of public metrics.

    With ``month``, only that month's hand-overs are returned, and only the events that can decide
    them are read (those of the same requests from the month's start on: a hand-over on the 31st may
    be signed on the 1st), so the work is bounded by the month's activity rather than the whole history.
    """
    events = AuditEvent.objects.filter(action__in=[*HANDOVERS, "sign"]).exclude(request__kind="report")
    if month:
        start, end = month_bounds(month)
        in_month = AuditEvent.objects.filter(action__in=HANDOVERS, at__gte=start, at__lt=end).values(
            "request_id"
        )
        events = events.filter(at__gte=start, request_id__in=in_month)
    rows = events.order_by("request_id", "at", "id").values_list("request_id", "action", "at", "data")
    pending: dict[int, tuple[str, datetime, datetime]] = {}
    records = [r for _req, r in pair_handovers(rows.iterator(chunk_size=5000), pending)]
    records.extend(core_metrics.DispatchRecord(*p, None) for p in pending.values())
    if month:  # later hand-overs of the same requests were read only to decide this month's
        records = [r for r in records if start <= r.dispatched_at < end]
    return records


def pair_handovers(
    rows: Iterable[tuple[int, str, datetime, dict | None]], pending: dict[int, tuple[str, datetime, datetime]]
) -> Iterator[tuple[int, core_metrics.DispatchRecord]]:
    """The hand-overs decided by ``rows`` (request id, action, at, data; ordered by request, time, id),
    each with its request's id: each one ends at the request's next signature (signed then) or next
    hand-over (not signed). Those still open at the end are left in ``pending`` (request id → unit, at,
    sign deadline)."""
    for req_id, action, at, data in rows:
        at = timezone.localtime(at)
        if action in HANDOVERS:
            if req_id in pending:
                yield req_id, core_metrics.DispatchRecord(*pending.pop(req_id), None)
            if data and data.get("unit") and data.get("sign_due"):
                pending[req_id] = (
                    data["unit"],
                    at,
                    timezone.localtime(datetime.fromisoformat(data["sign_due"])),
                )
        elif req_id in pending:
            yield req_id, core_metrics.DispatchRecord(*pending.pop(req_id), at)


def _followups(month: str | None):
    qs = FollowUp.objects.exclude(request__kind="report")
    if month:
        start, end = month_bounds(month)
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    return qs


def followup_records(month: str | None = None) -> list[core_metrics.FollowUpRecord]:
    """One record per follow-up (in ``month`` when given), misconduct reports left out."""
    rows = _followups(month).values_list("unit__code", "created_at", "solved", "satisfaction")
    return [
        core_metrics.FollowUpRecord(u, timezone.localtime(at), s, sat)
        for u, at, s, sat in rows.iterator(chunk_size=5000)
    ]


def satisfaction_counts(month: str | None = None) -> dict[str, int]:
    """City-wide follow-ups per satisfaction level (in ``month`` when given), from the rollups."""
    return rollups.satisfaction_counts(month)


def city_satisfaction_rate(
    month: str | None = None, weights: core_metrics.Weights | None = None
) -> float | None:
    """The city-wide satisfaction rate, by the same definition as each unit's in the ranking."""
    basic_weight = (weights or core_metrics.Weights()).basic_weight
    return core_metrics.satisfaction_rate(satisfaction_counts(month), basic_weight)


def ranking_min_dispatched() -> int:
    """The fewest hand-overs a unit needs in the period to be ranked (MASSLINE_RANKING_MIN_DISPATCHED)."""
    return int(getattr(settings, "MASSLINE_RANKING_MIN_DISPATCHED", core_metrics.DEFAULT_MIN_DISPATCHED))


def unit_ranking(
    month: str | None = None,
    weights: core_metrics.Weights | None = None,
    min_dispatched: int | None = None,
) -> list[core_metrics.UnitScore]:
    """The ranking for ``month`` ("YYYY-MM" in local time) or all time, from the rollups. Units with fewer
    than ``min_dispatched`` hand-overs (default: the MASSLINE_RANKING_MIN_DISPATCHED setting) come last,
    unranked, marked ``too_few``."""
    return rollups.unit_scores(
        month,
        weights or core_metrics.Weights(),
        ranking_min_dispatched() if min_dispatched is None else min_dispatched,
    )


def unit_ranking_from_events(
    month: str | None = None,
    weights: core_metrics.Weights | None = None,
    min_dispatched: int | None = None,
) -> list[core_metrics.UnitScore]:
    """The same ranking computed from the audit trail and the follow-ups (only that month's hand-overs
    and follow-ups are read): what the rollups must equal."""
    return core_metrics.three_rates(
        dispatch_records(month),
        followup_records(month),
        month,
        weights or core_metrics.Weights(),
        ranking_min_dispatched() if min_dispatched is None else min_dispatched,
    )


def months_with_data() -> list[str]:
    dates = AuditEvent.objects.filter(action="dispatch").dates("at", "month", order="DESC")
    return [d.strftime("%Y-%m") for d in dates]


# --- 一次辦結率: resolved at first contact -------------------------------------------------------------

HOTLINE_CHANNEL = "hotline"


@dataclass(frozen=True)
class FirstContactMonth:
    month: str  # "YYYY-MM", local time
    received: int  # hotline requests received in the month
    answered: int  # of those, answered on the call (直接答復) and so closed at first contact

    @property
    def rate(self) -> float | None:
        return self.answered / self.received if self.received else None


def _month_of(moment) -> str:
    return f"{timezone.localtime(moment) if timezone.is_aware(moment) else moment:%Y-%m}"


def answered_on_call(qs):
    """The one rule of 一次辦結: requests closed by the answer-on-the-call action (its audit event)."""
    return qs.filter(
        Exists(AuditEvent.objects.filter(request_id=OuterRef("pk"), action=FIRST_CONTACT_ACTION))
    )


def first_contact_rates(months: int | None = None) -> list[FirstContactMonth]:
    """一次辦結率 per month, oldest first (the last ``months`` with hotline requests when given): hotline
    requests received in the month that were answered on the call / hotline requests received in the month.
    Misconduct reports are left out, as from every public figure."""
    hotline = Request.objects.filter(channel=HOTLINE_CHANNEL).exclude(kind=REPORT_KIND)

    def per_month(qs) -> dict[str, int]:
        rows = qs.annotate(m=TruncMonth("received_at")).values("m").annotate(n=Count("id")).order_by()
        return {_month_of(r["m"]): r["n"] for r in rows if r["m"] is not None}

    received, answered = per_month(hotline), per_month(answered_on_call(hotline))
    keys = sorted(received)[-months:] if months else sorted(received)
    return [FirstContactMonth(m, received[m], answered.get(m, 0)) for m in keys]
