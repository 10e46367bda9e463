"""督辦: the supervision board, the deadline sweep and resolving supervisions."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from massline.accounts.permissions import visible_requests
from massline.core.workflow import REPORT_KIND, WorkflowError
from massline.workflow import keyset
from massline.workflow.actions import sweep_overdue
from massline.workflow.models import KINDS, Request, Supervision

from ..access import ADMIN, SUPERVISOR, staff_required
from ..actions import resolve_supervision
from ..filters import RequestFilterForm, current_due_expression, export_or_none, filter_requests
from .common import error_text
from .queues import overdue_q, sort_keys

REASONS = Supervision.REASONS
PAGE_SIZE = 20
SUMMARY_ROWS = 10  # the units with the most open supervisions; the others fold away
NON_REPORT_KINDS = tuple(k for k, _label in KINDS if k != REPORT_KIND)


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

    # The open supervisions of the requests that pass the filters (the unit filter takes the unit's
    # whole branch), sorted by their request; a reason from the summary table narrows them further.
    form = RequestFilterForm(request.GET, kinds=NON_REPORT_KINDS, default_sort="due")
    requests = filter_requests(
        visible_requests(request.user, Request.objects.exclude(kind=REPORT_KIND)), form, now
    )
    reason = request.GET.get("reason", "")
    if reason not in dict(REASONS):
        reason = ""
    listing = open_sups.filter(request__in=requests.order_by().values("pk"))
    if reason:
        listing = listing.filter(reason=reason)
    if (
        download := export_or_none(
            request, requests.filter(pk__in=listing.values("request_id")), "supervision"
        )
    ) is not None:
        return download
    listing = listing.select_related("request", "unit").annotate(
        current_due=current_due_expression("request__")
    )
    # keyset over the request's sort, then the supervision's own (created_at, id) as ``ordering`` had it
    order = sort_keys(form, "request__", then=("created_at", "id"))
    page = keyset.KeysetPage(listing, order, PAGE_SIZE, request.GET, scope=f"board:{form.sort_key()}")
    resolved = Supervision.objects.filter(resolved_at__isnull=False).exclude(request__kind="report")
    return render(
        request,
        "workbench/supervision.html",
        {
            "summary": summary,
            "reasons": REASONS,
            "page": page,
            "filters": form,
            "keep": [("reason", reason)],
            "reason": reason,
            "summary_top": summary[:SUMMARY_ROWS],
            "summary_more": summary[SUMMARY_ROWS:],
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
