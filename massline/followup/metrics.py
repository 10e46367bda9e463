"""三率 from the database: collects records and hands them to the pure functions in core.metrics."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from massline.core import metrics as core_metrics
from massline.workflow.models import AuditEvent

from .models import FollowUp

HANDOVERS = ("dispatch", "transfer", "follow_up_unsolved")


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
    them are read (those of the same requests from the month's start on), so the work is bounded by
    the month's activity rather than the whole history.
    """
    events = AuditEvent.objects.filter(action__in=[*HANDOVERS, "sign"]).exclude(request__kind="report")
    if month:
        start, end = month_bounds(month)
        in_month = AuditEvent.objects.filter(action__in=HANDOVERS, at__gte=start, at__lt=end).values(
            "request_id"
        )
        events = events.filter(at__gte=start, request_id__in=in_month)
    rows = events.order_by("request_id", "at", "id").values_list("request_id", "action", "at", "data")
    records: list[core_metrics.DispatchRecord] = []
    pending: dict[int, tuple[str, datetime, datetime]] = {}
    for req_id, action, at, data in rows.iterator(chunk_size=5000):
        at = timezone.localtime(at)
        if action in HANDOVERS:
            if req_id in pending:
                records.append(core_metrics.DispatchRecord(*pending.pop(req_id), None))
            if data and data.get("unit") and data.get("sign_due"):
                pending[req_id] = (
                    data["unit"],
                    at,
                    timezone.localtime(datetime.fromisoformat(data["sign_due"])),
                )
        elif req_id in pending:
            records.append(core_metrics.DispatchRecord(*pending.pop(req_id), at))
    records.extend(core_metrics.DispatchRecord(*p, None) for p in pending.values())
    return records


def followup_records(month: str | None = None) -> list[core_metrics.FollowUpRecord]:
    qs = FollowUp.objects.exclude(request__kind="report")
    if month:
        start, end = month_bounds(month)
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    rows = qs.values_list("unit__code", "created_at", "solved", "satisfaction")
    return [
        core_metrics.FollowUpRecord(u, timezone.localtime(at), s, sat)
        for u, at, s, sat in rows.iterator(chunk_size=5000)
    ]


def unit_ranking(
    month: str | None = None, weights: core_metrics.Weights | None = None
) -> list[core_metrics.UnitScore]:
    """The ranking for ``month`` ("YYYY-MM" in local time) or all time."""
    return core_metrics.three_rates(
        dispatch_records(), followup_records(), month, weights or core_metrics.Weights()
    )


def months_with_data() -> list[str]:
    dates = AuditEvent.objects.filter(action="dispatch").dates("at", "month", order="DESC")
    return [d.strftime("%Y-%m") for d in dates]
