"""走訪: the visit log. Each issue found on a visit becomes a request with channel="visit"."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from massline.accounts.permissions import roles_of, unit_of
from massline.intake.actions import IntakeError

from ..access import ADMIN, DISPATCHER, SUPERVISOR, UNIT_STAFF, staff_required
from ..actions import IssueFound, log_visit
from ..forms import IssueFormSet, VisitForm
from ..models import Visit, VisitIssue

VISIT_ROLES = (DISPATCHER, UNIT_STAFF, SUPERVISOR, ADMIN)


def visible_visits(user):
    """Unit staff see their own unit's visits; operators see every visit."""
    qs = Visit.objects.select_related("staff__staff", "unit").prefetch_related(
        Prefetch("issues", queryset=VisitIssue.objects.select_related("request"))
    )
    roles = roles_of(user)
    if roles & {DISPATCHER, SUPERVISOR, ADMIN}:
        return qs
    unit = unit_of(user)
    return qs.filter(unit__path__startswith=unit.path) if unit else qs.filter(staff=user)


@staff_required(*VISIT_ROLES)
def visit_list(request):
    page = Paginator(visible_visits(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "workbench/visits.html", {"page": page, "nav": "visits"})


@staff_required(*VISIT_ROLES)
def visit_new(request):
    if request.method == "POST":
        form, issues = VisitForm(request.POST), IssueFormSet(request.POST, prefix="issue")
        if form.is_valid() and issues.is_valid():
            found = [
                IssueFound(
                    text=f.cleaned_data["text"], title=f.cleaned_data["title"], kind=f.cleaned_data["kind"]
                )
                for f in issues.forms
                if f.cleaned_data.get("text", "").strip()
            ]
            try:
                visit = log_visit(
                    request.user,
                    date=form.cleaned_data["date"],
                    place=form.cleaned_data["place"],
                    lat=form.cleaned_data["lat"],
                    lon=form.cleaned_data["lon"],
                    notes=form.cleaned_data["notes"],
                    issues=found,
                )
            except IntakeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Visit logged; %(n)d request created.",
                        "Visit logged; %(n)d requests created.",
                        len(found),
                    )
                    % {"n": len(found)},
                )
                return redirect("workbench:visit", pk=visit.pk)
    else:
        form, issues = VisitForm(), IssueFormSet(prefix="issue")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "issues": issues,
        "tile_url": settings.MASSLINE_TILE_URL,
        "center": json.dumps(list(settings.MASSLINE_MAP_CENTER)),
        "nav": "visits",
    }
    return render(request, "workbench/visit_form.html", context, status=status)


@staff_required(*VISIT_ROLES)
def visit_detail(request, pk):
    visit = get_object_or_404(Visit.objects.select_related("staff__staff", "unit"), pk=pk)
    if not visible_visits(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("This visit belongs to another unit."))
    issues = list(visit.issues.select_related("request__unit"))
    return render(request, "workbench/visit_detail.html", {"visit": visit, "issues": issues, "nav": "visits"})
