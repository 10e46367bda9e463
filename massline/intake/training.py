"""The first routing model of a new installation, from a labelled history file (the govmsg set).

Afterwards the routing model learns from the city's own decisions (``massline.learning``): the registry's
active version routes, and this file is only the fallback before any version was promoted.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


def train_default_model(force: bool = False) -> str:
    """Train MASSLINE_MODEL_PATH from the base file (../shared/data/govmsg/messages_labeled.csv) if it is
    missing: a hierarchical router over the catalogue, each level's threshold from the precision target
    on a held-out fifth of the file. Returns a one-line description for the person running the command.
    """
    from massline.learning.retrain import base_file, build_candidate

    path = settings.MASSLINE_MODEL_PATH
    if path.exists() and not force:
        return f"using {path}"
    source = base_file()
    if source is None:
        return "none (no labelled history found): every request waits for a dispatcher"
    router, train, held, _window, _resolve = build_candidate([], timezone.now())
    if not router.n_models:
        return (
            f"none ({source.name} names no category of the catalogue): every request waits for a dispatcher"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    router.save(str(path))
    threshold = router.thresholds_[1]
    return (
        f"trained on {len(train):,} rows of {source.name} and saved to {path}; level 1 routes alone at "
        f"confidence ≥ {threshold:.2f} ({len(held):,} held out)"
    )
