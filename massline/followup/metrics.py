"""三率 from the database: collects records and hands them to the pure functions in core.metrics."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from massline.core import metrics as core_metrics
from massline.workflow.models import AuditEvent

from .models import FollowUp

HANDOVERS = ("dispatch", "transfer", "follow_up_unsolved")


def dispatch_records() -> list[core_metrics.DispatchRecord]:
    """One record per hand-over of a request to a unit (dispatch, transfer, reopening), with the sign
    deadline that hand-over set and when that unit signed, if it did. A unit is judged on what was in
    its hands. Misconduct reports are left out of public metrics."""
    rows = (
        AuditEvent.objects.filter(action__in=[*HANDOVERS, "sign"])
        .exclude(request__kind="report")
        .order_by("request_id", "at", "id")
        .values_list("request_id", "action", "at", "data")
    )
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


def followup_records() -> list[core_metrics.FollowUpRecord]:
    rows = FollowUp.objects.exclude(request__kind="report").values_list(
        "unit__code", "created_at", "solved", "satisfaction"
    )
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
