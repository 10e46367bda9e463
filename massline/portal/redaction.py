"""A fallback personal-data finder for public pages, used only while ``massline.core.text.redact`` is absent.

It finds mainland ID numbers, mobile and landline phone numbers, e-mail addresses, vehicle plates and
self-introduced names ("我叫…", "姓名:…"). It errs on the side of hiding: a public page may lose a long
number that was not personal, but must never show one that was.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PROVINCES = "京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊使领領"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "id_number",
        re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])"),
    ),
    ("id_number", re.compile(r"(?<!\d)\d{15}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[ -]?)?[2-9]\d{6,7}(?!\d)")),
    ("plate", re.compile(rf"[{_PROVINCES}][A-Za-z][ ·.•-]?[A-Za-z0-9]{{5,6}}(?![A-Za-z0-9])")),
    (
        "name",
        re.compile(
            r"(?:我叫|本人叫|我的名字是|姓名[:: ]\s*|聯繫人[:: ]\s*|联系人[:: ]\s*)([\u4e00-\u9fff]{2,3})"
        ),
    ),
]


class Span(NamedTuple):
    start: int
    end: int
    kind: str


def find_personal_data(text: str) -> list[Span]:
    """Non-overlapping spans of personal data, in order. For names only the name itself is a span."""
    spans: list[Span] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = (m.start(1), m.end(1)) if m.groups() else (m.start(), m.end())
            spans.append(Span(start, end, kind))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            continue
        merged.append(span)
    return merged
