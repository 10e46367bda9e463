"""The newest open-data dump, for anyone (it holds only what public pages show)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render

from .dump import FIELDS, newest


def index(request):
    folder = settings.MASSLINE_OPENDATA_DIR
    files = {suffix: newest(folder, suffix) for suffix in ("csv", "json")}
    return render(request, "opendata/index.html", {"files": files, "fields": FIELDS})


def download(request, suffix: str):
    path = newest(settings.MASSLINE_OPENDATA_DIR, suffix)
    if path is None:
        raise Http404("no open-data dump has been written yet")
    content_type = "text/csv; charset=utf-8" if suffix == "csv" else "application/json; charset=utf-8"
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type)
