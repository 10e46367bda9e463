"""Which suggester intake asks, how its labels map onto the category catalogue, and the threshold.

The model that routes is the active version of the registry (``massline.learning``): a
:class:`HierarchicalRouter` trained on the city's own decisions. Before any version was promoted, the
file at MASSLINE_MODEL_PATH (``massline train``) routes, as it always did.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from massline.core.routing import Suggester, Suggestion

log = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def _load_model(path: str, mtime: float):
    from massline.core.classify.hierarchy import load_any

    return load_any(path)


def _active_path() -> Path | None:
    from django.db import DatabaseError

    from massline.learning.models import ModelVersion

    try:
        path = ModelVersion.objects.filter(active=True).values_list("path", flat=True).first()
    except DatabaseError:  # before the migrations ran
        return None
    return Path(path) if path else None


def get_suggester() -> Suggester | None:
    """The registry's active model, else the trained file at MASSLINE_MODEL_PATH, else None."""
    path = _active_path() or Path(settings.MASSLINE_MODEL_PATH)
    if not path.exists():
        return None
    try:
        return _load_model(str(path), path.stat().st_mtime)
    except Exception as exc:  # a broken model must not stop intake: requests then wait for a human
        log.error("could not load the routing model %s: %s", path, exc)
        return None


def suggest(text: str) -> list[Suggestion]:
    suggester = get_suggester()
    return suggester.suggest(text, top=3) if suggester else []


def auto_route_threshold(suggestion: Suggestion) -> float:
    """The confidence ``suggestion`` needs to route without a person: its level's threshold, from the
    precision target (MASSLINE_ROUTING_PRECISION) on calibrated confidences; never below
    MASSLINE_ROUTING_THRESHOLD, the floor an operator sets."""
    floor = float(settings.MASSLINE_ROUTING_THRESHOLD)
    suggester = get_suggester()
    threshold_for = getattr(suggester, "threshold_for", None)
    return max(floor, threshold_for(suggestion.label)) if threshold_for else floor
