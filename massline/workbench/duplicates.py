"""Candidate duplicates (並單) for the dispatcher, from the core near-duplicate index."""

from __future__ import annotations

from datetime import timedelta

from massline.core.dedupe import DuplicateIndex
from massline.core.workflow import LEAD_CANDIDATES

LOOKBACK = timedelta(days=60)
MAX_INDEXED = 5000
MERGEABLE = sorted(s.value for s in LEAD_CANDIDATES)  # requests that can lead a merge (並單)


def candidates_for(requests, base_queryset, top: int = 3) -> dict[int, list[dict]]:
    """For each request: earlier requests that say nearly the same thing, as
    ``{"reference", "title", "state", "similarity"}`` dicts, most similar first.

    Only requests received before it are offered as leads, so the oldest report of a problem leads.
    """
    requests = list(requests)
    if not requests:
        return {}
    newest = max(r.received_at for r in requests)
    oldest = min(r.received_at for r in requests)
    pool = list(
        base_queryset.filter(
            state__in=MERGEABLE,
            merged_into__isnull=True,
            received_at__gte=oldest - LOOKBACK,
            received_at__lte=newest,
        )
        .exclude(kind="report")
        .order_by("-received_at")
        .values_list("id", "reference", "title", "text", "state", "received_at")[:MAX_INDEXED]
    )
    if not pool:
        return {}
    by_id = {row[0]: row for row in pool}
    index = DuplicateIndex(threshold=0.5).fit((row[0], f"{row[2]} {row[3]}") for row in pool)
    hits = index.query_many([f"{r.title} {r.text}" for r in requests], top=top + 1)
    found: dict[int, list[dict]] = {}
    for req, matches in zip(requests, hits, strict=True):
        rows = []
        for key, sim in matches:
            row = by_id[key]
            if key == req.pk or row[5] > req.received_at:
                continue
            rows.append({"reference": row[1], "title": row[2], "state": row[4], "similarity": sim})
        if rows:
            found[req.pk] = rows[:top]
    return found
