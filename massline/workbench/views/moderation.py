"""Held for review: the queue of requests whose text still looked personal after redaction (or every new
request, when MASSLINE_PREMODERATE is on). A dispatcher or admin releases each, or keeps it hidden."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from massline.core.workflow import WorkflowError
from massline.workflow import disclosure, moderation
from massline.workflow.actions import Actor
from massline.workflow.excerpt import personal_score

from ..access import ADMIN, DISPATCHER, staff_required
from ..filters import RequestFilterForm, export_or_none, filter_requests
from .common import error_text


def _queue():
    # Kept hidden once: decided, out of the queue (the audit trail keeps the reason).
    return (
        disclosure.awaiting_review()
        .exclude(events__action="keep_hidden")
        .select_related("category", "unit")
        .order_by("received_at", "id")
    )


@staff_required(DISPATCHER, ADMIN)
@require_http_methods(["GET", "POST"])
def held_queue(request):
    if request.method == "POST":
        req = get_object_or_404(_queue(), reference=request.POST.get("reference", ""))
        try:
            actor = Actor.of(request.user)
            if request.POST.get("decision") == "release":
                moderation.release(req, actor, request.POST.get("note", ""))
                messages.success(request, _("%(ref)s is now public.") % {"ref": req.reference})
            else:
                moderation.keep_hidden(req, actor, request.POST.get("note", ""))
                messages.success(request, _("%(ref)s stays hidden.") % {"ref": req.reference})
        except WorkflowError as exc:
            messages.error(request, error_text(exc))
        return redirect("workbench:held")
    form = RequestFilterForm(request.GET, hide=("state",))
    queue = filter_requests(_queue(), form)
    if (download := export_or_none(request, queue, "held")) is not None:
        return download
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    rows = [(req, personal_score(req.public_text)) for req in page.object_list]
    return render(request, "workbench/held.html", {"page": page, "rows": rows, "filters": form, "keep": []})
