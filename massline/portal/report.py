"""The monthly public report: an HTML page and the same page printed to PDF by headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from massline.core.text.script import for_reader
from massline.workflow.models import KINDS, Reply

from . import charts, stats
from .public import public_requests

CHROMIUM = "/usr/bin/chromium"
PDF_TIMEOUT_SECONDS = 90
_PRINTING = threading.BoundedSemaphore(2)  # at most two Chromium processes per server process
_MONTH = re.compile(r"^(19|2\d)\d\d-(0[1-9]|1[0-2])$")  # years 1900-2999: no datetime overflow


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why, for the person asking."""


def report_context(month: str) -> dict:
    if not _MONTH.match(month):
        raise Http404(_("No such month"))
    bounds = stats.month_bounds(month)
    in_month = public_requests().filter(received_at__range=bounds)
    kinds = dict(KINDS)
    by_kind = [
        (str(kinds.get(k, k)), n)
        for k, n in in_month.values_list("kind").annotate(n=Count("id")).order_by("-n")
    ]
    categories = stats.category_volumes(month, limit=10)
    ranking = stats.ranking(month)
    months = stats.recent_months(24)
    replies = (
        Reply.objects.filter(request__in=public_requests(), created_at__range=bounds)
        .select_related("request", "unit")
        .order_by("-created_at")[:5]
    )
    return {
        "month": month,
        "headline": stats.headline(month),
        "by_kind": by_kind,
        "category_chart": charts.bar_chart(
            [(for_reader(name), n) for name, n in categories],
            title=_("Requests by category, %(month)s") % {"month": month},
        ),
        "categories": categories,
        "ranking": ranking,
        "ranking_chart": charts.bar_chart(
            [
                (for_reader(r.unit), round(r.composite or 0, 1))
                for r in ranking.rows
                if r.composite is not None
            ][:15],
            title=_("Composite score by unit, %(month)s") % {"month": month},
        ),
        "replies": replies,
        "months": months,  # the month menu: from the latest month with data back to the first
        "previous": next((m for m in months if m < month), None),
        "following": next((m for m in reversed(months) if m > month), None),
    }


def report_latest(request):
    """The latest month's report, or the month chosen in a report's month menu (?month=YYYY-MM)."""
    chosen = request.GET.get("month", "")
    return redirect("portal:report", month=chosen if _MONTH.match(chosen) else stats.latest_month())


def report_html(request, month):
    return render(request, "portal/report.html", report_context(month))


def render_pdf(html: str, *, timeout: int = PDF_TIMEOUT_SECONDS) -> bytes:
    """Print ``html`` (self-contained) to PDF with headless Chromium."""
    chromium = shutil.which(CHROMIUM) or shutil.which("chromium")
    if not chromium:
        raise PdfError(
            _("The PDF cannot be made on this server: Chromium is not installed (%(path)s).")
            % {"path": CHROMIUM}
        )
    with tempfile.TemporaryDirectory(prefix="massline-report-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(_("Making the PDF took too long; please try again later.")) from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise PdfError(_("Chromium did not produce the PDF."))
        return pdf.read_bytes()


@stats.figure("report-pdf")
def report_pdf_bytes(month: str, language: str) -> bytes:
    """The monthly report printed to PDF in ``language``. A figure like the statistics: cached until the
    data changes, and reprinted by a background task, since printing starts a browser."""
    with translation.override(language):
        context = report_context(month)
        css_path = finders.find("massline/massline.css")
        context.update(pdf=True, inline_css=Path(css_path).read_text(encoding="utf-8") if css_path else "")
        html = render_to_string("portal/report.html", context)
    with _PRINTING:
        return render_pdf(html)


def report_pdf(request, month):
    """The PDF, cached until the data changes: printing starts a browser, so it must not happen per visit."""
    if not _MONTH.match(month):
        raise Http404(_("No such month"))
    language = get_language()
    try:
        data = report_pdf_bytes(month, language)
    except PdfError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="massline-report-{month}-{language}.pdf"'
    return response
