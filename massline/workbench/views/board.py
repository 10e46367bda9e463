"""督辦: the supervision board, the deadline sweep and resolving supervisions."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from massline.core.workflow import WorkflowError
from massline.workflow.actions import sweep_overdue
from massline.workflow.models import Request, Supervision

from ..access import ADMIN, SUPERVISOR, staff_required
from ..actions import resolve_supervision
from .common import error_text
from .queues import overdue_q

REASONS = Supervision.REASONS


@staff_required(SUPERVISOR, ADMIN)
def supervision_board(request):
    now = timezone.now()
    open_sups = Supervision.objects.filter(resolved_at__isnull=True).exclude(request__kind="report")
    by_unit: dict[str, dict] = defaultdict(
        lambda: {"reasons": dict.fromkeys(r for r, _l in REASONS), "total": 0}
    )
    for unit_name, unit_code, reason, n in (
        open_sups.values_list("unit__name", "unit__code", "reason")
        .annotate(n=Count("id"))
        .order_by("unit__name")
    ):
        row = by_unit[unit_name or _("(no unit)")]
        row["code"] = unit_code
        row["reasons"][reason] = n
        row["total"] += n
    overdue = dict(
        Request.objects.filter(overdue_q(now))
        .exclude(kind="report")
        .values_list("unit__name")
        .annotate(n=Count("id"))
        .values_list("unit__name", "n")
    )
    for name, n in overdue.items():
        by_unit[name or _("(no unit)")]["overdue"] = n
    summary = sorted(by_unit.items(), key=lambda kv: (-kv[1]["total"], -kv[1].get("overdue", 0), kv[0]))

    listing = open_sups.select_related("request", "unit").order_by("created_at", "id")
    unit_code, reason = request.GET.get("unit", ""), request.GET.get("reason", "")
    if unit_code:
        listing = listing.filter(unit__code=unit_code)
    if reason:
        listing = listing.filter(reason=reason)
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    resolved = Supervision.objects.filter(resolved_at__isnull=False).exclude(request__kind="report")
    return render(
        request,
        "workbench/supervision.html",
        {
            "summary": summary,
            "reasons": REASONS,
            "page": page,
            "unit_code": unit_code,
            "reason": reason,
            "open_total": open_sups.count(),
            "overdue_total": sum(overdue.values()),
            "recently_resolved": list(
                resolved.select_related("request", "unit").order_by("-resolved_at")[:10]
            ),
            "now": now,
            "nav": "supervision",
        },
    )


@require_POST
@staff_required(SUPERVISOR, ADMIN)
def run_sweep(request):
    created = sweep_overdue()
    if created:
        messages.success(
            request,
            ngettext(
                "The sweep raised %(n)d new supervision.",
                "The sweep raised %(n)d new supervisions.",
                len(created),
            )
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("The sweep found nothing new: every overdue request is already supervised."))
    return redirect("workbench:supervision")


@require_POST
@staff_required(SUPERVISOR, ADMIN)
def resolve(request, pk):
    sup = get_object_or_404(
        Supervision.objects.select_related("request").exclude(request__kind="report"), pk=pk
    )
    try:
        resolve_supervision(sup, request.user, note=request.POST.get("note", ""))
    except WorkflowError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Supervision of %(ref)s resolved.") % {"ref": sup.request.reference})
    return redirect("workbench:supervision")
