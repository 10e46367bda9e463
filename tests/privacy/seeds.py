"""Shared helpers for the personal-data corpora: a seed, and valid check digits computed here.

The corpora compute their own check digits (they do not trust the detector's validators)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seed:
    """One piece of personal data planted in a sentence: its class, the raw value, the sentence."""

    kind: str
    raw: str
    text: str


def cn_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def card(body: str) -> str:
    return next(body + d for d in "0123456789" if _luhn(body + d))


_TW = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def tw_id(body9: str) -> str:
    """A Taiwan ID: letter + 8 digits given, the check digit computed."""
    code = _TW[body9[0]]
    total = (
        code // 10
        + (code % 10) * 9
        + sum(int(d) * w for d, w in zip(body9[1:], range(8, 0, -1), strict=True))
    )
    return body9 + str((10 - total % 10) % 10)
