"""Which suggester intake asks, and how its labels map onto the category catalogue."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings

from massline.core.routing import Suggester, Suggestion

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _load_model(path: str, mtime: float):
    from massline.core.classify import TextClassifier  # type: ignore[attr-defined]

    return TextClassifier.load(path)


def get_suggester() -> Suggester | None:
    """The trained classifier at MASSLINE_MODEL_PATH, or None when no model was trained yet."""
    path = settings.MASSLINE_MODEL_PATH
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
