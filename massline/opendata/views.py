"""The newest open-data dump, for anyone (it holds only what public pages show)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render

from . import fields, package
from .dump import present


def index(request):
    folder = Path(settings.MASSLINE_OPENDATA_DIR)
    files = present(folder)
    described = None
    if package.PACKAGE_FILE in files:
        try:
            described = json.loads(files[package.PACKAGE_FILE].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            described = None
    rows = {r["name"]: r.get("rows") for r in (described or {}).get("resources", [])}
    tables = [
        {
            "name": t,
            "file": f"{t}.csv",
            "rows": rows.get(t),
            "fields": fields.names(t),
            "present": f"{t}.csv" in files,
        }
        for t in package.CSV_TABLES
    ]
    context = {
        "files": files,
        "tables": tables,
        "created_at": _parsed((described or {}).get("created")),
        "license": package.license_info(),
        "json_file": package.JSON_FILE,
        "schema_file": package.SCHEMA_FILE,
        "package_file": package.PACKAGE_FILE,
        "readme_file": package.README_FILE,
    }
    return render(request, "opendata/index.html", context)


def _parsed(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def download(request, name: str):
    if name not in package.FILES:
        raise Http404("no such open-data file")
    path = Path(settings.MASSLINE_OPENDATA_DIR) / name
    if not path.is_file():
        raise Http404("no open-data dump has been written yet")
    attachment = name.endswith(".csv") or name == package.JSON_FILE
    return FileResponse(
        path.open("rb"), as_attachment=attachment, filename=name, content_type=package.FILES[name]
    )
