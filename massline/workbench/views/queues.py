"""Home, the dispatcher queue (with its map and bulk actions) and the unit queues."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.accounts.permissions import roles_of, unit_of, visible_requests
from massline.core import workflow
from massline.core.workflow import State, WorkflowError
from massline.workflow import keyset, registry
from massline.workflow.actions import ActionInput, Actor
from massline.workflow.models import KINDS, AuditEvent, Request, Unit

from .. import duplicates, fragments
from ..access import ADMIN, DISCIPLINE, DISPATCHER, SUPERVISOR, UNIT_STAFF, staff_required
from ..deadlines import overdue_q
from ..filters import SORTS, RequestFilterForm, export_or_none, export_requested, filter_requests
from .common import error_text, units_for_select

PAGE_SIZE = 50
DISPATCH_STATES = tuple(sorted(s.value for s in workflow.AWAITING_DISPATCH))
NON_REPORT_KINDS = tuple(k for k, _label in KINDS if k != workflow.REPORT_KIND)
REPORT_STATES = tuple(
    sorted(s.value for t in workflow.TRANSITIONS if t.for_reports for s in (*t.sources, t.target))
)


def sort_keys(form: RequestFilterForm, prefix: str = "", then: tuple[str, ...] = ()) -> list[keyset.Key]:
    """The keyset of the form's sort (``filters.ordering``): the sort fields, then ``then`` (the board's
    own tie-breakers), unique at the end. ``prefix`` ("request__") pages a list of related rows."""
    key = form.sort_key()
    descending = key.startswith("-")
    out = [
        keyset.Key(
            "current_due" if name == "current_due" else prefix + name, descending, name == "current_due"
        )
        for name in SORTS[key.lstrip("-")]
    ]
    return [*out, *(keyset.Key(name) for name in then)]


def keyset_page(request, qs, form: RequestFilterForm, size: int, scope: str) -> keyset.KeysetPage:
    """A queue's page by keyset (``?after=``), over the form's sort and the id."""
    order = sort_keys(form)
    if order[-1].name not in ("id", "reference"):
        order.append(keyset.Key("id"))
    return keyset.KeysetPage(qs, order, size, request.GET, scope=f"{scope}:{form.sort_key()}")


@staff_required()
def home(request):
    """Each role lands on its main page."""
    roles = roles_of(request.user)
    if DISPATCHER in roles:
        return redirect("workbench:dispatch_queue")
    if UNIT_STAFF in roles:
        return redirect("workbench:unit_queue")
    if SUPERVISOR in roles:
        return redirect("workbench:supervision")
    if DISCIPLINE in roles:
        return redirect("workbench:reports")
    return redirect("workbench:dashboard")


def _suggested_unit(category):
    return category.effective_unit() if category is not None else None


@dataclass
class QueueRow:
    req: Request
    suggested_unit: Unit | None
    duplicates: list[dict]
    return_note: str


def dispatcher_rows(user, page_requests) -> list[QueueRow]:
    ids = [r.pk for r in page_requests]
    returns: dict[int, str] = {}
    for req_id, note in (
        AuditEvent.objects.filter(request_id__in=ids, action="return")
        .order_by("at", "id")
        .values_list("request_id", "note")
    ):
        returns[req_id] = note
    dupes = duplicates.candidates_for(page_requests, visible_requests(user, Request.objects.all()))
    return [
        QueueRow(r, _suggested_unit(r.suggested_category), dupes.get(r.pk, []), returns.get(r.pk, ""))
        for r in page_requests
    ]


def dispatch_queryset(user):
    # Three levels of catalogue: pulling parents and their default units keeps the suggested unit free.
    return (
        visible_requests(user, Request.objects.filter(state__in=DISPATCH_STATES))
        .select_related(
            "suggested_category__default_unit",
            "suggested_category__parent__default_unit",
            "suggested_category__parent__parent__default_unit",
        )
        .order_by("received_at", "id")
    )


@staff_required(DISPATCHER, ADMIN)
def dispatch_queue(request):
    def listing():
        form = RequestFilterForm(request.GET, states=DISPATCH_STATES, kinds=NON_REPORT_KINDS)
        return form, filter_requests(dispatch_queryset(request.user), form)

    if export_requested(request):
        return export_or_none(request, listing()[1], "dispatch-queue")

    def body() -> str:  # not run when the cache has it (workbench.fragments)
        form, qs = listing()
        page = keyset_page(request, qs, form, PAGE_SIZE, "dispatch")
        rows = dispatcher_rows(request.user, list(page.object_list))
        context = {
            "rows": rows,
            "page": page,
            "filters": form,
            "units": units_for_select(),
            "now": timezone.now(),
        }
        return render_to_string("workbench/_dispatch_queue_body.html", context, request)

    return render(
        request,
        "workbench/dispatch_queue.html",
        {"body": fragments.body(request, "dispatch", body), "nav": "dispatch"},
    )


@staff_required(DISPATCHER, ADMIN)
def dispatch_map(request):
    qs = dispatch_queryset(request.user).filter(lat__isnull=False)[:500]
    points = [
        {
            "lat": r.lat,
            "lon": r.lon,
            "ref": r.reference,
            "title": r.title,
            "url": reverse("workbench:detail", args=[r.reference]),
        }
        for r in qs
    ]
    return render(
        request,
        "workbench/dispatch_map.html",
        {
            "points": points,
            "points_json": json.dumps(points, ensure_ascii=False),
            "tile_url": settings.MASSLINE_TILE_URL,
            "center": json.dumps(list(settings.MASSLINE_MAP_CENTER)),
            "nav": "map",
        },
    )


@require_POST
@staff_required(DISPATCHER, ADMIN)
def dispatch_bulk(request):
    """Dispatch several requests to one unit, or reject them with one reason."""
    refs = request.POST.getlist("selected")
    op = request.POST.get("op")
    if not refs:
        messages.warning(request, _("Select at least one request first."))
        return redirect("workbench:dispatch_queue")
    actor = Actor.of(request.user)
    unit = None
    if op == "dispatch":
        unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
        if unit is None:
            messages.error(request, _("Choose the unit to dispatch the selected requests to."))
            return redirect("workbench:dispatch_queue")
    elif op == "reject":
        if not request.POST.get("reason", "").strip():
            messages.error(request, _("Give the reason for rejecting the selected requests."))
            return redirect("workbench:dispatch_queue")
    else:
        raise PermissionDenied
    done, failed = [], []
    versions = {k[len("version-") :]: v for k, v in request.POST.items() if k.startswith("version-")}
    for req in visible_requests(request.user, Request.objects.filter(reference__in=refs)).select_related(
        "unit"
    ):
        expected = int(versions[req.reference]) if versions.get(req.reference, "").isdigit() else None
        inp = (
            ActionInput(unit=unit.code, expected_version=expected)
            if op == "dispatch" and unit is not None
            else ActionInput(note=request.POST["reason"].strip(), expected_version=expected)
        )
        try:
            registry.perform(op, req, actor, inp)
            done.append(req.reference)
        except WorkflowError as exc:
            failed.append(f"{req.reference}: {error_text(exc)}")
    if done:
        if unit is not None:  # dispatching
            messages.success(
                request, _("Dispatched to %(unit)s: %(refs)s") % {"unit": unit.name, "refs": ", ".join(done)}
            )
        else:
            messages.success(request, _("Rejected: %(refs)s") % {"refs": ", ".join(done)})
    for line in failed:
        messages.error(request, line)
    return redirect("workbench:dispatch_queue")


UNIT_TABS = ("new", "overdue", "progress", "reopened", "replied")


@staff_required(UNIT_STAFF, SUPERVISOR, ADMIN)
def unit_queue(request):
    """Unit staff see their own unit (and the units below it); supervisors and admins pick one (or all)
    with the unit filter."""
    now = timezone.now()
    own = unit_of(request.user) if UNIT_STAFF in roles_of(request.user) else None
    base = visible_requests(request.user, Request.objects.all())
    if own is not None:
        base = base.filter(unit__path__startswith=own.path)
    tab = request.GET.get("tab", "new")
    if tab not in UNIT_TABS:
        tab = "new"
    filters = {
        "new": Q(state__in=[s.value for s in workflow.NEW_FOR_UNIT]),
        "overdue": overdue_q(now),
        "progress": Q(state__in=[s.value for s in workflow.AWAITING_REPLY]),
        "reopened": Q(state=State.REOPENED.value),
        "replied": Q(state__in=[s.value for s in workflow.AWAITING_FOLLOW_UP]),  # 回訪 pending
    }
    labels = {
        "new": _("New"),
        "overdue": _("Overdue"),
        "progress": _("In progress"),
        "reopened": _("Reopened"),
        "replied": _("Awaiting follow-up"),
    }

    def listing():
        form = RequestFilterForm(
            request.GET,
            kinds=NON_REPORT_KINDS,
            default_sort="received" if tab == "replied" else "due",
            units=Unit.objects.filter(path__startswith=own.path) if own is not None else None,
        )
        narrowed = filter_requests(base, form, now)
        return form, narrowed, narrowed.filter(filters[tab]).select_related("unit", "category")

    if export_requested(request):
        return export_or_none(request, listing()[2], f"unit-queue-{tab}")

    def body() -> str:  # not run when the cache has it (workbench.fragments)
        form, narrowed, qs = listing()
        counts = tab_counts(narrowed, filters)
        page = keyset_page(request, qs, form, PAGE_SIZE, f"unit:{tab}")
        tabs = [{"key": k, "label": labels[k], "count": counts[k], "active": k == tab} for k in filters]
        context = {
            "unit": own or form.unit_object(),
            "can_choose": own is None,
            "filters": form,
            "keep": [("tab", tab)],
            "tabs": tabs,
            "tab": tab,
            "page": page,
            "now": now,
            "can_sign": bool(roles_of(request.user) & {UNIT_STAFF, ADMIN}),
        }
        return render_to_string("workbench/_unit_queue_body.html", context, request)

    return render(
        request, "workbench/unit_queue.html", {"body": fragments.body(request, "unit", body), "nav": "unit"}
    )


OPEN_STATES = tuple(sorted(s.value for s in workflow.OPEN))


def tab_counts(narrowed, filters: dict[str, Q]) -> dict[str, int]:
    """Each tab's count in one query over the unit's open requests (every tab is a part of them; the
    (unit, state) index finds them without reading the closed ones) instead of one COUNT per tab."""
    found = (
        narrowed.filter(state__in=OPEN_STATES)
        .order_by()
        .aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})
    )
    return {key: found[key] or 0 for key in filters}


@staff_required()
def all_requests(request):
    """Every request this person may see (``visible_requests``), to search: a caller asking about an
    earlier request, a supervisor looking for what is late anywhere."""
    discipline_only = roles_of(request.user) == {DISCIPLINE}

    def listing():
        form = RequestFilterForm(
            request.GET,
            default_sort="-received",
            kinds=(workflow.REPORT_KIND,) if discipline_only else None,
            units=Unit.objects.filter(path__startswith=unit_of(request.user).path)
            if UNIT_STAFF in roles_of(request.user) and unit_of(request.user) is not None
            else None,
        )
        base = visible_requests(request.user, Request.objects.all()).select_related("unit", "category")
        return form, filter_requests(base, form)

    if export_requested(request):
        return export_or_none(request, listing()[1], "requests")

    def body() -> str:  # not run when the cache has it (workbench.fragments)
        form, qs = listing()
        page = keyset_page(request, qs, form, PAGE_SIZE, "requests")
        context = {"page": page, "filters": form, "keep": [], "now": timezone.now()}
        return render_to_string("workbench/_requests_body.html", context, request)

    return render(
        request,
        "workbench/requests.html",
        {"body": fragments.body(request, "requests", body), "nav": "requests"},
    )


@staff_required()
def reports(request):
    """Misconduct reports (舉報): the discipline role's own queue; it does not exist for anyone else.
    Tabs follow the report's own steps: to accept, overdue, being answered, answered (to conclude), all."""
    if DISCIPLINE not in roles_of(request.user):
        raise Http404
    now = timezone.now()
    base = Request.objects.filter(kind=workflow.REPORT_KIND)
    filters = {
        "new": Q(state__in=[s.value for s in workflow.REPORT_AWAITING_ACCEPT]),
        "overdue": overdue_q(now),
        "progress": Q(state__in=[s.value for s in workflow.REPORT_AWAITING_ANSWER]),
        "answered": Q(state__in=[s.value for s in workflow.BY_ACTION["conclude"].sources]),
        "all": Q(),
    }
    labels = {
        "new": _("To accept"),
        "overdue": _("Overdue"),
        "progress": _("Awaiting the answer"),
        "answered": _("Answered"),
        "all": _("All"),
    }
    tab = request.GET.get("tab", "new")
    if tab not in filters:
        tab = "new"
    form = RequestFilterForm(
        request.GET,
        hide=("kind", "category", "unit"),
        states=REPORT_STATES,
        default_sort="-received" if tab in ("answered", "all") else "due",
    )
    narrowed = filter_requests(base, form, now)
    counts = {key: narrowed.filter(q).count() for key, q in filters.items()}
    qs = narrowed.filter(filters[tab]).select_related("unit")
    if (download := export_or_none(request, qs, f"reports-{tab}")) is not None:
        return download
    page = keyset_page(request, qs, form, PAGE_SIZE, f"reports:{tab}")
    tabs = [{"key": k, "label": labels[k], "count": counts[k], "active": k == tab} for k in filters]
    return render(
        request,
        "workbench/reports.html",
        {
            "page": page,
            "nav": "reports",
            "now": now,
            "tabs": tabs,
            "tab": tab,
            "filters": form,
            "keep": [("tab", tab)],
        },
    )
