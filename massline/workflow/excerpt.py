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
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation

from massline.core.text.redact import public_address as _street_and_building

from .redaction import (
    HOLD_THRESHOLD,
    personal_score,
    public_address,
    public_excerpt,
    public_point,
    redact_public,
    stored_form,
    stored_pieces,
)

__all__ = [
    "PublicForms",
    "hold_threshold",
    "needs_hold",
    "personal_score",
    "premoderate",
    "public_forms",
    "public_address",
    "public_excerpt",
    "public_point",
    "redact_public",
    "reply_form",
    "requester_names",
    "searchable_text",
]


# The request's columns that ``requester_names`` reads.
NAME_FIELDS = ("contact_name", "contact_phone", "contact_email")


def requester_names(req: Any) -> tuple[str, ...]:
    """What identifies the requester of ``req`` besides the detector's findings: their name, phone and
    e-mail as given at intake. Passed to the pipeline wherever the request appears."""
    values = (getattr(req, field, "") for field in NAME_FIELDS)
    return tuple(v.strip() for v in values if v and len(v.strip()) >= 2)


# --- the stored public form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicForms:
    """Everything the public reads of a request, computed once when its text is written (``public_forms``)."""

    title: str  # the stored forms (``redaction.stored_form``): masks kept as their kind, shown in the
    body: str  # reader's language by the portal (``redaction.stored_pieces``)
    place: str  # the address cut to street and building, redacted
    text: str  # ``public_text``: the redacted title and text, the masks in English, as search reads it
    words: str  # ``search_words``: ``text`` cut into words for the full-text index

    def fields(self) -> dict[str, str]:
        """As the request's columns."""
        return dict(
            zip(STORED_FIELDS, (self.title, self.body, self.place, self.text, self.words), strict=True)
        )


# The request's columns that ``public_forms`` writes, and those it reads.
STORED_FIELDS = ("public_title", "public_body", "public_place", "public_text", "search_words")
SOURCE_FIELDS = ("title", "text", "address", *NAME_FIELDS)


def public_forms(
    title: str, text: str, address: str = "", names: Iterable[str] = (), *, words: bool = True
) -> PublicForms:
    """THE function that computes what the public sees of a request: intake (``Request.save``), the bulk
    import, the migration's backfill and the bench loader all call it, and a page falls back to it only
    for a row written before the columns existed. Redact first; everything else is cut from the result.
    ``words=False`` leaves ``words`` empty (a backfill of the other columns: cutting words is the slow part)."""
    from massline.core.text.searchwords import index_words

    names = tuple(names)
    stored_title, stored_body = stored_form(title or "", names), stored_form(text or "", names)
    place = stored_form(_street_and_building(address or ""), names) if address else ""
    # in English, so that what search reads does not depend on the language of whoever submitted
    with translation.override("en"):
        plain = "".join(p for p, _m, _l in stored_pieces(stored_title))
        plain += "\n" + "".join(p for p, _m, _l in stored_pieces(stored_body))
    return PublicForms(stored_title, stored_body, place, plain, index_words(plain) if words else "")


def reply_form(text: str, names: Iterable[str] = ()) -> str:
    """A reply's stored public form (``Reply.public_body``), its requester's names hidden too."""
    return stored_form(text or "", tuple(names))


def searchable_text(title: str, text: str, names: Iterable[str] = ()) -> str:
    """The redacted title and text, as public search reads them (``Request.public_text``)."""
    return public_forms(title, text, names=names).text


def hold_threshold() -> float:
    return float(getattr(settings, "MASSLINE_HOLD_SCORE", HOLD_THRESHOLD))


def premoderate() -> bool:
    return bool(getattr(settings, "MASSLINE_PREMODERATE", False))


def needs_hold(public_text: str) -> bool:
    """A new request waits for a moderator when everything is pre-moderated, or when its redacted text
    still looks personal (``personal_score`` at or above ``MASSLINE_HOLD_SCORE``)."""
    return premoderate() or personal_score(public_text) >= hold_threshold()
