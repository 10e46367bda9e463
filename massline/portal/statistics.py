"""The public statistics page."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from massline.core.text.script import for_reader

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
        # category and unit names are typed by staff: shown in the reader's script (cached figures keep
        # the stored names; converting happens here, per reader)
        "category_chart": charts.bar_chart(
            [(for_reader(name), n) for name, n in categories], title=_("Requests by category")
        ),
        "ranking": ranking,
        "months": months,
        "month": month,
    }
    return render(request, "portal/statistics.html", context)
