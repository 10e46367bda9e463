"""Candidate duplicates (並單) for the dispatcher, from the core near-duplicate index."""

from __future__ import annotations

from datetime import timedelta

from massline.core.workflow import LEAD_CANDIDATES

from . import duplicate_store

LOOKBACK = timedelta(days=60)
MERGEABLE = sorted(s.value for s in LEAD_CANDIDATES)  # requests that can lead a merge (並單)


def pool_of(requests, base_queryset):
    """The requests that may lead a merge of these: mergeable, not merged, not a report, received in the
    sixty days before the oldest of them and up to the newest."""
    newest = max(r.received_at for r in requests)
    oldest = min(r.received_at for r in requests)
    return base_queryset.filter(
        state__in=MERGEABLE,
        merged_into__isnull=True,
        received_at__gte=oldest - LOOKBACK,
        received_at__lte=newest,
    ).exclude(kind="report")


def candidates_for(requests, base_queryset, top: int = 3) -> dict[int, list[dict]]:
    """For each request: earlier requests that say nearly the same thing, as
    ``{"reference", "title", "state", "similarity"}`` dicts, most similar first.

    Only requests received before it are offered as leads, so the oldest report of a problem leads.
    The pool's sketches are stored (``duplicate_store``): a load sketches the page's requests and reads
    only the requests sharing a band key with them, in one query, whatever the size of the pool.
    """
    requests = list(requests)
    if not requests:
        return {}
    pool = pool_of(requests, base_queryset)
    index = duplicate_store.new_index()
    # the page's own requests are sketched here (a few dozen texts); the pool's sketches are read
    sketches = index.sketch([duplicate_store.text_of(r.title, r.text) for r in requests])
    matched = duplicate_store.candidates(sketches, pool, ("id", "reference", "title", "state", "received_at"))
    if not matched:
        return {}
    by_id = {row[0]: row for row, _sketch in matched}
    index.add_sketches((row[0], sketch) for row, sketch in matched)
    hits = index.query_sketches(sketches, top=top + 1)
    found: dict[int, list[dict]] = {}
    for req, matches in zip(requests, hits, strict=True):
        out = []
        for key, sim in matches:
            row = by_id[key]
            if key == req.pk or row[4] > req.received_at:
                continue
            out.append({"reference": row[1], "title": row[2], "state": row[3], "similarity": sim})
        if out:
            found[req.pk] = out[:top]
    return found
