"""Training the routing model from an organisation's own history (here: the labelled govmsg set)."""

from __future__ import annotations

import logging

from django.conf import settings

from massline.core.classify import train_from_csv
from massline.shared_data import shared_data_dir

log = logging.getLogger(__name__)


def train_default_model(force: bool = False) -> str:
    """Train MASSLINE_MODEL_PATH from ../shared/data/govmsg/messages_labeled.csv if it is missing.

    Returns a one-line description of what happened, for the person running the command.
    """
    path = settings.MASSLINE_MODEL_PATH
    if path.exists() and not force:
        return f"using {path}"
    source = shared_data_dir() / "govmsg" / "messages_labeled.csv"
    if not source.exists():
        return "none (no labelled history found): every request waits for a dispatcher"
    model = train_from_csv(str(source), "message", "category")
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(path))
    return f"trained on {source.name} and saved to {path}"
