"""Text pieces of reply scoring: clauses, demands, places, and the phrase patterns of each criterion.

Everything works on the analysis form of the text (``normalize_for_analysis``: Simplified, half-width,
lower case), so Traditional and Simplified replies are scored alike.
"""

from __future__ import annotations

import re

from massline.core.text.normalize import normalize_for_analysis

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,：:。！？!?；;\n])")
_QUOTED = re.compile(r"“[^”]{0,80}”|\"[^\"]{0,80}\"|「[^」]{0,80}」|‘[^’]{0,80}’")
_ID_OR_NUMBER = re.compile(r"[a-z]*\d+[a-z0-9]*")
_PUNCT = re.compile(r"[\s\W_]+")
_DATE_ONLY = re.compile(r"^(0年)?(0月)?(0日)?(上午|下午)?$")
_GRAM_CHARS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")

# Clauses that are template wherever they appear, so a scorer fitted on a tiny corpus still knows them.
_BUILTIN_TEMPLATE = re.compile(
    r"收悉|收到|回复如下|答复如下|说明如下|回复:?$|^特此(回复|答复)|感谢.{0,20}(支持|关心|关注|监督|理解|信任|问政|来信|留言)"
    r"|谢谢|^(尊敬的|亲爱的)?(网友|网民|市民|同志|先生|女士)?.{0,12}(您好|你好)$|祝您|敬请(关注|谅解)"
    r"|转(交|至|到|给)?.{0,30}(处理|办理|核处|核实|调查|答复|反馈|处置|办复)|将及时(回复|反馈)|高度重视$|欢迎.{0,12}(监督|意见|建议)"
)
_GREETING = re.compile(r"您好|你好|尊敬的|亲爱的|网友|市民朋友|同志")
_THANKS = re.compile(r"感谢|谢谢|致谢|歉意|抱歉|谅解|祝您")

_DEMAND = re.compile(
    r"请|要求|希望|建议|能否|可否|能不能|可不可以|何时|什么时候|为什么|为何|是否|怎么|怎样|如何|？|\?"
    r"|呼吁|恳请|恳求|盼|望(政府|领导|有关|相关|上级|贵|你们|尽快|早日|能|给)|督促|查处|严查"
)
_DEMAND_STOP_WORDS = (
    "请问 希望 建议 要求 领导 政府 部门 有关 相关 能否 是否 什么 为什么 何时 解决 问题 反映 谢谢 "
    "恳请 呼吁 尽快 我们 你们 他们 这个 那个 一下 请求 市民 老百姓 群众 尊敬 您好 你好 重视 高度 督促 "
    "做主 尽心尽力 抽时间 管管 管一管 百姓 业主 居民 上级 关注 处理 帮助 支持 感谢 烦请 望有关 给予"
).split()
# Every 2- and 3-character piece of those words: n-grams that carry no content of their own.
_DEMAND_STOP = {w[i : i + n] for w in _DEMAND_STOP_WORDS for n in (2, 3) for i in range(len(w) - n + 1)}


def _contentful(gram: str) -> bool:
    return gram not in _DEMAND_STOP and gram[:2] not in _DEMAND_STOP and gram[-2:] not in _DEMAND_STOP


_REASON = re.compile(
    r"考虑|综合|已由|经查|经核查|经核实|经调查|经了解|据查|据了解|据核实|调查|核实|现场|查勘|勘察|由于|因为|原因|因此|所以|鉴于"
    r"|目前|现已|已经|已于|已完成|已将|已对|确有|不存在|属于|不属于|符合|不符合"
)
_BASIS = re.compile(
    r"(根据|依据|按照|依照|遵照|参照)[^，。；]{0,40}?(规定|文件|条例|办法|政策|要求|标准|法|通知|意见|精神|细则|方案|批复)"
    r"|第[一二三四五六七八九十百零\d]+条|[〔\[（(【]\s*(19|20)\d\d\s*[〕\]）)】][^，。；]{0,8}?\d+\s*号|\d+号(文|令)"
)
# Question types a reply can answer without repeating the question's words.
_ASKS = (
    (
        re.compile(r"为什么|为何|什么原因|何故|理由"),
        re.compile(r"由于|因为|原因|鉴于|考虑|因此|所以|之所以|系"),
    ),
    (
        re.compile(r"何时|什么时候|多久|多长时间|几时|时间表"),
        re.compile(r"\d+年|\d+月|年底|月底|年内|上半年|下半年|近期|尽快|预计|计划|暂无|暂未"),
    ),
    (
        re.compile(r"能否|可否|是否|能不能|可不可以|有没有|可以.{0,8}吗|合法|合理"),
        re.compile(r"可以|能够|不能|无法|不予|同意|不宜|符合|不符合|没有|不属于|属于|不存在|合法|依法合规"),
    ),
    (
        re.compile(r"怎么|怎样|如何|哪里|哪个|哪些|流程|程序|手续"),
        re.compile(
            r"可(到|向|通过|拨打|登录|携带|咨询)|请(到|向|携带|拨打|登录)|流程|程序|须|需要|应当|提供"
        ),
    ),
)
_BOOK_TITLE = re.compile(r"《([^》]{2,60})》")
_NEXT_STEP = re.compile(
    r"下一步|下阶段|今后|后续|预计|计划|争取|限期|责令|已安排|将于|将会|将继续|将进一步|将加强|将及时|将组织|将对"
    r"|将在|将按|将根据|将依法|督促|整改|尽快|加快|正在|待.{1,10}后"
    # actions already taken on the case count as the "what is being done" part of an explanation
    r"|(已|已经|进行了|立即)(责令|下达|拆除|处罚|约谈|立案|查处|清理|维修|安装|完成|安排|派|组织|联系|协调|停产|退还)"
)
_PHONE = re.compile(
    r"(?<![a-z\d])(0\d{2,3}[-－—]\d{3,4}[-－—]?\d{4,8}|0\d{2,3}[-－—]?\d{7,8}|1[3-9]\d{9}|123\d\d)(?!\d)"
    r"|(电话|热线|致电|拨打)[:：(（]?\s*\d{7,8}(?!\d)"
)
_CONTACT_WORDS = re.compile(
    r"(联系|咨询|致电|拨打|前往|来人|到).{0,24}(电话|窗口|科|室|中心|所|局|站|网站|公众号|大厅)|联系电话|咨询电话|联系人"
)

# Places: compounds, roads, schools and masked districts (A市, A2区); places.py refines this when present.
_PLACE = re.compile(
    r"[a-z]\d*[市区县]|[\u4e00-\u9fff0-9]{2}(?:小区|街道|社区|大道|中学|小学|大学|学院|医院|幼儿园|公园|广场|"
    r"花园|花苑|家园|公寓|大厦|高速|路|街|巷|村|镇|乡)"
)
_PLACE_STOP_CHARS = set(
    "的了在我们这那条个上下是和与及也还就都被把让给对从到向以为于所之其该本此每各有无不没很"
)
_PLACE_GENERIC = re.compile(
    r"(公路|马路|道路|线路|铁路|小路|大路|山路|水路|思路|套路|出路|一路|农村|乡村|城乡|乡镇|城镇|全村|本村|"
    r"小学生|大学生|中学生|社区|街道|小区)$"
)


def _norm(text: str) -> str:
    return normalize_for_analysis(text or "")


def _clause_key(norm_clause: str) -> str:
    """The shape of a clause: quotes emptied, numbers and user ids as 0, punctuation dropped."""
    key = _QUOTED.sub("“”", norm_clause)
    key = _ID_OR_NUMBER.sub("0", key)
    return _PUNCT.sub("", key.replace("“”", "q"))


def _strip_punct(text: str) -> str:
    return _PUNCT.sub("", text)


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """Character n-grams inside runs of CJK characters or of Latin letters/digits (no punctuation)."""
    grams: list[str] = []
    for run in _GRAM_CHARS.findall(text):
        for n in sizes:
            grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("_x000D_", " ")).strip()


def split_clauses(text: str) -> list[str]:
    """Clauses of a reply, split at Chinese and ASCII punctuation, original characters kept."""
    return [c.strip() for c in _CLAUSE_SPLIT.split(_collapse(text)) if c.strip()]


def _aligned_clauses(text: str) -> tuple[list[str], list[str]]:
    """(original clauses, normalised clauses), normalising the whole text once (OpenCC is per call).

    Normalisation keeps the length of CJK text, so the clause boundaries found in the normalised
    text cut the original at the same offsets; if it did not, the normalised clauses stand for both.
    """
    original = _collapse(text)
    norm = _norm(original)
    pieces = [c for c in _CLAUSE_SPLIT.split(norm) if c.strip()]
    if len(norm) != len(original):
        return [c.strip() for c in pieces], [c.strip() for c in pieces]
    out_orig, out_norm, pos = [], [], 0
    for piece in _CLAUSE_SPLIT.split(norm):
        end = pos + len(piece)
        if piece.strip():
            out_orig.append(original[pos:end].strip())
            out_norm.append(piece.strip())
        pos = end
    return out_orig, out_norm


def split_sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", (text or "").replace("_x000D_", " ")).strip()
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _content_grams(text: str) -> set[str]:
    return {g for g in char_ngrams(_norm(text), (2,)) if _contentful(g)}


def extract_demands(message: str, title: str = "", limit: int = 8) -> list[str]:
    """The concrete demands of a message: its title, then sentences asking, requesting or proposing.

    A sentence that only urges ("望領導重視") carries no demand of its own and is skipped, as is one
    that repeats an earlier demand (most often the title).
    """
    demands: list[str] = []
    seen: list[set[str]] = []
    candidates = ([title.strip()] if title.strip() else []) + [
        s[:160] for s in split_sentences(message) if len(s) >= 6 and _DEMAND.search(s)
    ]
    for sentence in candidates:
        grams = _content_grams(sentence)
        if len(grams) < 3 and demands:
            continue
        if any(len(grams & old) >= 0.6 * max(1, min(len(grams), len(old))) for old in seen):
            continue
        demands.append(sentence)
        seen.append(grams)
    if not demands:
        sentences = [s for s in split_sentences(message) if len(s) >= 6]
        demands = sentences[-1:]
    # The last requests in a message are usually its actual asks; keep the title and the tail.
    if len(demands) > limit:
        demands = demands[:1] + demands[-(limit - 1) :]
    return demands


def extract_places(text: str) -> list[str]:
    """Place-like names in ``text`` (normalised), longest first, deduplicated."""
    try:  # the hot-issue module's extractor knows more place shapes; use it when it exists
        from massline.core import places as _places  # type: ignore[attr-defined]

        found = getattr(_places, "extract_places", None)
        if found is not None:
            names = [getattr(p, "name", p) for p in found(text)]
            return sorted({str(n) for n in names if n}, key=len, reverse=True)
    except Exception:  # noqa: BLE001 - an optional helper must never break scoring
        pass
    kept: set[str] = set()
    for match in _PLACE.finditer(_norm(text)):
        name = match.group(0)
        if name[0].isascii() or not (set(name[:2]) & _PLACE_STOP_CHARS or _PLACE_GENERIC.search(name)):
            kept.add(name)
    return sorted(kept, key=lambda n: (-len(n), n))
