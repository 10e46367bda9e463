"""Public list, search, map and detail pages. Everything shown is redacted (see ``public``)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from massline.workflow import disclosure
from massline.workflow.excerpt import public_point, requester_names
from massline.workflow.models import STATE_CHOICES, Category, Unit

from . import stats, timeline
from .forms import FilterForm
from .public import detail_requests, public_requests, redact_public, search
from .views import map_settings

PAGE_SIZE = 20
MAX_PAGE = 50_000  # a million requests; past it the offset alone would be a slow scan (or overflow)
MAP_LIMIT = 1000


def _filter_form(request) -> FilterForm:
    categories = Category.objects.filter(level=1).values_list("code", "name")
    units = Unit.objects.order_by("path").values_list("code", "name")
    statuses = [(v, label) for v, label in STATE_CHOICES if v in disclosure.public_states()]
    months = [(m, m) for m in stats.recent_months(24)]
    return FilterForm(
        request.GET or None, categories=categories, units=units, statuses=statuses, months=months
    )


def filtered(request):
    """(form, queryset) for the list and the map, from the query string."""
    form = _filter_form(request)
    qs = public_requests()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = search(qs, data["q"])
        if data["category"]:
            root = Category.objects.filter(code=data["category"]).first()
            if root:
                qs = qs.filter(
                    category_id__in=list(
                        Category.objects.filter(_category_subtree(root)).values_list("id", flat=True)
                    )
                )
        if data["unit"]:
            unit = Unit.objects.filter(code=data["unit"]).first()
            if unit:
                # ids, not a join on the path, so the (unit, state) index serves the query
                qs = qs.filter(
                    unit_id__in=list(
                        Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)
                    )
                )
        if data["status"]:
            qs = qs.filter(state=data["status"])
        if data["month"]:
            try:
                qs = qs.filter(received_at__range=stats.month_bounds(data["month"]))
            except ValueError:
                pass
    return form, qs


def _category_subtree(root) -> Q:
    """The catalogue has three levels, so a root's subtree is three joins, not a recursive query."""
    return Q(id=root.id) | Q(parent_id=root.id) | Q(parent__parent_id=root.id)


def request_list(request):
    form, qs = filtered(request)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    if not 1 <= page <= MAX_PAGE:
        raise Http404(f"no page {page}")
    # No COUNT(*): one row more than a page tells whether a next page exists, cheaply at any size.
    rows = list(qs.select_related("category", "unit")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows[:PAGE_SIZE],
        "page": page,
        "has_next": has_next,
        "has_previous": page > 1,
        "query": query.urlencode(),
        "searching": bool(request.GET.get("q")),
    }
    return render(request, "portal/list.html", context)


def request_map(request):
    form, qs = filtered(request)
    rows = qs.filter(lat__isnull=False, lon__isnull=False).only(
        "reference", "title", "lat", "lon", "state", "contact_name", "contact_phone", "contact_email"
    )
    labels = dict(STATE_CHOICES)
    points = []
    for r in rows[:MAP_LIMIT]:
        # Rounded to about 100 m: a marker shows the street, not the doorstep.
        lat, lon = public_point(r.lat, r.lon)
        points.append(
            {
                "lat": lat,
                "lon": lon,
                "title": redact_public(r.title, requester_names(r)),
                "url": reverse("portal:detail", args=[r.reference]),
                "status": str(labels.get(r.state, "")),
            }
        )
    query = request.GET.urlencode()
    return render(
        request,
        "portal/map.html",
        {"form": form, "points": points, "limit": MAP_LIMIT, "map": map_settings(), "query": query},
    )


def request_detail(request, reference):
    req = get_object_or_404(
        detail_requests().select_related("category__parent__parent", "unit", "merged_into"),
        reference=reference,
    )
    if req.kind == "report":  # belt and braces: never public
        raise Http404(_("No such request"))
    lead = req.merged_into if req.state == "merged" else None
    context = {
        "req": req,
        "lead": lead,
        "steps": timeline.steps(req),
        "replies": req.replies.select_related("unit"),
        "names": [req.contact_name],
    }
    return render(request, "portal/detail.html", context)
