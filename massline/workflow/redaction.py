"""The one redaction pipeline: what the public, a feed, an export or an unprivileged API caller reads of a
text passes through here.

``massline.core.text.redact`` finds personal data (framework-free); this module adds the requester's own
names and renders each finding as a mask or a placeholder in the reader's language. Redact before you cut:
cut a redacted text, never the raw one, or a number straddling the cut escapes the detector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from massline.core.text.redact import Match, default_mask, find_personal_data

# --- --------------------------------------------------------------------------------------

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
    }
    return labels.get(kind, _("personal data removed"))


def personal_data(text: str, names: Iterable[str] = ()) -> list[Match]:
    """The core's findings plus every occurrence of the requester's own name(s), never overlapping."""
    found = list(find_personal_data(text))
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
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
