"""Text normalisation for analysis.

Analysis always runs on a *normalised* copy: Traditional converted to Simplified (OpenCC t2s),
full-width ASCII folded to half-width, whitespace collapsed. The original text is kept for display.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC t2s; the length is preserved for CJK characters."""
    if not text:
        return ""
    return _t2s().convert(text)


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space become half-width; CJK punctuation is kept."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def collapse_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


def normalize_for_analysis(text: str) -> str:
    """The canonical analysis form: NFC, half-width, Simplified, single spaces, lower-case Latin."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = fold_width(text)
    text = to_simplified(text)
    return collapse_whitespace(text).lower()
