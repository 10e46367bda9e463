"""The one redaction pipeline: what the public, a feed, an export or an unprivileged API caller reads of a
text passes through here.

``massline.core.text.redact`` finds personal data (framework-free); this module adds the requester's own
names and renders each finding as a mask or a placeholder in the reader's language. Redact before you cut:
cut a redacted text, never the raw one, or a number straddling the cut escapes the detector.

What a public surface calls:

- ``redact_public(text, names)``: the whole text, redacted (``marked=True`` for styled pieces);
- ``public_excerpt(text, length, names)``: redacted first, then cut to ``length`` characters (the "…"
  included), never inside a mask;
- ``public_address(address, names)``: the street and the building only, redacted;
- ``public_point(lat, lon)``: rounded to about 100 m;
- ``personal_score(text, names)``: how personal the text still looks after redaction (0..1), for the
  hold-for-review queue; ``HOLD_THRESHOLD`` is the recommended cut-off;
- ``stored_form(text, names)``: the redacted text as it is STORED at write time (``Request.public_title``,
  ``public_body``, ``public_place``, ``Reply.public_body``): each mask kept as its kind, so that a page
  shows the placeholder in its reader's language without running the detector again;
  ``stored_pieces(stored)`` reads it back as ``redact_public(..., marked=True)`` would have given it, and
  ``cut_pieces(pieces, length)`` cuts such pieces as ``public_excerpt`` does.

``names`` are what identifies the requester besides the detector's findings (their name, phone and
e-mail as given at intake). See docs/privacy.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from massline.core.text.personal_score import RECOMMENDED_THRESHOLD, assess
from massline.core.text.redact import Match, default_mask, find_personal_data
from massline.core.text.redact import public_address as _core_public_address
from massline.core.text.redact import public_point as public_point

__all__ = [
    "HOLD_THRESHOLD",
    "personal_data",
    "personal_score",
    "cut_pieces",
    "placeholder",
    "public_address",
    "public_excerpt",
    "public_point",
    "redact_public",
    "stored_form",
    "stored_pieces",
]

HOLD_THRESHOLD = RECOMMENDED_THRESHOLD

# Masks that keep a useful part (138****5678, 湘A*****) come from the core; the rest get a placeholder
# in the reader's language instead of the core's ASCII tag ([ID], [NAME]).
PARTIAL_MASKS = {"mobile", "landline", "plate"}


def placeholder(kind: str) -> str:
    labels = {
        "mobile": _("phone number removed"),
        "landline": _("phone number removed"),
        "id_cn": _("ID number removed"),
        "id_tw": _("ID number removed"),
        "email": _("e-mail removed"),
        "plate": _("plate number removed"),
        "bank_card": _("card number removed"),
        "name": _("name removed"),
        "handle": _("account removed"),
        "address": _("unit and flat removed"),
    }
    return labels.get(kind, _("personal data removed"))


def personal_data(text: str, names: Iterable[str] = ()) -> list[Match]:
    """The core's findings plus every occurrence of the requester's own name(s), never overlapping."""
    found = list(find_personal_data(text))
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if all(m.end() <= f.start or m.start() >= f.end for f in found):
                found.append(Match("name", m.start(), m.end(), m.group()))
    return sorted(found, key=lambda m: m.start)


def redact_public(text: str, names: Iterable[str] = (), marked: bool = False):
    """The text with personal data hidden. ``marked=True`` gives (piece, is_mask, label) triples so that
    templates can style a mask and name what it hides."""
    text = text or ""
    pieces: list[tuple[str, bool, str]] = []
    pos = 0
    for m in personal_data(text, names):
        if m.start > pos:
            pieces.append((text[pos : m.start], False, ""))
        label = placeholder(m.kind)
        pieces.append((default_mask(m) if m.kind in PARTIAL_MASKS else f"〔{label}〕", True, label))
        pos = m.end
    if pos < len(text):
        pieces.append((text[pos:], False, ""))
    return pieces if marked else "".join(p for p, _m, _l in pieces)


def public_excerpt(text: str, length: int, names: Iterable[str] = (), marked: bool = False):
    """At most ``length`` characters of the REDACTED text, "…" included when it is cut. A mask is kept
    whole or left out, never cut: a cut mask could show digits it hides in full elsewhere."""
    pieces = cut_pieces(redact_public(text or "", names=names, marked=True), length)
    return pieces if marked else "".join(p for p, _m, _l in pieces)


Pieces = list[tuple[str, bool, str]]


def cut_pieces(pieces: Pieces, length: int) -> Pieces:
    """Redacted pieces cut to at most ``length`` characters, "…" included when cut; a mask is kept whole or
    left out. The one cutting rule of ``public_excerpt``, for pieces already redacted (a stored form)."""
    if length < 1:
        raise ValueError(f"an excerpt needs a length of at least 1 character, not {length}")
    if sum(len(p) for p, _m, _l in pieces) <= length:
        return pieces
    kept: Pieces = []
    left = length - 1
    for piece, is_mask, label in pieces:
        if len(piece) > left:
            if not is_mask and left:
                kept.append((piece[:left], False, ""))
            break
        kept.append((piece, is_mask, label))
        left -= len(piece)
    return [*kept, ("…", False, "")]


# --- the stored form ------------------------------------------------------------------------------------
# A mask is stored as OPEN kind SEP shown CLOSE, with characters from Unicode's private use area that no
# text keeps (they are taken out of the text itself): ``shown`` is the partial mask (138****5678) or empty
# for a placeholder, which is written in the reader's language when the page is shown.
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile("[\ue000-\ue002]")
_STORED_MASK = re.compile("\ue000([a-z0-9_]*)\ue001([^\ue000-\ue002]*)\ue002")


def stored_form(text: str, names: Iterable[str] = ()) -> str:
    """``text`` redacted, as stored at write time (see ``stored_pieces``). Nothing of the text outside the
    masks is changed but the three marker characters, which are dropped."""
    text = _MARKS.sub("", text or "")
    out: list[str] = []
    pos = 0
    for m in personal_data(text, names):
        out.append(text[pos : m.start])
        out.append(f"{OPEN}{m.kind}{SEP}{default_mask(m) if m.kind in PARTIAL_MASKS else ''}{CLOSE}")
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def stored_pieces(stored: str) -> Pieces:
    """A stored form as (piece, is_mask, label) triples, the placeholders in the current language: what
    ``redact_public(text, names, marked=True)`` gives, without running the detector."""
    pieces: Pieces = []
    pos = 0
    for m in _STORED_MASK.finditer(stored or ""):
        if m.start() > pos:
            pieces.append((stored[pos : m.start()], False, ""))
        label = placeholder(m.group(1))
        pieces.append((m.group(2) or f"〔{label}〕", True, label))
        pos = m.end()
    if pos < len(stored or ""):
        pieces.append((stored[pos:], False, ""))
    return pieces


def public_address(address: str, names: Iterable[str] = ()) -> str:
    """The address cut to its street and building (人民路88号3栋2单元501室 → 人民路88号3栋), with any
    other personal data in it, and the requester's names, hidden."""
    return redact_public(_core_public_address(address or ""), names=names)


def personal_score(text: str, names: Iterable[str] = ()) -> float:
    """How personal ``text`` still looks once redacted, 0..1; at or above ``HOLD_THRESHOLD`` it should wait
    for a moderator. Works on raw text and on text already redacted by this module alike."""
    return assess(redact_public(text or "", names=names), redacted=True).score
