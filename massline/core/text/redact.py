"""Personal-data detection and redaction for the public portal and for exports.

:func:`find_personal_data` finds, with character offsets into the original text:

==========  ==============================================================  ======================
kind        what                                                            replaced by
==========  ==============================================================  ======================
mobile      mainland mobiles (1[3-9]x, +86/0086 optional), Taiwan mobiles   ``138****5678``,
            (09xx, +886 9xx)                                                ``09**-***-678``
landline    0 + area code + 7-8 digits, mainland and Taiwan ((02)2345-6789,  ``0731-****7890``
            +886 2 …), and 7-12 digits right after 电话/Tel/座机 …
id_cn       18-digit resident ID, GB 11643 checksum and a real birth date;   ``[ID]``
            15-digit pre-1999 IDs with a real birth date
id_tw       Taiwan ID, letter + 9 digits, with its checksum                  ``[ID]``
email       e-mail addresses, also written ``name(at)x.com``,               ``[EMAIL]``
            ``name at x dot com``, ``name＠x.com``
plate       mainland plates (湘A12345, 粤B·D12345) and Taiwan plates          ``湘A*****``, ``***-****``
bank_card   16-19 digit card numbers passing Luhn, starting 3/4/5/6/9;       ``[CARD]``
            8+ digits right after 卡号/账号/账户
name        a 2-3 character name (or a surname) after 我叫, 我是, 本人, 敝姓,   ``[NAME]``
            我姓, 姓名:, 联系人: …, when it starts with a common surname
handle      WeChat (微信号, wxid_…), QQ, LINE, Telegram ids, a bare           ``[ACCOUNT]``
            ``@handle``, platform user ids (网友“A000110735”)
address     the part of an address below the building: unit, floor, flat     ``[FLAT]``
            (3栋 *2单元501室*, 12號 *4樓之1*, B座 *1503房*)
==========  ==============================================================  ======================

Numbers are read the way people write them: full-width digits, Chinese and capital numerals
(一三八…, 幺, 壹贰叁…), and groups split by spaces, dots, dashes or brackets (138 1234 5678,
138.1234.5678, 4301 0219 8506 1712 3X). A number is always a whole run of digits, never part of one,
which keeps dates (2019-08-18), amounts (43000元), reference numbers (20190830123456) and counts out;
letters may touch it (tel13812345678). Numbers written with Chinese numerals are masked whole.

The scheme is one for every language: digits masked with ``*`` where keeping part of the value helps a
reader (the operator of a phone line, the city of a plate), never keeping fewer than 4 digits hidden or
8 in a row, and an ASCII tag in brackets where nothing of the value may remain.

:func:`public_address` cuts an address to its street and building, :func:`public_point` rounds a map
point to about 100 m, and :func:`personal_score` says how personal a text still looks after redaction.
See docs/privacy.md for what is covered and what is not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from massline.core.text.normalize import fold_width

KINDS = ("mobile", "landline", "id_cn", "id_tw", "email", "plate", "bank_card", "name", "handle", "address")


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


# -- numbers ---------------------------------------------------------------------------------------

# Chinese and capital numerals, one character for one digit (幺 is how 1 is read out in phone numbers).
# 两 and 十 are left out: nobody spells a phone number with them, and they are common in prose.
_NUMERALS = {
    **dict.fromkeys("〇零", "0"),
    **dict(zip("一二三四五六七八九", "123456789", strict=True)),
    **dict.fromkeys("幺壹", "1"),
    **dict.fromkeys("贰貳", "2"),
    **dict.fromkeys("叁參", "3"),
    "肆": "4",
    "伍": "5",
    **dict.fromkeys("陆陸", "6"),
    "柒": "7",
    "捌": "8",
    "玖": "9",
}
_TO_DIGITS = str.maketrans(_NUMERALS)
_HAS_NUMERAL = re.compile("[{0}][ 0-9{0}]{{3}}".format("".join(_NUMERALS)))

# A run of digit groups: 138 1234 5678, 138.1234.5678, (02)2345-6789, +886 2 2345 6789, 4301…123X.
_SEP = r"(?:[ ]?[.\-·–—][ ]?|[ ]{1,2}|[ ]?[)）][ \-]?|[ ]?[(（])"
_RUN = re.compile(r"(?:\+|\(|（)?[0-9]+(?:" + _SEP + r"[0-9]+)*(?:[Xx](?![A-Za-z]))?")
_GROUP = re.compile(r"[0-9]+[Xx]?")
_MAX_GROUPS = 12  # 1 3 8 1 2 3 4 5 6 7 8: a number spelt out digit by digit

_MOBILE_CN = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")
_MOBILE_TW = re.compile(r"09[0-9]{8}|(?:00)?8869[0-9]{8}")
_LANDLINE = re.compile(r"0[1-9][0-9]{7,10}|(?:00)?886[2-8][0-9]{7,8}")
_LANDLINE_INTL_CN = re.compile(r"(?:00)?86[2-9][0-9]{8,10}")


def _classify(digits: str, plus: bool, dotted: bool) -> str | None:
    """The kind of a whole number, from its digits alone (X only as an ID's check character). Dots
    split phone numbers (138.1234.5678) but not IDs or cards: 61.2524.5097.0658 is a table of decimals."""
    if len(set(digits)) == 1:
        return None  # 0000-00000000 is a placeholder that an export left, nobody's number
    if dotted:  # only a whole run of dotted groups, and only as a mobile: 138.1234.5678, 0912.345.678
        return "mobile" if _MOBILE_CN.fullmatch(digits) or _MOBILE_TW.fullmatch(digits) else None
    if digits.endswith(("X", "x")):
        return "id_cn" if len(digits) == 18 and valid_cn_id(digits) else None
    n = len(digits)
    if n in (15, 18) and valid_cn_id(digits):
        return "id_cn"
    if 16 <= n <= 19 and digits[0] in "34569" and luhn_ok(digits):
        return "bank_card"
    if _MOBILE_CN.fullmatch(digits) or _MOBILE_TW.fullmatch(digits):
        return "mobile"
    if _LANDLINE.fullmatch(digits) or (plus and _LANDLINE_INTL_CN.fullmatch(digits)):
        return "landline"
    return None


def _numbers(view: str, found: list[Match], text: str, only_numerals: bool) -> None:
    """Numbers in ``view`` (the text with one character per original character): each run of digit
    groups is classified whole, else its longest sub-sequences of whole groups, left to right."""
    for run in _RUN.finditer(view):
        if run.end() - run.start() < 9:
            continue  # fewer than 9 characters hold fewer than 9 digits: no number of any kind (dates, counts)
        if only_numerals and all(text[i].isdigit() for i in range(run.start(), run.end())):
            continue  # plain digits were read in the first pass
        groups = [(g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run.group())]
        plus = run.group().startswith("+")
        sizes = [0]  # digits in groups[:k]
        for a, b in groups:
            sizes.append(sizes[-1] + b - a)
        i = 0
        while i < len(groups):
            for j in range(min(len(groups), i + _MAX_GROUPS) - 1, i - 1, -1):
                if not 9 <= sizes[j + 1] - sizes[i] <= 19:  # shorter than a landline, longer than a card
                    continue
                digits = "".join(view[a:b] for a, b in groups[i : j + 1])
                if "." in view[groups[i][0] : groups[j][1]] and (i, j) != (0, len(groups) - 1):
                    continue
                kind = _classify(digits, plus and i == 0, "." in run.group())
                if kind:
                    start = run.start() if i == 0 else groups[i][0]
                    found.append(Match(kind, start, groups[j][1], text[start : groups[j][1]]))
                    i = j
                    break
            i += 1


# A number right after a cue word that says what it is (电话：84567890, 账号 1234 5678 9012).
# Each pattern that starts with an alternation or a look-behind is led by a look-ahead on the characters
# it can start with: the regex engine then skips to those characters, 3-4 times faster on long texts.
_PHONE_CUE = re.compile(
    r"(?=[电電手座联聯号號TtPpMm])(?:电话|電話|手机|手機|座机|座機|联系方式|聯繫方式|聯絡方式|号码|號碼|[Tt]el|TEL|[Pp]hone|[Mm]obile)"
    r"(?:号码|號碼|号|號)?\s*[:：]?\s*((?:[0-9]" + _SEP + r"?){6,11}[0-9])(?![0-9])"
)
_ACCOUNT_CUE = re.compile(
    r"(?:卡号|卡號|账号|賬號|帐号|帳號|账户|賬戶|帐户|帳戶|银行卡|銀行卡|存折|存摺)\s*[:：]?\s*"
    r"((?:[0-9][ \-]?){7,29}[0-9])(?![0-9])"
)


# -- e-mail, plates, names, handles -----------------------------------------------------------------

_AT = r"(?:\s*(?:@|[(\[{<（]\s*(?:at|AT|@)\s*[)\]}>）]|艾特)\s*|\s+(?:at|AT)\s+)"
_DOT = r"(?:\s*(?:\.|[(\[{<（]\s*(?:dot|DOT|\.)\s*[)\]}>）]|点|點)\s*|\s+(?:dot|DOT)\s+)"
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)(" + _AT + r")"
    r"([A-Za-z0-9][A-Za-z0-9-]*(?:"
    + _DOT
    + r"[A-Za-z0-9-]+){0,4}?)("
    + _DOT
    + r")([A-Za-z]{2,10})(?![A-Za-z0-9])"
)
# Written-out forms (" at ", " dot ") are e-mail only with a top-level domain people really use.
_TLDS = {
    "com",
    "cn",
    "net",
    "org",
    "edu",
    "gov",
    "tw",
    "hk",
    "mo",
    "io",
    "me",
    "info",
    "co",
    "uk",
    "de",
    "jp",
}

_PROVINCES = "京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊"
_PLATE_CN = re.compile(
    r"([" + _PROVINCES + r"])([A-HJ-NP-Za-hj-np-z])[·•・.\- ]?"
    r"([A-HJ-NP-Za-hj-np-z0-9]{5,6})(?:[挂掛学學警港澳领領])?(?![0-9A-Za-z])"
)
_PLATE_TW = re.compile(r"(?=[A-Z0-9])(?<![0-9A-Za-z])(?:[A-Z]{2,3}-\d{4}|\d{4}-[A-Z]{2})(?![0-9A-Za-z])")
# Standards and certificates look like Taiwan plates; they are not personal data.
_NOT_PLATES = {"ISO", "GB", "GBT", "EN", "IEC", "DIN", "JIS", "ICP", "COVID", "SARS", "MERS", "NO", "TEL"}
_ID_TW = re.compile(r"(?=[A-Za-z])(?<![0-9A-Za-z])([A-Za-z][1289]\d{8})(?![0-9A-Za-z])")

_SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖"
    "田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦"
    "邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯欧歐易常文"
    "柳邢岳施洪傅康樊齐齊殷葛伍乔喬牛温溫庞龐蓝藍聂聶章鲁魯凌柯阮彭包左安骆駱邬鄔祝尚倪甘翁滕屈游詹"
)
_COMPOUND = (
    "欧阳|歐陽|司马|司馬|上官|诸葛|諸葛|东方|東方|皇甫|令狐|慕容|尉迟|尉遲|公孙|公孫|长孙|長孫|宇文|"
    "司徒|夏侯|轩辕|軒轅|端木|独孤|獨孤|南宫|南宮|西门|西門"
)
_SURNAME = "(?:" + _COMPOUND + "|[" + _SURNAMES + "])"
# What may follow a name: punctuation, 男/女, or the words that usually come next in a complaint.
_AFTER_NAME = (
    r"(?=[,，。.、;；:：!！?？\s(（)）\"“”'」』]|男|女|$|家住|住在|现住|現住|居住|今年|年龄|年齡|电话|電話"
    r"|手机|手機|联系|聯繫|聯絡|身份|身分|是|系|在|于|於|来自|來自)"
)
_NAME = re.compile(
    r"(我叫|我名叫|我名|我的名字(?:是|叫)|本人(?:叫|名叫|是)?|我是|姓名\s*[:：]?\s*|联系人\s*[:：]?\s*"
    r"|聯絡人\s*[:：]?\s*|聯繫人\s*[:：]?\s*)(" + _SURNAME + r"[\u4e00-\u9fff]{1,2})" + _AFTER_NAME
)
# 敝姓陈 (the surname alone), 本人姓李名华侨 (and the given name after 名).
_SURNAME_ONLY = re.compile(
    r"(?:敝姓|我姓|本人姓|免贵姓|免貴姓|鄙人姓)("
    + _SURNAME
    + r"(?:[,，]?名[\u4e00-\u9fff]{1,2}"
    + _AFTER_NAME
    + ")?)"
)
# After 我是 (a weaker cue than 我叫) these endings make a word, not a name: 我是江西人, 我是高中生, 我是常客了.
_NOT_NAME_END = set("人生员員工户戶者家区區县縣市省镇鎮村们們的了吗嗎呢啊吧呀师師主友姐哥叔姨客级級部")

_MESSENGER = (
    r"(?:微信|微訊|威信|薇信|[Vv]信|[Vv][Xx]|[Ww][Xx]|WeChat|Wechat|wechat|[Ww]eixin)(?:号|號|帐号|帳號|[Ii][Dd])?"
    r"|(?:QQ|qq|Qq|扣扣)(?:号码|號碼|号|號)?"
    r"|(?:LINE|Line)\s?(?:ID|id|Id|帳號|账号|號|号)?|line\s?(?:ID|id)"
    r"|(?:Telegram|telegram|TG|电报|電報|Skype|skype|抖音|微博)(?:号|號|ID|id)?"
)
_HANDLE_CUE = re.compile(
    r"(?=[微威薇VvWwQq扣LlTt电電Ss抖])(?:"
    + _MESSENGER
    + r")\s*(?:[:：=]|是|为|為)?\s*[“\"「『'(（]?\s*(@?[A-Za-z0-9][A-Za-z0-9._-]{3,31})"
)
_NOT_HANDLES = {"account", "group", "official", "number", "moments", "public", "pay", "http", "https", "www"}
_WXID = re.compile(r"wxid_[A-Za-z0-9_-]{4,}")
_AT_HANDLE = re.compile(r"(?<![A-Za-z0-9._%+-])@[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_@.])")
_USER_ID = re.compile(
    r"(?=[网網留用账帳Ii])(?:网友|網友|留言用户|留言用戶|用户|用戶|网民|網民|用户名|用戶名|账号|帳號|ID|id)\s*[:：]?\s*[“\"「『']?\s*"
    r"([A-Za-z]{0,2}[0-9]{5,12})(?![0-9])"
)


# -- addresses --------------------------------------------------------------------------------------

_N = r"(?:[0-9]{1,4}|[一二三四五六七八九十〇零两]{1,3})"
_UNIT = _N + r"\s?(?:单元|單元)"
# 33层楼, 18层建筑, 七层楼 count floors; 80户, 02户型 count or describe flats: none of them is an address.
_FLOOR = _N + r"\s?(?:楼|樓|层(?![楼樓建高住板房])|層(?![楼樓建高住板房])|[Ff](?![A-Za-z]))(?:之" + _N + ")?"
_ROOM = _N + r"\s?(?:室|号房|號房|房)(?!型|间|間|屋|子|产|產)"
_BARE_ROOM = r"[0-9]{3,4}(?![0-9号號栋棟幢座楼樓层層年月日元米平万萬套户戶人个個])"
_D = r"[-－]?"
_FLAT = (
    f"(?:{_UNIT}(?:{_D}{_FLOOR})?(?:{_D}(?:{_ROOM}|{_BARE_ROOM}))?"
    f"|{_FLOOR}(?:{_D}(?:{_ROOM}|{_BARE_ROOM}))?|{_ROOM}|{_BARE_ROOM})"
)
_FLAT_SUFFIXED = f"(?:{_UNIT}(?:{_D}{_FLOOR})?(?:{_D}{_ROOM})?|{_FLOOR}(?:{_D}{_ROOM})?|{_ROOM})"
_ADDRESS = re.compile(
    r"(?=[栋棟幢座号號0-9一二三四五六七八九十〇零两])(?:(?:栋|棟|幢|座|号楼|號樓|栋楼|棟樓)"
    + _D
    + f"(?P<building>{_FLAT})"
    r"|[号號]" + f"(?P<door>{_FLAT_SUFFIXED})"
    f"|(?P<unit>{_UNIT}{_D}(?:{_FLOOR}{_D})?(?:{_ROOM}|{_BARE_ROOM}))"
    r"|(?<![0-9])(?P<room>[0-9]{2,5}\s?(?:室|号房|號房)))"
)


# -- finding ---------------------------------------------------------------------------------------


def _find_numbers(text: str, folded: str, found: list[Match]) -> None:
    _numbers(folded, found, text, only_numerals=False)
    if _HAS_NUMERAL.search(folded):
        _numbers(folded.translate(_TO_DIGITS), found, text, only_numerals=True)
    for m in _PHONE_CUE.finditer(folded):
        if len(set(re.sub(r"\D", "", m.group(1)))) > 1:
            found.append(Match("landline", *m.span(1), text[m.start(1) : m.end(1)]))
    for m in _ACCOUNT_CUE.finditer(folded):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) >= 8 and len(set(digits)) > 1:
            found.append(Match("bank_card", *m.span(1), text[m.start(1) : m.end(1)]))


def _find_names(text: str, folded: str, add: Callable[[str, int, int], None]) -> None:
    for m in _NAME.finditer(folded):
        name = m.group(2)
        if m.group(1) == "我是" and (name[-1] in _NOT_NAME_END or len(name) > 3):
            continue
        add("name", *m.span(2))
    for m in _SURNAME_ONLY.finditer(folded):
        add("name", *m.span(1))


def _find_handles(folded: str, add: Callable[[str, int, int], None]) -> None:
    for m in _HANDLE_CUE.finditer(folded):
        value = m.group(1).rstrip("._-")
        if value.lower().lstrip("@") not in _NOT_HANDLES and len(set(re.sub(r"[^0-9A-Za-z]", "", value))) > 1:
            add("handle", m.start(1), m.start(1) + len(value))
    for pattern in (_WXID, _AT_HANDLE) if "@" in folded or "wxid_" in folded else ():
        for m in pattern.finditer(folded):
            add("handle", *m.span())
    for m in _USER_ID.finditer(folded):
        if len(set(m.group(1))) > 1:
            add("handle", *m.span(1))


def _find_emails(folded: str, add: Callable[[str, int, int], None]) -> None:
    for m in _EMAIL.finditer(folded):
        spelt_out = "@" not in m.group(2) and not re.search(r"[(\[{<（]", m.group(2))
        if spelt_out and m.group(5).lower() not in _TLDS:
            continue
        add("email", *m.span())


def _find_all(text: str) -> list[Match]:
    folded = fold_width(text)  # same length: offsets stay valid for the original
    found: list[Match] = []

    def add(kind: str, start: int, end: int) -> None:
        found.append(Match(kind, start, end, text[start:end]))

    _find_numbers(text, folded, found)
    for m in _ID_TW.finditer(folded):
        if valid_tw_id(m.group(1)):
            add("id_tw", *m.span(1))
    if "@" in folded or "at" in folded or "AT" in folded or "艾特" in folded:
        _find_emails(folded, add)
    for m in _PLATE_CN.finditer(folded):
        if sum(ch.isdigit() for ch in m.group(3)) >= 3:
            add("plate", *m.span())
    for m in _PLATE_TW.finditer(folded) if "-" in folded else ():  # both of its forms hold a dash
        if m.group(0).split("-")[0] not in _NOT_PLATES:
            add("plate", *m.span())
    _find_names(text, folded, add)
    _find_handles(folded, add)
    for m in _ADDRESS.finditer(folded):
        group = next(g for g in ("building", "door", "unit", "room") if m.group(g) is not None)
        add("address", *m.span(group))
    return found


# When matches overlap, the more specific kind wins, then the longer match.
_PRIORITY = {
    k: i
    for i, k in enumerate(
        ("id_cn", "id_tw", "bank_card", "email", "mobile", "landline", "plate", "handle", "name", "address")
    )
}


def find_personal_data(text: str, kinds: Iterable[str] | None = None) -> list[Match]:
    """Personal data in ``text``, in order, never overlapping; ``kinds`` limits what is looked for."""
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown personal-data kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
    if not text:
        return []
    candidates = [m for m in _find_all(text) if m.kind in wanted]
    candidates.sort(key=lambda m: (_PRIORITY[m.kind], -(m.end - m.start), m.start))
    # Chosen matches never overlap, so their starts and ends are both sorted: one bisect finds the
    # neighbours a candidate could overlap (a text made of 20,000 matches stays linear-logarithmic).
    starts: list[int] = []
    chosen: list[Match] = []
    for m in candidates:
        i = bisect.bisect_right(starts, m.start)
        if (i and chosen[i - 1].end > m.start) or (i < len(chosen) and chosen[i].start < m.end):
            continue
        starts.insert(i, m.start)
        chosen.insert(i, m)
    return chosen


# -- masks -----------------------------------------------------------------------------------------


def _is_digit(ch: str) -> bool:
    return ch.isdigit() or ch in _NUMERALS


def _mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    digits = [i for i, ch in enumerate(value) if _is_digit(ch) or ch in "Xx"]
    hidden = set(digits[keep_start : len(digits) - keep_end])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _mask_number(match: Match) -> str:
    value = match.text
    if any(ch in _NUMERALS for ch in value):
        return _mask_digits(value, 0, 0)  # 一三八…: nothing of it is kept
    digits = re.sub(r"\D", "", fold_width(value))
    n = len(digits)
    if match.kind == "mobile":
        taiwan = digits.startswith(("09", "8869", "008869"))
        keep_start, keep_end = n - 8, 3 if taiwan else 4
    else:
        groups = re.findall(r"\d+", fold_width(value))
        keep_start = len(groups[0]) if len(groups) > 1 and len(groups[0]) <= 4 else 0
        keep_end = 4
    keep_end = max(0, min(keep_end, n - keep_start - 4))  # at least 4 digits always hidden
    return _mask_digits(value, keep_start, keep_end)


_TAGS = {
    "id_cn": "[ID]",
    "id_tw": "[ID]",
    "email": "[EMAIL]",
    "bank_card": "[CARD]",
    "name": "[NAME]",
    "handle": "[ACCOUNT]",
    "address": "[FLAT]",
}


def default_mask(match: Match) -> str:
    """The replacement for one match (see the table in the module docstring)."""
    if match.kind in ("mobile", "landline"):
        return _mask_number(match)
    if match.kind == "plate":
        value = match.text
        if value[0] in _PROVINCES:
            return value[:2] + re.sub(r"[0-9A-Za-z]", "*", value[2:])
        return re.sub(r"[0-9A-Za-z]", "*", value)
    return _TAGS[match.kind]


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


# -- addresses and map points ----------------------------------------------------------------------


def public_address(address: str) -> str:
    """``address`` cut to its street and building: 人民路88号3栋2单元501室 → 人民路88号3栋,
    中山路5弄12號4樓 → 中山路5弄12號. Every other kind of personal data in it is masked as well."""
    cut = redact(address or "", mask=lambda m: "" if m.kind == "address" else default_mask(m))
    return re.sub(r"[\s,，、\-－]+$", "", cut)


# Three decimals of a degree: 111 m of latitude everywhere, 111 m × cos(latitude) of longitude (about
# 95 m in Guangzhou, 85 m in Harbin). Enough to place a pothole on its street, not a person in a building.
POINT_DECIMALS = 3


def public_point(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """A map point rounded to about 100 m; (None, None) when either coordinate is missing."""
    if lat is None or lon is None:
        return None, None
    return round(float(lat), POINT_DECIMALS), round(float(lon), POINT_DECIMALS)
