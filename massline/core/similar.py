"""Similar requests while someone is still typing one: text containment and distance, no Django.

A half-written request is short and the requests it should find are long, so the Jaccard similarity of
the near-duplicate index (``dedupe``) is the wrong measure: it punishes the length difference. Here the
question is "how much of what this person typed is in that request?", weighted by how rare each piece is:

    score(q, d) = Σ idf(s) over the shingles s of q found in d  /  Σ idf(s) over all shingles s of q

with the character shingles of ``dedupe.shingle_sets`` (so Traditional and Simplified, full-width and
half-width compare alike) and idf(s) = ln((1 + N) / (1 + df(s))) + 1 over the N candidate texts. A
shingle every candidate contains (路灯 in a street-light month) counts for little; a place name or an
unusual word counts for much. A score is 0 to 1.

Distances are great-circle distances (haversine) in metres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .dedupe import shingle_sets

__all__ = ["containment_scores", "distance_m", "similar_texts"]

EARTH_RADIUS_M = 6_371_008.8
MIN_QUERY_SHINGLES = 3  # fewer than this (one or two characters typed) finds nothing worth showing


def containment_scores(query: str, texts: Sequence[str], shingle: int = 2) -> np.ndarray:
    """The idf-weighted share of ``query``'s shingles found in each of ``texts`` (0 to 1, one per text)."""
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    elements, offsets = shingle_sets([query, *texts], shingle=shingle)
    wanted = elements[offsets[0] : offsets[1]]  # sorted and unique
    if len(wanted) < MIN_QUERY_SHINGLES:
        return np.zeros(n)
    rest = elements[offsets[1] :]
    owner = np.repeat(np.arange(n), np.diff(offsets[1:]))
    found = np.isin(rest, wanted)
    which = np.searchsorted(wanted, rest[found])  # index of each found shingle in ``wanted``
    document_frequency = np.bincount(which, minlength=len(wanted))
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    gained = np.bincount(owner[found], weights=idf[which], minlength=n)
    return gained / idf.sum()


def similar_texts(
    query: str, texts: Sequence[str], *, top: int = 5, min_score: float = 0.4, shingle: int = 2
) -> list[tuple[int, float]]:
    """[(index in ``texts``, score)] of the texts that contain at least ``min_score`` of the query, best
    first (ties: earlier texts first, so a caller that passes the newest first gets the newest)."""
    scores = containment_scores(query, texts, shingle=shingle)
    order = np.argsort(-scores, kind="stable")
    return [(int(i), round(float(scores[i]), 4)) for i in order[:top] if scores[i] >= min_score]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
