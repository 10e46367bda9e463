"""Encoding detection for exported files: UTF-8, UTF-16, GB18030/GBK and Big5.

Hotline exports come from Windows tools as often as from the web, so a CSV may be UTF-8 (with or
without a BOM), UTF-16 (Excel's "Unicode text"), GBK/GB18030 (mainland Windows) or Big5/CP950
(Taiwan and Hong Kong Windows). Byte order marks and strict UTF-8 decide most files. GBK and Big5
cannot be told apart by validity alone, because most byte sequences are valid in both, so each
candidate that decodes is scored by how *plausible* the result is: the share of its CJK characters
that are among the common characters of either script (GB2312 level 1 and Big5 level 1, about 8,000
characters together). Text decoded with the wrong one of the two is mostly rare characters, kana,
box-drawing and Cyrillic; the right one scores close to 1.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from pathlib import Path

# Decoders are tried in this order; the first of a family that decodes strictly names the family.
_GB_FAMILY = ("gbk", "gb18030")
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
# How many decoded characters the plausibility score looks at; enough for a stable share.
_SCORE_SAMPLE = 20_000
# Below this share of common characters a decoding is not believed.
MIN_PLAUSIBILITY = 0.6


class UnknownEncodingError(ValueError):
    """No candidate encoding decodes the data into plausible text."""

    def __init__(self, source: str, tried: list[str], detail: str = ""):
        self.source = source
        self.tried = tried
        message = (
            f"cannot tell the text encoding of {source}: tried {', '.join(tried)}"
            + (f" ({detail})" if detail else "")
            + ". Save the file as UTF-8, or name its encoding explicitly."
        )
        super().__init__(message)


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB2312 level 1 (3,755 frequent Simplified) and Big5 level 1 (5,401 frequent Traditional)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level 1 rows 16-55
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):  # Big5 frequent characters A440-C67E
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


# Punctuation and symbols that real Chinese text uses; they count as plausible.
_COMMON_PUNCT = frozenset(
    "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·．～￥％＃＠＆＊－＋＝／　﹐﹑﹔﹕﹖﹗"
)


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common CJK characters or punctuation (1.0 if none)."""
    common = _common_chars()
    total = good = 0
    for ch in text[:_SCORE_SAMPLE]:
        if ord(ch) < 0x80:
            continue
        total += 1
        if ch in common or ch in _COMMON_PUNCT or 0xFF01 <= ord(ch) <= 0xFF5E:
            good += 1
    return 1.0 if total == 0 else good / total


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: in mostly-ASCII text every other byte is NUL."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, source: str = "the data") -> tuple[str, str]:
    """Decode ``data``, returning ``(text, encoding)``; ``data.decode(encoding) == text`` holds.

    Raises :class:`UnknownEncodingError` (a ``ValueError``) naming ``source`` and the encodings tried
    when nothing decodes plausibly.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data, "utf-8-sig")
        if text is not None:
            return text, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
        if text is not None:
            return text, "utf-16"
    text = _strict(data, "utf-8")
    if text is not None and "\x00" not in text:
        return text, "utf-8"
    utf16 = _looks_like_bomless_utf16(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            return text, utf16
    tried = ["utf-8"]
    candidates: list[tuple[float, int, str, str]] = []
    families: list[tuple[str, ...]] = [_GB_FAMILY, _BIG5_FAMILY]
    if b"\x00" in data:
        # BOM-less UTF-16 of mostly-CJK text has too few NUL bytes for the test above, but any ASCII
        # delimiter leaves one; such data then competes on plausibility.
        families += [("utf-16-le",), ("utf-16-be",)]
    for rank, family in enumerate(families):
        for encoding in family:
            tried.append(encoding)
            decoded = _strict(data, encoding)
            if decoded is not None:
                # On a tie, prefer GB (rank 0): mainland exports are the common case.
                candidates.append((plausibility(decoded), -rank, decoded, encoding))
                break
    if not candidates:
        raise UnknownEncodingError(source, tried, "no candidate decodes the bytes without errors")
    score, _, decoded, encoding = max(candidates, key=lambda c: (c[0], c[1]))
    if score < MIN_PLAUSIBILITY:
        raise UnknownEncodingError(
            source, tried, f"the best guess, {encoding}, gives mostly rare characters ({score:.0%} common)"
        )
    return decoded, encoding


def read_text_file(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read a whole text file, detecting its encoding unless one is given; returns ``(text, encoding)``."""
    path = Path(path)
    data = path.read_bytes()
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise UnknownEncodingError(str(path), [encoding], str(exc)) from exc
        except LookupError as exc:
            raise UnknownEncodingError(str(path), [encoding], "Python knows no such encoding") from exc
    return decode_bytes(data, source=str(path))
