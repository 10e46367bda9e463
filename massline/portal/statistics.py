"""The public statistics page."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts, stats


def statistics(request):
    months = stats.recent_months(24)
    month = request.GET.get("month") or None
    if month not in months:
        month = None
    volumes = stats.monthly_volumes(12)
    categories = stats.category_volumes(None, limit=12)
    ranking = stats.ranking(month)
    context = {
        "headline": stats.headline(),
        "volumes": volumes,
        "volume_chart": charts.line_chart(volumes, title=_("Requests per month")),
        "categories": categories,
        "category_chart": charts.bar_chart(categories, title=_("Requests by category")),
        "ranking": ranking,
        "months": months,
        "month": month,
    }
    return render(request, "portal/statistics.html", context)
