"""What counts as a leak of a seed: its raw value, its secret part, or any 8 of its digits in a row.

Digits are compared after folding every way of writing them (full width, Chinese and capital numerals,
幺 for 1) and dropping separators, so ``138 1234 5678`` or ``一三八…`` left in a page is found as well."""

from __future__ import annotations

import re

from .seeds import Seed

_NUMERALS = str.maketrans(
    "０１２３４５６７８９〇零一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖两",
    "01234567890012345678911223345667892",
)
_SEPARATORS = re.compile(r"[\s.\-·•()（）\[\]+/_,，．－]")


def digits_view(text: str) -> str:
    """``text`` with every numeral as an ASCII digit and separators removed."""
    return _SEPARATORS.sub("", text.translate(_NUMERALS))


def secrets_of(seed: Seed) -> list[str]:
    """The strings that must not appear in the redacted text."""
    raw = seed.raw
    out = [raw]
    if seed.kind == "email":
        out.append(re.split(r"\s*[\[(]?\s*(?:@|＠|\bat\b|\bAT\b)", raw)[0].strip())
    if seed.kind == "plate":
        out.append(re.sub(r"[·•.\- ]", "", raw)[2:])
    return [s for s in out if s]


def digit_windows(seed: Seed, width: int = 8) -> list[str]:
    digits = re.sub(r"\D", "", digits_view(seed.raw))
    return [digits[i : i + width] for i in range(len(digits) - width + 1)]


def leaks(seed: Seed, redacted: str) -> list[str]:
    """Every way in which ``redacted`` still shows ``seed`` (empty when it is gone)."""
    found = [s for s in secrets_of(seed) if s.lower() in redacted.lower()]
    view = digits_view(redacted)
    found += [w for w in digit_windows(seed) if w in view]
    return found
