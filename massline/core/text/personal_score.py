"""How personal a text still looks after redaction: a score in [0, 1] and the reasons for it.

The detector (``massline.core.text.redact``) masks what it recognises. What it does not recognise can
still be personal: a long run of digits in an unknown format, a cue word (身份证, 电话, 住址 …)
followed by digits, an @ that was not part of a recognised address, a name cue (我叫, 本人 …) followed by
what could be a name. Each signal has a weight; the score is ``1 - Π(1 - weight)`` over the signals found,
so one strong signal (0.5-0.6) reaches the recommended threshold of 0.5 and a name cue alone (0.3) does
not. A request or statement at or above the threshold is held for a moderator before it is published.

On the 7,935 govmsg messages, a threshold of 0.5 holds 0.84 % of them (see docs/privacy.md for the
measurement and the command).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from massline.core.text.normalize import fold_width
from massline.core.text.redact import _RUN, _SURNAME, _TO_DIGITS, redact

RECOMMENDED_THRESHOLD = 0.5

WEIGHTS = {
    "digits": 0.6,  # 7+ digits in a row (separators allowed) that are neither a date nor an amount
    "cue_digits": 0.5,  # 身份证 / 电话 / 住址 … followed within a few characters by 5+ digits
    "spelt_at": 0.5,  # (at), [at], 艾特: an e-mail written to dodge a filter
    "handle_cue": 0.5,  # 微信 / QQ / LINE … followed by an id
    "at": 0.3,  # an @ left over
    "name_cue": 0.3,  # 我叫 / 本人 / 姓名 … followed by a surname
}

_AMOUNT_AFTER = re.compile(r"\s*(?:元|块|塊|万|萬|亿|億|角|分钱|米|平|%|％|份|个|個|人|次|年|月|日|号|號|期)")
_DATE = re.compile(r"(?:19|20)\d\d\D")
_CUE_DIGITS = re.compile(
    r"(?:身份证|身份證|身分證|证件|證件|电话|電話|手机|手機|座机|座機|住址|地址|家住|门牌|門牌|卡号|卡號|账号|帳號"
    r"|联系方式|聯繫方式|聯絡方式|号码|號碼)[^0-9]{0,6}([0-9][0-9\s\-.]{3,}[0-9])"
)
_SPELT_AT = re.compile(r"[(\[{<（]\s*(?:at|AT|@)\s*[)\]}>）]|艾特")
_HANDLE_CUE = re.compile(
    r"(?:微信|微訊|[Vv]信|[Vv][Xx]|[Ww]e[Cc]hat|QQ|qq|扣扣|LINE|Line|Telegram|TG)(?:号|號|ID|id)?\s*[:：]?\s*[A-Za-z0-9_]{3,}"
)
_NAME_CUE = re.compile(
    r"(?:我叫|我名叫|我是|本人|敝姓|我姓|姓名|联系人|聯絡人|聯繫人)(?:是|叫)?\s*[:：]?\s*"
    + _SURNAME
    + r"[\u4e00-\u9fff]"
)
_NOT_DIGIT = re.compile(r"[^0-9]")
_NUMERAL = re.compile("[" + "".join(chr(c) for c in _TO_DIGITS) + "]")  # a character _TO_DIGITS changes
# Exports often blank personal numbers with zeros (0000-00000000): a blank is not personal.
_ZERO_BLANK = re.compile(r"0{4,}")


@dataclass(frozen=True)
class Assessment:
    """The score and the signals behind it, each as ``"kind: the text that raised it"``."""

    score: float
    reasons: tuple[str, ...]


def _digit_runs(view: str) -> list[str]:
    runs = []
    for m in _RUN.finditer(view):
        if m.end() - m.start() < 7:
            continue  # fewer than 7 characters hold fewer than 7 digits
        digits = _NOT_DIGIT.sub("", m.group())
        if len(digits) < 7 or len(set(digits)) == 1:  # 0000-00000000 is a placeholder, not a number
            continue
        if _DATE.match(m.group().lstrip("+(（")) or _AMOUNT_AFTER.match(view, m.end()):
            continue
        if "." in m.group() and any(len(g) <= 2 for g in re.findall(r"[0-9]+", m.group())):
            continue  # decimals: 12645.75, 92.88 90.48
        runs.append(m.group())
    return runs


def assess(text: str, *, redacted: bool = False) -> Assessment:
    """Score ``text`` (redacted first unless ``redacted=True``) for what still looks personal."""
    public = _ZERO_BLANK.sub("_", fold_width(text if redacted else redact(text or "")))
    found: dict[str, str] = {}
    runs = _digit_runs(public.translate(_TO_DIGITS) if _NUMERAL.search(public) else public)
    if runs:
        found["digits"] = runs[0]
    for m in _CUE_DIGITS.finditer(public):
        # 6 digits at least: 12345 and 95xxx are service lines; a date after 电话 is when, not who.
        if len(_NOT_DIGIT.sub("", m.group(1))) >= 6 and not _DATE.match(m.group(1)):
            found["cue_digits"] = m.group()
            break
    for kind, pattern in (
        ("spelt_at", _SPELT_AT),
        ("handle_cue", _HANDLE_CUE),
        ("name_cue", _NAME_CUE),
    ):
        hit = pattern.search(public)
        if hit:
            found[kind] = hit.group()
    if "@" in public and "spelt_at" not in found:
        found["at"] = public[max(0, public.index("@") - 8) : public.index("@") + 8]
    keep = 1.0
    for kind in found:
        keep *= 1 - WEIGHTS[kind]
    return Assessment(round(1 - keep, 4), tuple(f"{k}: {v}" for k, v in found.items()))


def personal_score(text: str, *, redacted: bool = False) -> float:
    """How personal ``text`` still looks after redaction, from 0 (nothing) to 1."""
    return assess(text, redacted=redacted).score
