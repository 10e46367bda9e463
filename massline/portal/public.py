"""What the public may see: which requests, with which text, found by which search.

Public pages never show requester names or contact details. The text and the replies go through
``redact_public`` which hides phones, ID numbers, e-mails, plates and names; excerpts, addresses and map
points come from ``workflow.excerpt`` (redact first, then cut). Search reads only the stored redacted text. Misconduct reports (舉報)
are never public; merged duplicates and requests rejected as invalid stay out of the lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Q, QuerySet

from massline.core.text.segment import tokenize
from massline.workflow import disclosure
from massline.workflow.excerpt import public_forms, reply_form, requester_names
from massline.workflow.models import Reply, Request
from massline.workflow.redaction import redact_public, stored_pieces

__all__ = [
    "detail_requests",
    "public_requests",
    "redact_public",
    "search",
    "search_terms",
    "stored_reply_form",
    "stored_request_form",
]

MAX_SEARCH_TOKENS = 6


def public_requests() -> QuerySet[Request]:
    """Requests the public lists show (``workflow.disclosure``: the one rule)."""
    return disclosure.listed()


def detail_requests() -> QuerySet[Request]:
    """A detail page exists for every listed request and for merged ones (which point to their lead)."""
    return disclosure.with_public_page()


# --- the stored public forms ------------------------------------------------------------------------------

_SOURCES = {"public_title": "title", "public_body": "text", "public_place": "address"}


def stored_request_form(req: Request, column: str) -> str:
    """A request's stored public form (``column``: public_title, public_body or public_place), as written
    with its text (``workflow.excerpt.public_forms``); computed by that same function for a row that has
    none yet (written before the column existed, or by a writer that bypassed it)."""
    value = getattr(req, column)
    if value or not getattr(req, _SOURCES[column]):
        return value
    forms = public_forms(req.title, req.text, req.address, requester_names(req), words=False)
    return getattr(forms, column.removeprefix("public_"))


def stored_reply_form(reply: Reply) -> str:
    """A reply's stored public form (``workflow.excerpt.reply_form``), computed when the row has none."""
    if reply.public_body or not reply.text:
        return reply.public_body
    return reply_form(reply.text, requester_names(reply.request))


def plain(stored: str) -> str:
    """A stored form as plain text, the placeholders in the current language."""
    return "".join(piece for piece, _mask, _label in stored_pieces(stored))


# --- search -----------------------------------------------------------------------------------------

_STOP = set("的了是在和与與我有吗嗎呢啊也就都很请請")
_SPLIT = re.compile(r"[\s,.;:!?,。;:!?、()()\[\]【】「」『』\"'“”‘’]+")


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for chunk in _SPLIT.split(text):
        if chunk:
            tokens.extend(tokenize(chunk))
    return tokens


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def search_terms(query: str) -> list[str]:
    """The query cut into words (Chinese too); single-character function words are dropped."""
    seen: list[str] = []
    for token in _tokenize((query or "").strip()[:200]):
        token = token.strip()
        if not token or token in _STOP or (len(token) == 1 and not token.isalnum()):
            continue
        if token.lower() not in (s.lower() for s in seen):
            seen.append(token)
    # Single Chinese characters (壞, 久) narrow the search without meaning much; keep words when there are any.
    words = [t for t in seen if len(t) > 1 or t.isascii()]
    return (words or seen)[:MAX_SEARCH_TOKENS]


def _variants(term: str) -> set[str]:
    """A word in both scripts, so that 路燈 finds 路灯 and the other way round."""
    from massline.core.text.normalize import to_simplified

    return {term, to_simplified(term), _s2t().convert(term)}


PUBLIC_FIELDS = ("public_text",)
STAFF_FIELDS = ("title", "text")


def search(qs: QuerySet[Request], query: str, fields: tuple[str, ...] = PUBLIC_FIELDS) -> QuerySet[Request]:
    """Every word must occur in the text (in either script).

    The public searches ``public_text`` only: the redacted title and text stored with the request, so a
    masked digit, an ID number or the requester's name finds nothing. Staff (the REST list, behind their
    unit's scope) may pass ``STAFF_FIELDS`` to search what they can read anyway.

    A word without letter case (Chinese, digits) is matched with a plain LIKE: ``icontains`` would
    upper-case every row's whole text for each variant, which at a million rows costs seconds."""
    for term in search_terms(query):
        cond = Q()
        for variant in _variants(term):
            lookup = "icontains" if variant.lower() != variant.upper() else "contains"
            for field in fields:
                cond |= Q(**{f"{field}__{lookup}": variant})
        qs = qs.filter(cond)
    return qs
