"""Place extraction from Chinese citizen text: districts, streets and towns, roads, compounds, schools.

Rule-based on purpose: citizen messages name places with a small set of suffixes (A5区, 劳动东路,
魅力之城小区, 经济学院), and rules need no model download and explain themselves. The text is first
folded to its analysis form (Simplified, half-width) so 小區 and 小区 give the same place, then cut
into runs at punctuation, function characters and district names; inside a run, the scanner takes
the shortest road or town name ending at a suffix, and the longest compound or school name.

``extract_places(text)`` returns the place strings, least specific first and most specific last:
``["A市", "A5区", "劳动东路", "魅力之城小区"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from massline.core.text.normalize import fold_width, to_simplified

__all__ = ["Place", "extract_places", "find_places", "RANKS"]

#: specificity of each kind of place; a larger rank is more specific
RANKS = {
    "province": 0,
    "city": 1,
    "district": 2,
    "town": 3,
    "village": 4,
    "road": 5,
    "compound": 6,
    "school": 6,
    "facility": 6,
}

_ADMIN = re.compile(
    r"(?P<province>(?:西地|湖南|湖北|广东|广西|河南|河北|山东|山西|江西|江苏|浙江|安徽|福建|四川|贵州|云南|陕西|甘肃|"
    r"青海|海南|辽宁|吉林|黑龙江|台湾)省)"
    r"|(?P<district>[A-Z]\d{1,2}(?:县市(?![政场民容直级委里内中])|区|县|市)"
    r"|(?:[\u4e00-\u9fff]{2,4})?(?:高新区|经开区)|[\u4e00-\u9fff]{2,4}(?:开发区|新区))"
    r"|(?P<city>[A-Z]市)"
)
# Characters that never occur inside a place name: they end a run.
_STOP = set("的了在是对把被给从向到我你他她们这那吗呢吧啊很太也就还又请让与及或但而且并其该此每各些么哪谁")
_STOP_WORDS = re.compile(
    r"部分|没有|问题|附近|旁边|对面|周边|门口|一直|严重|项目|工地|为什么|什么|怎么|如何|能否|是否|可以|已经|"
    r"居然|竟然|目前|现在|今年|去年|每天|晚上|白天|凌晨|深夜|多次|长期|没法|不能|不要|希望|要求|希望"
)
_GENERIC_PREFIX = re.compile(
    r"^(?:民办|公办|私立|配套|市直|省直|县直|区直|本地|当地|新建|一所|这所|该|本|各|全市|全县|全区|农村|城区|乡镇|"
    r"附近|周边|小区|学校|公立|普惠|私人|高档|老旧|老|新|大型|小型|多个|其他|这些|那些)+"
)
_SUFFIX = re.compile(
    r"(?:街道|镇|乡|社区|村|大道|大街|路|街|巷|小区|花园|家园|公寓|大厦|广场|公馆|山庄|庄园|新村|新城|华府|华庭|名苑|"
    r"雅苑|国际|苑|园|城|府|湾|庭|大学|学院|职院|中学|小学|附中|学校|幼儿园|医院|卫生院|地铁站|火车站|高铁站|汽车站|"
    r"公园|菜市场|市场|商场|派出所|政务中心|服务中心)(?:[一二三四五六七八九十\d]{1,2}[期段])?(?:[\u4e00-\u9fff]{0,4}校区)?$"
)
_STRONG_SUFFIX = re.compile(r"小区|花园|家园|公寓|大厦|新村|新城")
_BREAK = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9\-]+")
_LEADING = re.compile(
    r"^(?:投诉|反映|反应|咨询|举报|关于|建议|希望|请求|请问|要求|解决|问问|恳请|严惩|承办|强烈|反对|申请|询问|"
    r"和|为什么|为何|何时|如何|是否|能否|可否|位于|住在|家住|地处|座落|坐落|本人|业主|居民|市民|原|"
    r"附近|周边|旁边|对面|整个|所有|一个|这个|那个|有个|一些|多个|部分|相关|多名|关注|查处|整治|彻查|处理|"
    r"调整|规划|修建|新建|建设|取消|开放|增加|安装|设置|改造|拆除|购买|入住|进入|离开|提高|加快|去|到|至|往)+"
)
_TOWN = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:街道|镇|乡)")
_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:社区|村)")
_ROAD = re.compile(r"[\u4e00-\u9fff0-9]{1,6}?(?:大道|大街|路|街(?!道)|巷)(?:[一二三四五六七八九十\d]段)?")
_SCHOOL = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,10}(?:大学|学院|职院|中学|小学|附中|学校|幼儿园)(?:[\u4e00-\u9fff]{0,4}校区)?"
)
_COMPOUND = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,8}(?:小区|花园|家园|公寓|大厦|广场|公馆|山庄|庄园|新村|新城|华府|华庭|名苑|雅苑|"
    r"国际|苑|园|城|府|湾|庭)(?:[一二三四五六七八九十\d]{1,2}期)?"
)
_FACILITY = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,8}(?:医院|卫生院|地铁站|火车站|高铁站|汽车站|公园|菜市场|市场|商场|派出所|"
    r"政务中心|服务中心)"
)
# Matches that end with a place suffix but are ordinary words.
_NOT_PLACES = {
    "城市",
    "县城",
    "进城",
    "全城",
    "满城",
    "新城",
    "老城",
    "主城",
    "城区",
    "小区",
    "社区",
    "本小区",
    "花园",
    "校园",
    "公园",
    "幼儿园",
    "家园",
    "庄园",
    "乐园",
    "田园",
    "园",
    "国际",
    "中国",
    "马路",
    "道路",
    "公路",
    "铁路",
    "网路",
    "思路",
    "出路",
    "线路",
    "走路",
    "修路",
    "大街",
    "上街",
    "逛街",
    "乡村",
    "农村",
    "山村",
    "全村",
    "本村",
    "该村",
    "村",
    "城镇",
    "乡镇",
    "全镇",
    "学校",
    "大学",
    "中学",
    "小学",
    "学院",
    "市场",
    "商场",
    "医院",
    "小学校",
    "临街",
    "沿街",
    "当街",
    "主街",
    "大路",
    "小路",
    "过街",
    "一条街",
    "步行街",
    "民办学校",
    "公办学校",
    "私立学校",
    "培训学校",
}


@dataclass(frozen=True)
class Place:
    text: str
    kind: str
    start: int

    @property
    def rank(self) -> int:
        return RANKS[self.kind]


def _analysis_form(text: str) -> str:
    """Simplified, half-width, upper-case Latin (the masked names A5区 are upper case)."""
    return to_simplified(fold_width(text or "")).upper()


def _runs(text: str):
    """(start, run) pieces free of punctuation and function characters."""
    text = _STOP_WORDS.sub(lambda m: " " * len(m.group()), text)
    for piece in re.finditer(r"[^\s]+", _BREAK.sub(lambda m: " " * len(m.group()), text)):
        start, run = piece.start(), piece.group()
        begin = 0
        for i, ch in enumerate(run + "的"):
            if ch in _STOP:
                if i > begin:
                    yield start + begin, run[begin:i]
                begin = i + 1


def _clean(kind: str, name: str) -> str:
    name = _LEADING.sub("", name)
    if kind == "compound":
        strong = _STRONG_SUFFIX.search(name, 2)
        rest = name[strong.end() :] if strong else ""
        if strong and rest and not re.fullmatch(r"[一二三四五六七八九十\d]{1,2}期|小区", rest):
            name = name[: strong.end()]
    stem = _SUFFIX.sub("", name)
    if not stem or _GENERIC_PREFIX.fullmatch(stem):
        return ""
    if kind == "road" and re.search(r"(?:道路|马路|小路|大路|路段|人行道)$", name):
        return ""
    if name.endswith(("村镇", "社区村", "家庭", "法庭", "城管", "进城")):
        return ""
    return name


_SCANNERS = (
    ("town", _TOWN),
    ("village", _VILLAGE),
    ("road", _ROAD),
    ("compound", _COMPOUND),
    ("school", _SCHOOL),
    ("facility", _FACILITY),
)


_COMPOUND_SUFFIX = re.compile(r"小区|花园|家园|公寓|大厦|新村|新城|广场")


def _scan_run(offset: int, run: str) -> list[Place]:
    """Place names in one run: at each position, the candidate that ends first wins."""
    found: list[Place] = []
    i = 0
    while i < len(run):
        matches = [(m.end(), kind, m) for kind, pattern in _SCANNERS if (m := pattern.match(run, i))]
        if not matches:
            i += 1
            continue
        end, kind, m = min(matches, key=lambda t: t[0])
        text = m.group()
        if kind == "road" and (more := _COMPOUND_SUFFIX.match(run, end)):
            kind, text, end = "compound", text + more.group(), more.end()  # 金路小区 is a compound
        name = _clean(kind, text)
        if len(name) >= 2 and name not in _NOT_PLACES and not name[:-1].isdigit():
            start = i + text.index(name)
            found.append(Place(name, kind, offset + start))
            i = start + len(name)
        else:  # a generic word ("配套幼儿园"): skip it whole rather than find a tail of it
            i = end
    return found


def find_places(text: str) -> list[Place]:
    """Every place mention in ``text`` (analysis form), in reading order."""
    form = _analysis_form(text)
    places: list[Place] = []
    last = 0
    segments = []
    for m in _ADMIN.finditer(form):
        kind = m.lastgroup or "district"
        places.append(Place(m.group(), kind, m.start()))
        segments.append((last, form[last : m.start()]))
        last = m.end()
    segments.append((last, form[last:]))
    for seg_start, segment in segments:
        for start, run in _runs(segment):
            places.extend(_scan_run(seg_start + start, run))
    places.sort(key=lambda p: p.start)
    return places


def extract_places(text: str) -> list[str]:
    """Distinct place names in ``text``, least specific first, most specific last."""
    seen: dict[str, Place] = {}
    for place in find_places(text):
        seen.setdefault(place.text, place)
    return [p.text for p in sorted(seen.values(), key=lambda p: (p.rank, p.start))]
