"""Public pieces of a request: an excerpt, an address, a map point, the search text, a hold score.

Every public surface (cards, search, the map, Open311, the REST tracking view, reports, consultation
statements) takes its text from here, so that the order is always the same: redact first, then cut.
A number straddling a cut no longer matches the detector, so cutting the raw text leaks its first digits.

The redaction itself is ``massline.workflow.redaction`` (one pipeline). When that module offers its own
``public_excerpt``, ``public_address``, ``public_point`` or ``personal_score``, those are used; the
versions below are the minimal fallbacks used until then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation

from . import redaction
from .redaction import redact_public

# Map points are rounded to 3 decimals: about 110 m of latitude, less of longitude.
POINT_DECIMALS = 3
DEFAULT_HOLD_SCORE = 0.5


def requester_names(req: Any) -> tuple[str, ...]:
    """What identifies the requester of ``req`` besides the detector's findings: their name, phone and
    e-mail as given at intake. Passed to the pipeline wherever the request appears."""
    values = (
        getattr(req, "contact_name", ""),
        getattr(req, "contact_phone", ""),
        getattr(req, "contact_email", ""),
    )
    return tuple(v.strip() for v in values if v and len(v.strip()) >= 2)


def _cut_pieces(pieces: list[tuple[str, bool, str]], length: int) -> list[tuple[str, bool, str]]:
    """Keep ``length`` characters of redacted pieces; a mask is kept whole or dropped, never cut."""
    out: list[tuple[str, bool, str]] = []
    left = length
    for piece, is_mask, label in pieces:
        if len(piece) <= left:
            out.append((piece, is_mask, label))
            left -= len(piece)
            continue
        if not is_mask and left > 0:
            out.append((piece[:left], False, ""))
        out.append(("…", False, ""))
        break
    return out


def _public_excerpt(text: str, length: int, names: Iterable[str] = (), marked: bool = False):
    pieces = redact_public(text or "", names=tuple(names), marked=True)
    total = sum(len(p) for p, _m, _l in pieces)
    if total > length:
        pieces = _cut_pieces(pieces, max(0, length - 1))
    return pieces if marked else "".join(p for p, _m, _l in pieces)


# An address is kept down to the street and the building: the unit, floor and flat go.
_DETAIL = re.compile(
    r"[-－]?[0-9０-９一二三四五六七八九十〇零]+\s*(?:单元|單元|层|層|楼|樓|室|户|戶|号房|號房|[Ff](?![A-Za-z]))"
)
_BUILDING_THEN_MORE = re.compile(r"(?:栋|棟|幢|号楼|號樓|座)(?=.*[0-9０-９])")
_DASHED = re.compile(r"(?<=[0-9])[-－][0-9]+[-－][0-9]+")


def _public_address(address: str, names: Iterable[str] = ()) -> str:
    text = redact_public(address or "", names=tuple(names))
    cut = len(text)
    for pattern in (_DETAIL, _DASHED):
        m = pattern.search(text)
        if m:
            cut = min(cut, m.start())
    m = _BUILDING_THEN_MORE.search(text[:cut])
    if m:
        cut = min(cut, m.end())
    return text[:cut].rstrip(" ,，、-－")


def _public_point(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    if lat is None or lon is None:
        return None, None
    return round(float(lat), POINT_DECIMALS), round(float(lon), POINT_DECIMALS)


# Nine digits or more in a row (spaces, dots and dashes allowed between them, Chinese numerals too): a
# phone, ID or card number the detector did not recognise. Dates (8 digits) and amounts stay below it.
_D = "0-9０-９〇零一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_DIGITISH = re.compile(rf"[{_D}](?:[\s.\-－·]?[{_D}]){{8,}}")
_HANDLE = re.compile(
    r"(?i)(?:微信|wechat|weixin|vx|wx|qq|line|telegram|tg)\s*(?:号|號|id)?\s*[:：]?\s*[A-Za-z0-9_\-]{5,}"
)
_SELF_NAME = re.compile(r"(?:我是|我叫|本人|敝姓|我姓)[\u4e00-\u9fff]{1,3}")
_AT_WORD = re.compile(
    r"(?i)[A-Za-z0-9._-]+\s*[(\[（]\s*(?:at|艾特)\s*[)\]）]\s*[A-Za-z0-9-]+\s*(?:[(\[（]\s*dot\s*[)\]）]|\.)"
)


def _personal_score(text: str) -> float:
    """How much ``text`` (already redacted) still looks personal, from 0 to 1."""
    score = 0.0
    for pattern, weight in ((_DIGITISH, 0.6), (_HANDLE, 0.6), (_AT_WORD, 0.6), (_SELF_NAME, 0.3)):
        if pattern.search(text or ""):
            score += weight
    return min(score, 1.0)


public_excerpt = getattr(redaction, "public_excerpt", _public_excerpt)
public_address = getattr(redaction, "public_address", _public_address)
public_point = getattr(redaction, "public_point", _public_point)
personal_score = getattr(redaction, "personal_score", _personal_score)


# --- the stored public form -----------------------------------------------------------------------------


def searchable_text(title: str, text: str, names: Iterable[str] = ()) -> str:
    """The redacted title and text, as public search reads them. Stored on the request (``public_text``)
    when it is submitted or its text changes; in English so the stored masks do not depend on the
    language of whoever submitted."""
    with translation.override("en"):
        return f"{redact_public(title or '', names=tuple(names))}\n{redact_public(text or '', names=tuple(names))}"


def hold_threshold() -> float:
    default = getattr(redaction, "HOLD_THRESHOLD", DEFAULT_HOLD_SCORE)
    return float(getattr(settings, "MASSLINE_HOLD_SCORE", default))


def premoderate() -> bool:
    return bool(getattr(settings, "MASSLINE_PREMODERATE", False))


def needs_hold(public_text: str) -> bool:
    """A new request waits for a moderator when everything is pre-moderated, or when its redacted text
    still looks personal (``personal_score`` at or above ``MASSLINE_HOLD_SCORE``)."""
    return premoderate() or personal_score(public_text) >= hold_threshold()
