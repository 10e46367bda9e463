"""What the public may see: which requests, with which text, found by which search.

Public pages never show requester names or contact details. The text and the replies go through
``redact_public`` which hides phones, ID numbers, e-mails, plates and names. Misconduct reports (舉報)
are never public; merged duplicates and requests rejected as invalid stay out of the lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from massline.workflow.models import Request

from . import redaction

HIDDEN_KINDS = ("report",)
HIDDEN_STATES = ("merged", "rejected")
MAX_SEARCH_TOKENS = 6


def public_requests() -> QuerySet[Request]:
    return Request.objects.exclude(kind__in=HIDDEN_KINDS).exclude(state__in=HIDDEN_STATES)


def detail_requests() -> QuerySet[Request]:
    """A detail page exists for every public request and for merged ones (which point to their lead)."""
    return Request.objects.exclude(kind__in=HIDDEN_KINDS).exclude(state="rejected")


# --- redaction --------------------------------------------------------------------------------------


def _core_spans(text: str):
    """Spans from the core redactor when it exists (start, end, kind); None when it doesn't."""
    try:
        from massline.core.text.redact import find_personal_data
    except ImportError:
        return None
    spans = []
    for item in find_personal_data(text):
        start = getattr(item, "start", None)
        if start is None and isinstance(item, (tuple, list)):
            start, end, kind = item[0], item[1], (item[2] if len(item) > 2 else "personal")
        else:
            end, kind = item.end, getattr(item, "kind", "personal")
        spans.append(redaction.Span(int(start), int(end), str(kind)))
    return sorted(spans)


def personal_data_spans(text: str, names: Iterable[str] = ()) -> list[redaction.Span]:
    spans = _core_spans(text)
    if spans is None:
        spans = redaction.find_personal_data(text)
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        spans.extend(redaction.Span(m.start(), m.end(), "name") for m in re.finditer(re.escape(name), text))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[redaction.Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = redaction.Span(merged[-1].start, span.end, merged[-1].kind)
            continue
        merged.append(span)
    return merged


def placeholder(kind: str) -> str:
    labels = {
        "phone": _("phone number removed"),
        "id_number": _("ID number removed"),
        "email": _("e-mail removed"),
        "plate": _("plate number removed"),
        "name": _("name removed"),
    }
    return labels.get(kind, _("personal data removed"))


def redact_public(text: str, names: Iterable[str] = (), marked: bool = False):
    """The text with personal data replaced by a placeholder. ``marked=True`` gives (piece, is_placeholder)
    pairs so templates can style the placeholders."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for span in personal_data_spans(text or "", names):
        if span.start > pos:
            pieces.append((text[pos : span.start], False))
        pieces.append((f"〔{placeholder(span.kind)}〕", True))
        pos = span.end
    if pos < len(text or ""):
        pieces.append((text[pos:], False))
    return pieces if marked else "".join(p for p, _m in pieces)


# --- search -----------------------------------------------------------------------------------------

_STOP = set("的了是在和与與我有吗嗎呢啊也就都很请請")
_SPLIT = re.compile(r"[\s,.;:!?,。;:!?、()()\[\]【】「」『』\"'“”‘’]+")


def _tokenize(text: str) -> list[str]:
    try:
        from massline.core.text.segment import tokenize
    except ImportError:
        tokenize = None
    tokens: list[str] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        if tokenize is not None:
            tokens.extend(tokenize(chunk))
        elif re.search(r"[\u4e00-\u9fff]", chunk) and len(chunk) > 2:
            import rjieba

            tokens.extend(rjieba.cut(chunk))
        else:
            tokens.append(chunk)
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


def search(qs: QuerySet[Request], query: str) -> QuerySet[Request]:
    """Every word must occur in the title or the text (in either script)."""
    for term in search_terms(query):
        cond = Q()
        for variant in _variants(term):
            cond |= Q(title__icontains=variant) | Q(text__icontains=variant)
        qs = qs.filter(cond)
    return qs
