"""Dashboards: volumes, categories, units, deadlines met, the 三率 by month, and the hot-issue slot.

The page reads the rollup tables (``massline.rollups``); the functions taking a queryset of requests are
the same counts computed from the requests themselves, which the rollups are checked against."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.accounts.permissions import roles_of
from massline.core import metrics as core_metrics
from massline.core.workflow import WorkflowError
from massline.followup.metrics import ranking_min_dispatched
from massline.intake.actions import IntakeError
from massline.monthly.selection import for_hot_issues
from massline.pagecache import generations
from massline.portal.charts import bar_chart, line_chart
from massline.rollups import read as rollups
from massline.rollups import tally
from massline.workflow.models import AuditEvent, Category, Unit

from .. import fragments, hot
from ..access import ADMIN, ANY_STAFF, DISCIPLINE, SUPERVISOR, staff_required
from ..actions import create_proactive_task
from .common import error_text

TREND_MONTHS = 12
DASHBOARD_ROLES = tuple(ANY_STAFF - {DISCIPLINE})
CITY = "*"
CACHE_SECONDS = 600
T = TypeVar("T")


def _pct(v: float) -> str:
    return f"{v:.0f}%"


def volumes_by_month(qs) -> list[tuple[str, float]]:
    rows = qs.annotate(m=TruncMonth("received_at")).values("m").annotate(n=Count("id")).order_by("m")
    return [(r["m"].strftime("%Y-%m"), r["n"]) for r in rows if r["m"] is not None][-TREND_MONTHS:]


def volumes_by_category(qs, top: int = 10) -> list[tuple[str, int]]:
    """Counted by top-level category: the catalogue has three levels, the chart wants one."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    names = dict(Category.objects.filter(level=1).values_list("id", "name"))
    totals: Counter[str] = Counter()
    for cat_id, n in qs.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n"):
        if cat_id is None:
            totals[_("Not yet classified")] += n
            continue
        while parents.get(cat_id):
            cat_id = parents[cat_id]
        totals[names.get(cat_id, "?")] += n
    return totals.most_common(top)


def volumes_by_unit(qs, top: int = 12) -> list[tuple[str, float]]:
    rows = (
        qs.filter(unit__isnull=False).values_list("unit__name").annotate(n=Count("id")).order_by("-n")[:top]
    )
    return [(name, n) for name, n in rows]


def deadlines_met(qs) -> dict[str, dict]:
    signed = qs.filter(signed_at__isnull=False, sign_due__isnull=False).aggregate(
        total=Count("id"), met=Count("id", filter=Q(signed_at__lte=F("sign_due")))
    )
    replied = qs.filter(replied_at__isnull=False, reply_due__isnull=False).aggregate(
        total=Count("id"), met=Count("id", filter=Q(replied_at__lte=F("reply_due")))
    )
    for d in (signed, replied):
        d["rate"] = d["met"] / d["total"] if d["total"] else None
    return {"sign": signed, "reply": replied}


# --- the same counts from the request tally (massline.rollups.tally): what the page shows ---------------


def tally_volumes_by_month(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items())[-TREND_MONTHS:]


def tally_volumes_by_category(counts: dict[int, int], top: int = 10) -> list[tuple[str, int]]:
    parents = dict(Category.objects.values_list("id", "parent_id"))
    names = dict(Category.objects.filter(level=1).values_list("id", "name"))
    totals: Counter[str] = Counter()
    for cat_id, n in counts.items():
        if not cat_id:
            totals[_("Not yet classified")] += n
            continue
        while parents.get(cat_id):
            cat_id = parents[cat_id]
        totals[names.get(cat_id, "?")] += n
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]  # ties by name, not by row order


def tally_volumes_by_unit(counts: dict[int, int], top: int = 12) -> list[tuple[str, int]]:
    names = dict(Unit.objects.filter(pk__in=list(counts)).values_list("id", "name"))
    totals: Counter[str] = Counter()
    for unit_id, n in counts.items():
        totals[names.get(unit_id, "?")] += n
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def three_rate_trends() -> tuple[list[str], dict[str, list[tuple[str, float]]], dict]:
    """City-wide 三率 per month, and the latest month's unit ranking (units under the minimum volume apart).

    Both are read from the rollup tables (a few rows per month) and scored by the same core function as
    ``unit_ranking``, so the definitions cannot drift apart.
    """
    months = sorted(rollups.months())[-TREND_MONTHS:]  # the months with hand-overs, from the rollups too
    weights = core_metrics.Weights()
    city = rollups.city_by_month(months, weights, unit=CITY)
    series: dict[str, list[tuple[str, float]]] = {"response": [], "resolution": [], "satisfaction": []}
    for month in months:
        score = city.get(month)
        if score is None:
            continue
        for key, value in (
            ("response", score.response_rate),
            ("resolution", score.resolution_rate),
            ("satisfaction", score.satisfaction_rate),
        ):
            if value is not None:
                series[key].append((month, 100 * value))
    minimum = ranking_min_dispatched()
    latest = rollups.unit_scores(months[-1], weights, minimum) if months else []
    names = dict(Unit.objects.values_list("code", "name"))
    ranked, too_few = core_metrics.split_ranking(latest)
    ranking = {
        "rows": [(s, names.get(s.unit, s.unit)) for s in ranked],
        "too_few": [(s, names.get(s.unit, s.unit)) for s in too_few],
        "min_dispatched": minimum,
    }
    return months, series, ranking


def _cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache for CACHE_SECONDS under ``key``."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@staff_required(*DASHBOARD_ROLES)
def dashboard(request):
    # The same for every supervisor (the proactive-task buttons for those who may use them): kept in the
    # cache until a request changes (workbench.fragments), or for a minute at most.
    can_task = bool(roles_of(request.user) & {SUPERVISOR, ADMIN})
    body = fragments.body(
        request,
        "dashboard",
        lambda: render_to_string("workbench/_dashboard_body.html", dashboard_context(can_task), request),
        areas=DASHBOARD_AREAS,
        parts=(can_task,),
    )
    return render(request, "workbench/dashboard.html", {"body": body, "nav": "dashboard"})


DASHBOARD_AREAS = (generations.REQUESTS, generations.CONFIG, generations.MONTHLY, hot.HOT_AREA)


def dashboard_context(can_task: bool) -> dict:
    # The 三率 and the counts are sums over the rollup tables (kept by the event hook); hot issues read
    # whole tables: every workflow action appends an audit event, so the newest event id says whether a
    # cached answer is still true.
    latest = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    months, trends, ranking = _cached(f"workbench:trends:{latest}", three_rate_trends)
    everything = tally.tallies()
    by_month = tally_volumes_by_month(tally.by_month(everything))
    by_category = tally_volumes_by_category(tally.by_category(everything))
    by_unit = tally_volumes_by_unit(tally.by_unit())
    met = tally.deadlines_met()
    rate_titles = {
        "response": _("Response rate (signed in time)"),
        "resolution": _("Resolution rate"),
        "satisfaction": _("Satisfaction rate"),
    }
    charts = {
        "month": line_chart(by_month, title=_("Requests received per month")) if by_month else "",
        "category": bar_chart(by_category, title=_("Requests by category")) if by_category else "",
        "unit": bar_chart(by_unit, title=_("Requests by unit")) if by_unit else "",
        "trends": [
            (rate_titles[key], line_chart(points, title=rate_titles[key], fmt=lambda v: f"{v:.0f}%"), points)
            for key, points in trends.items()
            if points
        ],
    }
    hot_at = None
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no worker: detected here, again after any change
        found = _cached(
            f"workbench:hot:{latest}:{timezone.localdate()}", lambda: hot.top_hot_issues(days=30, limit=5)
        )
    else:  # a worker detects them every few minutes (a detection is too slow for a page)
        found, hot_at = hot.dashboard_issues()
    hot_issues = hot.with_tasks(found)
    return {
        "charts": charts,
        "by_month": by_month,
        "by_category": by_category,
        "by_unit": by_unit,
        "met": met,
        "months": months,
        "ranking": ranking,
        "latest_month": months[-1] if months else None,
        "basic_weight": round(100 * core_metrics.Weights().basic_weight),
        "hot_issues": hot_issues,
        "hot_at": hot_at,
        "hot_pending": not settings.CELERY_TASK_ALWAYS_EAGER and hot_at is None,
        # each hot issue with the monthly problem (每月一題) made from it, if any
        "hot_rows": list(zip(hot_issues, for_hot_issues([h.member_ids for h in hot_issues]), strict=True)),
        "can_task": can_task,
        "total": tally.total(everything),
        "open_total": tally.open_total(everything),
        "since": timezone.now() - timedelta(days=30),
    }


@require_POST
@staff_required(SUPERVISOR, ADMIN)
def proactive_task(request):
    """未訴先辦: a hot issue becomes a request before more people have to complain."""
    title = request.POST.get("title", "").strip()
    text = request.POST.get("text", "").strip() or title
    lat, lon = request.POST.get("lat"), request.POST.get("lon")
    try:
        members = [int(m) for m in request.POST.get("members", "").split(",") if m.strip()]
    except ValueError:
        messages.error(request, _("The hot issue's requests could not be read; reload the dashboard."))
        return redirect("workbench:dashboard")
    try:
        req = create_proactive_task(
            request.user,
            title=title,
            text=text,
            address=request.POST.get("address", ""),
            lat=float(lat) if lat else None,
            lon=float(lon) if lon else None,
            members=members,
        )
    except (WorkflowError, IntakeError, ValueError) as exc:
        messages.error(request, error_text(exc) if not isinstance(exc, ValueError) else str(exc))
        return redirect("workbench:dashboard")
    messages.success(
        request, _("Proactive task %(ref)s created from the hot issue.") % {"ref": req.reference}
    )
    return redirect("workbench:detail", reference=req.reference)
