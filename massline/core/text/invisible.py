"""Characters that change how text looks without being seen.

Bidi controls (U+200E/U+200F marks, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates)
can reverse what a reader sees ("gnp.exe" shown as "exe.png") and hide a phone number from the eye
while the redactor still reads it, or the other way round. Zero-width spaces and non-joiners
(U+200B, U+200C) and byte-order marks (U+FEFF) split words invisibly, which defeats search, duplicate
detection and redaction. They are removed at intake.

The zero-width joiner (U+200D) is kept where it glues an emoji sequence (👨‍👩‍👧, 🏳️‍🌈): between two
pictographs, or after a pictograph's variation selector or skin tone. Everywhere else it goes too.
"""

from __future__ import annotations

import re

_ALWAYS = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# What may stand either side of a joiner in an emoji ZWJ sequence.
_PICTO = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\U0001f000-\U0001faff"
_BEFORE = _PICTO + "\ufe0f\U0001f3fb-\U0001f3ff\u20e3"
_STRAY_ZWJ = re.compile(f"(?<![{_BEFORE}])\u200d|\u200d(?![{_PICTO}])")


def strip_invisible(text: str) -> str:
    """``text`` without bidi controls, zero-width characters or byte-order marks (see the module)."""
    if not text:
        return text
    return _STRAY_ZWJ.sub("", _ALWAYS.sub("", text))
