"""Similar public requests for someone who is writing one, so they can join it ("me too") instead of
filing the same problem again.

Only listed requests (``workflow.disclosure``) of the last ``WINDOW_DAYS`` are candidates. Text is
compared with the stored redacted column ``public_text`` only (``core.similar``: idf-weighted
containment of what was typed); the place with each request's *public* point, rounded to about 100 m
(``public_point``), so that asking from many places cannot find a doorstep. Distances are shown rounded to
``DISTANCE_STEP`` metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from massline.core.similar import distance_m, similar_texts
from massline.workflow import disclosure
from massline.workflow.excerpt import public_point
from massline.workflow.models import Request

from .actions import counts_for

WINDOW_DAYS = 90
NEAR_METRES = 300
TEXT_POOL = 3000  # the newest candidates compared by text; 90 days of a large city's web requests
NEAR_POOL = 500
TOP = 5
MIN_SCORE = 0.4
DISTANCE_STEP = 50
METRES_PER_DEGREE = 111_320.0


@dataclass
class Match:
    req: Request
    score: float | None = None  # text containment, 0 to 1; None when not similar in text
    metres: int | None = None  # rounded distance from the place given; None when not near
    me_too: int = 0

    @property
    def rank(self) -> float:
        """Similar text counts most; being near adds up to half as much, more the nearer."""
        near = 0.5 * (1 - self.metres / NEAR_METRES) + 0.25 if self.metres is not None else 0.0
        return (self.score or 0.0) + near


def _candidates(now):
    return disclosure.listed().filter(received_at__gte=now - timedelta(days=WINDOW_DAYS))


def by_text(text: str, now) -> dict[int, float]:
    rows = list(_candidates(now).order_by("-received_at", "-id").values_list("id", "public_text")[:TEXT_POOL])
    hits = similar_texts(text, [t for _id, t in rows], top=TOP, min_score=MIN_SCORE)
    return {rows[i][0]: score for i, score in hits}


def by_place(lat: float, lon: float, now) -> dict[int, int]:
    """{request id: distance in metres, rounded} of candidates within ``NEAR_METRES`` of the point."""
    slack = NEAR_METRES + 150  # the public point may be up to ~80 m from the stored one
    dlat = slack / METRES_PER_DEGREE
    dlon = slack / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        _candidates(now)
        .filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
        .order_by("-received_at", "-id")
        .values_list("id", "lat", "lon")[:NEAR_POOL]
    )
    found: dict[int, int] = {}
    for pk, rlat, rlon in rows:
        plat, plon = public_point(rlat, rlon)
        if plat is None or plon is None:
            continue
        metres = distance_m(lat, lon, plat, plon)
        if metres <= NEAR_METRES:
            found[pk] = int(round(metres / DISTANCE_STEP) * DISTANCE_STEP)
    return found


def find_similar(text: str = "", lat: float | None = None, lon: float | None = None, now=None) -> list[Match]:
    """Up to ``TOP`` public requests similar in text or near the place, best first."""
    now = now or timezone.now()
    scores = by_text(text, now) if text.strip() else {}
    near = by_place(lat, lon, now) if lat is not None and lon is not None else {}
    wanted = set(scores) | set(near)
    if not wanted:
        return []
    rows = {r.pk: r for r in Request.objects.filter(pk__in=wanted).select_related("category", "unit")}
    counts = counts_for(rows)
    matches = [
        Match(req=rows[pk], score=scores.get(pk), metres=near.get(pk), me_too=counts.get(pk, 0))
        for pk in wanted
        if pk in rows
    ]
    matches.sort(key=lambda m: (-m.rank, -m.req.received_at.timestamp(), -m.req.pk))
    return matches[:TOP]
