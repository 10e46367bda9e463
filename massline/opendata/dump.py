"""The open-data dump: every public request as one CSV row and one JSON object, redacted.

Only what a public page shows: the requests of ``workflow.disclosure.listed()``, their text, address and
latest reply through the one redaction pipeline (the requester's own name, phone and e-mail hidden too),
map points rounded to about 100 m, and no contact field at all. CSV cells are formula-safe. Written to a
temporary file and renamed, so a reader never sees half a dump. ``massline opendata DIR`` writes one by
hand; the ``massline.opendata.nightly`` beat task writes ``var/opendata/`` every night, and the portal
serves the newest at ``/open-data/``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from massline.core.export import safe_row
from massline.core.workflow import TERMINAL, State
from massline.workflow import disclosure
from massline.workflow.models import Reply
from massline.workflow.redaction import public_address, public_point, redact_public

FIELDS = [
    "reference",
    "kind",
    "state",
    "status",
    "category_code",
    "category",
    "unit",
    "received_at",
    "closed_at",
    "address",
    "lat",
    "lon",
    "title",
    "text",
    "reply",
]
CLOSED = {s.value for s in TERMINAL}


def _iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def rows(since: datetime | None = None) -> Iterator[dict]:
    latest_reply = (
        Reply.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
    )
    qs = (
        disclosure.listed()
        .select_related("category", "unit")
        .annotate(latest_reply=Subquery(latest_reply))
        .order_by("received_at", "pk")
    )
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    for req in qs.iterator(chunk_size=2000):
        names = [req.contact_name, req.contact_phone, req.contact_email]
        lat, lon = (
            public_point(req.lat, req.lon) if req.lat is not None and req.lon is not None else (None, None)
        )
        yield {
            "reference": req.reference,
            "kind": req.kind,
            "state": req.state,
            "status": "closed" if req.state in CLOSED else "open",
            "category_code": req.category.code if req.category else "",
            "category": req.category.name if req.category else "",
            "unit": req.unit.name if req.unit else "",
            "received_at": _iso(req.received_at),
            "closed_at": _iso(req.closed_at),
            "address": public_address(req.address, names) if req.address else "",
            "lat": lat,
            "lon": lon,
            "title": redact_public(req.title, names),
            "text": redact_public(req.text, names),
            "reply": redact_public(getattr(req, "latest_reply", None) or "", names),
        }


def write(folder: Path, *, progress: Callable[[int], None] | None = None) -> tuple[Path, Path, int]:
    """Write ``requests-<date>.csv`` and ``.json`` into ``folder`` (atomically); return both paths and the
    number of requests."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localdate().isoformat()
    csv_path, json_path = folder / f"requests-{stamp}.csv", folder / f"requests-{stamp}.json"
    csv_tmp, json_tmp = csv_path.with_suffix(".csv.tmp"), json_path.with_suffix(".json.tmp")
    count = 0
    with csv_tmp.open("w", encoding="utf-8-sig", newline="") as c, json_tmp.open("w", encoding="utf-8") as j:
        writer = csv.writer(c)
        writer.writerow(FIELDS)
        j.write("[\n")
        for row in rows():
            writer.writerow(safe_row([row[f] if row[f] is not None else "" for f in FIELDS]))
            j.write((",\n" if count else "") + json.dumps(row, ensure_ascii=False))
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
        j.write("\n]\n")
    os.replace(csv_tmp, csv_path)
    os.replace(json_tmp, json_path)
    return csv_path, json_path, count


def newest(folder: Path, suffix: str) -> Path | None:
    found = sorted(folder.glob(f"requests-*.{suffix}")) if folder.is_dir() else []
    return found[-1] if found else None


assert State.MERGED.value not in disclosure.public_states()
