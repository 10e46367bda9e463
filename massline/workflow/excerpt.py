"""Public pieces of a request: an excerpt, an address, a map point, the search text, a hold score.

Every public surface (cards, search, the map, Open311, the REST tracking view, reports, consultation
statements) takes its text from here, so that the order is always the same: redact first, then cut.
A number straddling a cut no longer matches the detector, so cutting the raw text leaks its first digits.

The redaction itself, and ``public_excerpt``, ``public_address``, ``public_point`` and ``personal_score``,
are ``massline.workflow.redaction`` (one pipeline), re-exported here; this module adds what is specific
to a request: its requester's names, its stored search text and whether it is held for review.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation

from .redaction import (
    HOLD_THRESHOLD,
    personal_score,
    public_address,
    public_excerpt,
    public_point,
    redact_public,
)

__all__ = [
    "hold_threshold",
    "needs_hold",
    "personal_score",
    "premoderate",
    "public_address",
    "public_excerpt",
    "public_point",
    "redact_public",
    "requester_names",
    "searchable_text",
]


def requester_names(req: Any) -> tuple[str, ...]:
    """What identifies the requester of ``req`` besides the detector's findings: their name, phone and
    e-mail as given at intake. Passed to the pipeline wherever the request appears."""
    values = (
        getattr(req, "contact_name", ""),
        getattr(req, "contact_phone", ""),
        getattr(req, "contact_email", ""),
    )
    return tuple(v.strip() for v in values if v and len(v.strip()) >= 2)


# --- the stored public form -----------------------------------------------------------------------------


def searchable_text(title: str, text: str, names: Iterable[str] = ()) -> str:
    """The redacted title and text, as public search reads them. Stored on the request (``public_text``)
    when it is submitted or its text changes; in English so the stored masks do not depend on the
    language of whoever submitted."""
    with translation.override("en"):
        return f"{redact_public(title or '', names=tuple(names))}\n{redact_public(text or '', names=tuple(names))}"


def hold_threshold() -> float:
    return float(getattr(settings, "MASSLINE_HOLD_SCORE", HOLD_THRESHOLD))


def premoderate() -> bool:
    return bool(getattr(settings, "MASSLINE_PREMODERATE", False))


def needs_hold(public_text: str) -> bool:
    """A new request waits for a moderator when everything is pre-moderated, or when its redacted text
    still looks personal (``personal_score`` at or above ``MASSLINE_HOLD_SCORE``)."""
    return premoderate() or personal_score(public_text) >= hold_threshold()
