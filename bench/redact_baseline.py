"""Personal-data detection and redaction for the public portal and for exports.

:func:`find_personal_data` finds, with character offsets into the original text:

==========  ==========================================================  =====================
kind        what                                                        replaced by
==========  ==========================================================  =====================
mobile      mainland mobile numbers, 1[3-9]x xxxx xxxx, +86 optional   ``138****5678``
landline    0 + 2-3 digit area code, 7-8 digit number, -/()/space ok   ``0731-****5678``
id_cn       18-digit resident ID, GB 11643 checksum and a real birth   ``[ID]``
            date; 15-digit pre-1999 IDs with a real birth date
id_tw       Taiwan ID, letter + 9 digits, with its checksum            ``[ID]``
email       e-mail addresses                                            ``[EMAIL]``
plate       mainland plates (湘A12345, 粤B·D12345 new energy) and      ``湘A*****``,
            Taiwan plates (ABC-1234, AB-1234, 1234-AB)                  ``***-****``
bank_card   16-19 digit card numbers (groups of 4 allowed) passing     ``[CARD]``
            Luhn, starting 3/4/5/6/9 as issued cards do
name        a name right after 我叫/我名/本人/我的名字是 if it starts with      ``[NAME]``
            a common surname and ends at punctuation or 男/女
==========  ==========================================================  =====================

The scheme is one for every language: digits and letters masked with ``*`` where keeping part of
the value helps a reader (the operator of a phone line, the city of a plate), and an ASCII tag in
brackets where nothing of the value may remain. Digits are never taken from inside a longer run of
digits or letters, which keeps dates (2019-08-18), amounts (43000元), reference numbers
(A00074011, 20190830123456) and ordinary counts out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from massline.core.text.normalize import fold_width

KINDS = ("mobile", "landline", "id_cn", "id_tw", "email", "plate", "bank_card", "name")


@dataclass(frozen=True)
class Match:
    """One piece of personal data: its kind, its offsets in the original text, and the text itself."""

    kind: str
    start: int
    end: int
    text: str


# -- validators ------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def valid_cn_id(number: str) -> bool:
    """An 18-digit resident ID with a real region digit, birth date and GB 11643 check character."""
    number = number.upper()
    if len(number) == 18:
        if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
            return False
        if number[0] not in "12345678":
            return False
        if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return False
        total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == number[17]
    if len(number) == 15 and number.isdigit():
        # Pre-1999 IDs: no check digit, a two-digit birth year in the 1900s.
        return number[0] in "12345678" and _valid_date(
            1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        )
    return False


# Letter codes of the Taiwan ID checksum, in the order A..Z.
_TW_LETTER = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def valid_tw_id(number: str) -> bool:
    """Taiwan national ID (or new-style resident certificate): letter, 1/2/8/9, 8 digits, checksum."""
    number = number.upper()
    if len(number) != 10 or number[0] not in _TW_LETTER or not number[1:].isdigit():
        return False
    if number[1] not in "1289":
        return False
    code = _TW_LETTER[number[0]]
    total = code // 10 + (code % 10) * 9
    total += sum(int(d) * w for d, w in zip(number[1:9], range(8, 0, -1), strict=True))
    total += int(number[9])
    return total % 10 == 0


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# -- patterns --------------------------------------------------------------------------------------

# No digit or Latin letter may touch a number on either side (keeps ids and codes intact).
_L = r"(?<![0-9A-Za-z])"
_R = r"(?![0-9A-Za-z])"

_MOBILE = re.compile(_L + r"(?:(?:\+|00)?86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2})" + _R)
_LANDLINE = re.compile(_L + r"(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[ -—]?\d{7,8}(?:-\d{1,5})?" + _R)
_ID_CN = re.compile(_L + r"(\d{17}[\dXx]|\d{15})" + _R)
_ID_TW = re.compile(_L + r"([A-Za-z][1289]\d{8})" + _R)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_PROVINCES = "京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊"
_PLATE_CN = re.compile(
    r"([" + _PROVINCES + r"])([A-HJ-NP-Za-hj-np-z])[·•・.\- ]?"
    r"([A-HJ-NP-Za-hj-np-z0-9]{5,6})(?:[挂掛学學警港澳领領])?" + _R
)
_PLATE_TW = re.compile(_L + r"(?:[A-Z]{2,3}-\d{4}|\d{4}-[A-Z]{2})" + _R)
# Standards and certificates look like Taiwan plates; they are not personal data.
_NOT_PLATES = {"ISO", "GB", "GBT", "EN", "IEC", "DIN", "JIS", "ICP", "COVID", "SARS", "MERS", "NO", "TEL"}
_CARD = re.compile(_L + r"([3-69]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?|[3-69]\d{15,18})" + _R)
_SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖"
    "田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦"
    "邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯欧歐易常文"
)
_NAME = re.compile(
    r"(?:我叫|我名叫|我名|我的名字(?:是|叫)|本人(?:叫|名叫)?)"
    r"([" + _SURNAMES + r"][\u4e00-\u9fff]{1,2})(?=[,，。、;；:：!！\s(（]|男|女|$)"
)


def _mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    hidden = set(digits[keep_start : len(digits) - keep_end])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _find_all(text: str) -> list[Match]:
    folded = fold_width(text)  # same length: offsets stay valid for the original
    found: list[Match] = []

    def add(kind: str, start: int, end: int) -> None:
        found.append(Match(kind, start, end, text[start:end]))

    for m in _ID_CN.finditer(folded):
        if valid_cn_id(m.group(1)):
            add("id_cn", *m.span(1))
    for m in _ID_TW.finditer(folded):
        if valid_tw_id(m.group(1)):
            add("id_tw", *m.span(1))
    for m in _CARD.finditer(folded):
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not valid_cn_id(digits):
            add("bank_card", *m.span(1))
    for m in _MOBILE.finditer(folded):
        add("mobile", *m.span())
    for m in _LANDLINE.finditer(folded):
        add("landline", *m.span())
    for m in _EMAIL.finditer(folded):
        add("email", *m.span())
    for m in _PLATE_CN.finditer(folded):
        tail = m.group(3)
        if sum(ch.isdigit() for ch in tail) >= 3:
            add("plate", *m.span())
    for m in _PLATE_TW.finditer(folded):
        if m.group(0).split("-")[0] not in _NOT_PLATES:
            add("plate", *m.span())
    for m in _NAME.finditer(folded):
        add("name", *m.span(1))
    return found


# When matches overlap, the more specific kind wins, then the longer match.
_PRIORITY = {
    k: i
    for i, k in enumerate(("id_cn", "id_tw", "bank_card", "email", "mobile", "landline", "plate", "name"))
}


def find_personal_data(text: str, kinds: Iterable[str] | None = None) -> list[Match]:
    """Personal data in ``text``, in order, never overlapping; ``kinds`` limits what is looked for."""
    if not text:
        return []
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown personal-data kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
    candidates = [m for m in _find_all(text) if m.kind in wanted]
    candidates.sort(key=lambda m: (_PRIORITY[m.kind], -(m.end - m.start), m.start))
    chosen: list[Match] = []
    for m in candidates:
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def default_mask(match: Match) -> str:
    """The replacement for one match (see the table in the module docstring)."""
    value = match.text
    if match.kind == "mobile":
        return _mask_digits(value, len(re.sub(r"\D", "", value)) - 8, 4)
    if match.kind == "landline":
        area = re.match(r"[(（]?0\d{2,3}[)）]?[ -—]?", fold_width(value))
        head = value[: area.end()] if area else ""
        return head + _mask_digits(value[len(head) :], 0, 4)
    if match.kind == "plate":
        if value[0] in _PROVINCES:
            return value[:2] + re.sub(r"[0-9A-Za-z]", "*", value[2:])
        return re.sub(r"[0-9A-Za-z]", "*", value)
    return {"id_cn": "[ID]", "id_tw": "[ID]", "email": "[EMAIL]", "bank_card": "[CARD]", "name": "[NAME]"}[
        match.kind
    ]


def redact(
    text: str, kinds: Iterable[str] | None = None, *, mask: Callable[[Match], str] = default_mask
) -> str:
    """``text`` with every piece of personal data replaced by ``mask(match)``."""
    if not text:
        return text or ""
    out, last = [], 0
    for m in find_personal_data(text, kinds):
        out.append(text[last : m.start])
        out.append(mask(m))
        last = m.end
    out.append(text[last:])
    return "".join(out)
