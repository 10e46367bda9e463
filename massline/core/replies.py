"""Reply quality (答復質量): how well an official reply answers the message it replies to.

Every reply is scored on five criteria, each in [0, 1] and each with the evidence that justified it
(the phrases or clauses a supervisor can check):

- **relevance**: TF-IDF cosine over character 2–3-grams between the message and the *substance* of
  the reply (the reply minus its template clauses), rescaled by the corpus' own spread of cosines,
  blended with the share of the message's places (districts, compounds, roads, schools) that the
  reply names.
- **completeness**: the message's concrete demands are extracted (the title, and sentences with
  请/要求/希望/建议/能否/何时/为什么/是否/？ ...). A demand counts as addressed when the
  IDF-weighted share of its character bigrams found in the reply's substance reaches
  ``demand_hit`` (half credit from ``demand_partial``). The score is the mean over demands.
- **explanation**: reasons or findings (经查, 由于, 目前 ...), a policy basis (《...》 other than the
  platform's own name, 根据/依据/按照 ...规定, article and document numbers), next steps (下一步,
  将于, 限期, 责令, 预计 ..., or actions already taken: 已责令, 已拆除 ...) and a contact (a phone
  number, 联系电话, a window or office to go to). ``0.5 * grounds + 0.5 * min(1, basis + next step +
  contact)``, where grounds is 1 for reasons or a basis in a reply of 40+ substantive characters,
  0.5 for either in a shorter one or for 60+ characters without markers. A reply that belongs to
  another message can still explain well: relevance is what catches it.
- A reply with no substance at all (acknowledgement or forwarding only) scores 0 overall.
- **timeliness**: working days from message to reply against the 7-day (general) and 15-day
  (complex) standards: 1 up to 7 days, falling linearly to 0.5 at 15, and to 0 at 45.
- **courtesy**: a greeting or thanks earns half; the other half measures how much of the reply is
  substance rather than template. Template clauses are the clauses that recur across the corpus
  (learned in :meth:`ReplyScorer.fit`) plus a few built-in patterns (已收悉, 现回复如下 ...). A reply
  that is template only (no substance at all) scores 0 whatever its manners.

The overall score is the weighted mean of the criteria that could be computed (timeliness needs
both times); the weights are a parameter. ``ReplyScore.grade`` maps it onto 1–5.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from massline.core.text.normalize import normalize_for_analysis

CRITERIA = ("relevance", "completeness", "explanation", "timeliness", "courtesy")
DEFAULT_WEIGHTS = {
    "relevance": 0.25,
    "completeness": 0.25,
    "explanation": 0.20,
    "timeliness": 0.15,
    "courtesy": 0.15,
}

# --- text pieces -------------------------------------------------------------------------------

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


# --- working days --------------------------------------------------------------------------------


def _golden_weeks() -> frozenset[date]:
    """Spring Festival and National Day weeks 2012–2020, the holidays that move reply times most.

    Other one-day holidays and make-up workdays are ignored; pass ``calendar=`` (for example
    ``massline.core.deadlines.WorkCalendar``) to :class:`ReplyScorer` for an exact calendar.
    """
    spans = [
        ("2012-01-22", 7), ("2012-09-30", 8), ("2013-02-09", 7), ("2013-10-01", 7),
        ("2014-01-31", 7), ("2014-10-01", 7), ("2015-02-18", 7), ("2015-10-01", 7),
        ("2016-02-07", 7), ("2016-10-01", 7), ("2017-01-27", 7), ("2017-10-01", 8),
        ("2018-02-15", 7), ("2018-10-01", 7), ("2019-02-04", 7), ("2019-10-01", 7),
        ("2020-01-24", 10), ("2020-10-01", 8),
    ]  # fmt: skip
    days: set[date] = set()
    for start, n in spans:
        first = date.fromisoformat(start)
        days.update(first + timedelta(days=i) for i in range(n))
    return frozenset(days)


GOLDEN_WEEKS = _golden_weeks()


def working_days_between(start: date, end: date, holidays: Iterable[date] = GOLDEN_WEEKS) -> int:
    """Working days after ``start``'s date up to and including ``end``'s (Mon–Fri minus holidays)."""
    holidays = holidays if isinstance(holidays, (set, frozenset)) else set(holidays)
    if end <= start:
        return 0
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += day.weekday() < 5 and day not in holidays
    return n


_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                 "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日", "%Y.%m.%d")  # fmt: skip


def parse_time(value) -> datetime | None:
    """A datetime from a datetime, a date or the common export spellings; None when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


# --- results -------------------------------------------------------------------------------------


@dataclass
class CriterionScore:
    """One criterion: a score in [0, 1], the evidence that justified it and a one-line summary."""

    score: float
    evidence: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass
class ReplyScore:
    """The five criteria (timeliness is None without both times), the weighted overall and weights."""

    relevance: CriterionScore
    completeness: CriterionScore
    explanation: CriterionScore
    timeliness: CriterionScore | None
    courtesy: CriterionScore
    overall: float
    weights: dict[str, float]
    substantive: bool = True

    def criteria(self) -> dict[str, CriterionScore | None]:
        return {name: getattr(self, name) for name in CRITERIA}

    @property
    def grade(self) -> int:
        """The overall score on the 1–5 scale used by the hand labels."""
        return 1 + int(round(4 * self.overall))

    def as_row(self) -> dict[str, float | int | str | None]:
        row: dict[str, float | int | str | None] = {}
        for name, crit in self.criteria().items():
            row[name] = None if crit is None else round(crit.score, 3)
        row["overall"] = round(self.overall, 3)
        row["grade"] = self.grade
        return row

    def explain(self) -> str:
        lines = [f"overall {self.overall:.2f} (grade {self.grade}/5)"]
        if not self.substantive:
            lines[0] += ": template-only reply (acknowledgement or forwarding), so 0 whatever its speed"
        for name, crit in self.criteria().items():
            if crit is None:
                lines.append(f"- {name}: n/a (needs the message and reply times)")
                continue
            lines.append(
                f"- {name} {crit.score:.2f} (weight {self.weights.get(name, 0):.2f}): {crit.summary}"
            )
            lines.extend(f"    · {e}" for e in crit.evidence)
        return "\n".join(lines)


@dataclass
class _Parsed:
    """A reply cut into clauses, each tagged template / neutral / substance."""

    clauses: list[str]
    norms: list[str]
    kinds: list[str]  # "template", "neutral" or "substance"
    answer: str = ""  # the substance text, joined once when scoring

    def text(self, kind: str) -> str:
        return "，".join(n for n, k in zip(self.norms, self.kinds, strict=True) if k == kind)

    def originals(self, kind: str) -> list[str]:
        return [c for c, k in zip(self.clauses, self.kinds, strict=True) if k == kind]

    def chars(self, kind: str) -> int:
        return sum(len(_PUNCT.sub("", n)) for n, k in zip(self.norms, self.kinds, strict=True) if k == kind)


# --- the scorer ----------------------------------------------------------------------------------


class ReplyScorer:
    """Score replies to citizen messages on five criteria, with evidence (see the module docstring).

    Parameters are stored as given (scikit-learn convention); :meth:`fit` learns the corpus'
    template clauses, the platform's own 《title》 names, the TF-IDF vocabulary and the spread of
    message–reply cosines. ``calendar`` is any object with ``workdays_between(start, end)``;
    without one, weekends and the Spring Festival/National Day weeks are skipped.
    """

    def __init__(
        self,
        weights: dict[str, float] | None = None,
        *,
        template_min_count: int = 5,
        template_min_share: float = 0.002,
        demand_hit: float = 0.30,
        demand_partial: float = 0.12,
        fast_days: int = 7,
        standard_days: int = 15,
        late_days: int = 45,
        min_substance_chars: int = 15,
        calendar=None,
    ):
        self.weights = weights
        self.template_min_count = template_min_count
        self.template_min_share = template_min_share
        self.demand_hit = demand_hit
        self.demand_partial = demand_partial
        self.fast_days = fast_days
        self.standard_days = standard_days
        self.late_days = late_days
        self.min_substance_chars = min_substance_chars
        self.calendar = calendar

    # -- learning --

    def fit(self, corpus_replies: Sequence[str], corpus_messages: Sequence[str] | None = None) -> ReplyScorer:
        """Learn template clauses and vocabulary from a corpus of replies (and their messages)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        replies = [r or "" for r in corpus_replies]
        if corpus_messages is not None and len(corpus_messages) != len(replies):
            raise ValueError("corpus_messages must pair one to one with corpus_replies")
        weights = dict(DEFAULT_WEIGHTS if self.weights is None else self.weights)
        unknown = set(weights) - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria in weights: {sorted(unknown)}; known: {list(CRITERIA)}")
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        self.weights_ = weights

        key_df: Counter[str] = Counter()
        title_df: Counter[str] = Counter()
        norms = []
        for reply in replies:
            _, clause_norms = _aligned_clauses(reply)
            norms.append("".join(clause_norms))
            key_df.update({_clause_key(c) for c in clause_norms})
            title_df.update(set(_BOOK_TITLE.findall(norms[-1])))
        floor = max(self.template_min_count, math.ceil(self.template_min_share * len(replies)))
        self.template_clauses_ = {k: n for k, n in key_df.items() if n >= floor and len(k) > 3}
        # A 《title》 in more than 1% of replies is the platform or column name, not a policy basis.
        self.platform_titles_ = {t for t, n in title_df.items() if n >= max(3, 0.01 * len(replies))}

        message_norms = [_norm(m) for m in (corpus_messages or [])]
        docs = norms + message_norms
        docs = [d for d in docs if d] or ["空"]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char",
            ngram_range=(2, 2),
            preprocessor=_strip_punct,
            min_df=2 if len(docs) >= 20 else 1,
            sublinear_tf=True,
        ).fit(docs)
        self.idf_ = dict(zip(self.vectorizer_.get_feature_names_out(), self.vectorizer_.idf_, strict=True))
        # An n-gram the corpus never saw twice (a typo, a rare name) weighs as an average one, not the
        # rarest: otherwise one unmatched typo would outweigh a demand's real words.
        self.default_idf_ = float(self.vectorizer_.idf_.mean()) if len(self.idf_) else 1.0

        self.relevance_scale_ = (0.02, 0.30)  # a sensible spread until a paired corpus says otherwise
        if corpus_messages is not None and len(replies) >= 20:
            parsed = [self._parse(r) for r in replies]
            cos = self._cosines(message_norms, [p.text("substance") for p in parsed])
            cos = sorted(c for c, p in zip(cos, parsed, strict=True) if p.chars("substance") >= 15)
            if len(cos) >= 10:
                # Most substantive replies are on topic: the lower quartile counts as fully relevant and
                # the bottom 2% (often replies filed under the wrong message) as unrelated.
                lo, hi = cos[int(0.02 * (len(cos) - 1))], cos[int(0.25 * (len(cos) - 1))]
                if hi > lo:
                    self.relevance_scale_ = (float(lo), float(hi))
        self.n_replies_ = len(replies)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "vectorizer_"):
            raise RuntimeError("ReplyScorer is not fitted: call fit(corpus_replies) first")

    # -- scoring --

    def score(
        self, message: str, reply: str, message_time=None, reply_time=None, *, title: str = ""
    ) -> ReplyScore:
        """Score one reply. ``message`` is the message text (留言詳情); ``title`` its subject if separate."""
        return self.score_many([message], [reply], [message_time], [reply_time], titles=[title])[0]

    def score_many(
        self,
        messages: Sequence[str],
        replies: Sequence[str],
        message_times: Sequence | None = None,
        reply_times: Sequence | None = None,
        *,
        titles: Sequence[str] | None = None,
    ) -> list[ReplyScore]:
        """Score many pairs at once (the TF-IDF step runs as one batch)."""
        self._check_fitted()
        n = len(messages)
        if len(replies) != n:
            raise ValueError(f"{n} messages but {len(replies)} replies")
        titles = list(titles) if titles is not None else [""] * n
        message_times = list(message_times) if message_times is not None else [None] * n
        reply_times = list(reply_times) if reply_times is not None else [None] * n
        parsed = [self._parse(r or "") for r in replies]
        full_messages = [_norm(f"{t} {m}") for t, m in zip(titles, messages, strict=True)]
        for p in parsed:
            p.answer = p.text("substance")
        cosines = self._cosines(full_messages, [p.answer for p in parsed])
        results = []
        for i in range(n):
            p = parsed[i]
            crits = {
                "relevance": self._relevance(full_messages[i], p, cosines[i]),
                "completeness": self._completeness(messages[i] or "", titles[i] or "", p),
                "explanation": self._explanation(p),
                "timeliness": self._timeliness(message_times[i], reply_times[i]),
                "courtesy": self._courtesy(p),
            }
            results.append(self._combine(crits, p.chars("substance") >= self.min_substance_chars))
        return results

    def _combine(self, crits: dict[str, CriterionScore | None], substantive: bool) -> ReplyScore:
        weighted, total = 0.0, 0.0
        for name, weight in self.weights_.items():
            crit = crits.get(name)
            if crit is not None and weight > 0:
                weighted += crit.score * weight
                total += weight
        # A prompt acknowledgement is not a prompt answer: a template-only reply scores 0 overall.
        overall = weighted / total if total and substantive else 0.0
        relevance, completeness = crits["relevance"], crits["completeness"]
        explanation, courtesy = crits["explanation"], crits["courtesy"]
        assert relevance and completeness and explanation and courtesy  # always computed
        return ReplyScore(
            relevance=relevance,
            completeness=completeness,
            explanation=explanation,
            timeliness=crits["timeliness"],
            courtesy=courtesy,
            overall=float(overall),
            weights=dict(self.weights_),
            substantive=substantive,
        )

    def _parse(self, reply: str) -> _Parsed:
        clauses, norms = _aligned_clauses(reply)
        kinds = []
        for norm in norms:
            key = _clause_key(norm)
            bare = _PUNCT.sub("", norm)
            if len(key) <= 3 or _DATE_ONLY.match(key):
                kinds.append("neutral")
            elif key in self.template_clauses_ or (len(bare) <= 40 and _BUILTIN_TEMPLATE.search(bare)):
                kinds.append("template")
            else:
                kinds.append("substance")
        return _Parsed(clauses, norms, kinds)

    def _cosines(self, left: Sequence[str], right: Sequence[str]) -> list[float]:
        a = self.vectorizer_.transform(left)
        b = self.vectorizer_.transform(right)
        return [float(x) for x in a.multiply(b).sum(axis=1).A1]

    def _weight(self, gram: str) -> float:
        return self.idf_.get(gram, self.default_idf_)

    def _relevance(self, message: str, p: _Parsed, cosine: float) -> CriterionScore:
        substance = p.answer
        if not substance:
            return CriterionScore(0.0, [], "the reply has no substance beyond template phrases")
        lo, hi = self.relevance_scale_
        scaled = min(1.0, max(0.0, (cosine - lo) / (hi - lo)))
        evidence = []
        shared = set(char_ngrams(message, (2, 3))) & set(char_ngrams(substance, (2, 3)))
        shared = {g for g in shared if _contentful(g) and not g.isascii()}
        top: list[str] = []
        for gram in sorted(shared, key=lambda g: (-len(g) * self._weight(g), g)):
            if not any(gram in t or t in gram for t in top):
                top.append(gram)
            if len(top) == 6:
                break
        if top:
            evidence.append("shared terms: " + "、".join(top))
        places = extract_places(message[:300])  # title and opening: where places are named, and cheap
        score, summary = scaled, f"text similarity {cosine:.2f} (corpus scale {lo:.2f}–{hi:.2f})"
        if places:
            named = [pl for pl in places if pl in substance or pl[-4:] in substance]
            share = len(named) / len(places)
            # Places only add: a missed or mis-extracted place never lowers the text similarity.
            score = max(scaled, 0.75 * scaled + 0.25 * share)
            summary += f"; names {len(named)}/{len(places)} places of the message"
            if named:
                evidence.append("shared places: " + "、".join(named[:5]))
        return CriterionScore(round(score, 4), evidence, summary)

    def _coverage(self, demand: str, substance_grams: set[str]) -> float:
        grams = sorted({g for g in char_ngrams(demand, (2,)) if _contentful(g)})  # sorted: stable float sums
        if not grams:
            return 0.0
        total = sum(self._weight(g) for g in grams)
        return sum(self._weight(g) for g in grams if g in substance_grams) / total

    def _completeness(self, message: str, title: str, p: _Parsed) -> CriterionScore:
        demands = extract_demands(message, title)
        if not demands:
            return CriterionScore(1.0, [], "the message states no concrete demand")
        substance_grams = set(char_ngrams(p.answer, (2,)))
        clause_grams = [(c, set(char_ngrams(n, (2,)))) for c, n, k in zip(p.clauses, p.norms, p.kinds, strict=True)
                        if k == "substance"]  # fmt: skip
        credits, evidence = [], []
        substance = p.answer
        for demand in demands:
            norm_demand = _norm(demand)
            cov = self._coverage(norm_demand, substance_grams)
            credit = 1.0 if cov >= self.demand_hit else 0.5 if cov >= self.demand_partial else 0.0
            # A why/when/whether/how question answered in other words: half credit, full with some overlap.
            if credit < 1.0 and any(q.search(norm_demand) and a.search(substance) for q, a in _ASKS):
                credit = 1.0 if credit == 0.5 else 0.5
            credits.append(credit)
            mark = {1.0: "answered", 0.5: "partly", 0.0: "not addressed"}[credit]
            line = f"[{mark} {cov:.0%}] {demand[:60]}"
            if credit and clause_grams:
                dgrams = set(char_ngrams(norm_demand, (2,)))
                best = max(clause_grams, key=lambda cg: sum(self._weight(g) for g in cg[1] & dgrams))
                line += f" → {best[0][:60]}"
            evidence.append(line)
        score = sum(credits) / len(credits)
        answered = sum(c == 1.0 for c in credits)
        return CriterionScore(round(score, 4), evidence, f"{answered} of {len(demands)} demands answered")

    def _explanation(self, p: _Parsed) -> CriterionScore:
        substance = p.originals("substance")
        sub_norms = [n for n, k in zip(p.norms, p.kinds, strict=True) if k == "substance"]
        chars = p.chars("substance")
        # Short neutral clauses such as "经查，" still mark a finding.
        reasons = [c for c, n, k in zip(p.clauses, p.norms, p.kinds, strict=True)
                   if k != "template" and _REASON.search(n)]  # fmt: skip
        if reasons and all(len(_PUNCT.sub("", r)) <= 3 for r in reasons) and substance:
            reasons = reasons + substance[:1]
        basis: list[str] = []
        for c, n in zip(substance, sub_norms, strict=True):
            titles = [t for t in _BOOK_TITLE.findall(n) if t not in self.platform_titles_]
            if titles or _BASIS.search(n):
                basis.append(c)
        steps = [c for c, n in zip(substance, sub_norms, strict=True) if _NEXT_STEP.search(n)]
        every = "".join(p.norms)
        contact = [m.group(0) for m in _PHONE.finditer(every)] + [
            m.group(0) for m in _CONTACT_WORDS.finditer(every)
        ]
        # A cited basis is itself a reason; substance without markers still shows some facts.
        grounded = bool(reasons or basis)
        reason_credit = 1.0 if grounded and chars >= 40 else 0.5 if (grounded or chars >= 60) else 0.0
        others = bool(basis) + bool(steps) + bool(contact)
        score = 0.5 * reason_credit + 0.5 * min(1.0, float(others))
        evidence = [f"[reason] {c[:70]}" for c in reasons[:2]]
        evidence += [f"[basis] {c[:70]}" for c in basis[:2]]
        evidence += [f"[next step] {c[:70]}" for c in steps[:2]]
        evidence += [f"[contact] {c[:40]}" for c in contact[:1]]
        found = [name for name, hit in (("reasons", reasons), ("basis", basis), ("next steps", steps),
                                        ("contact", contact)) if hit]  # fmt: skip
        summary = "gives " + ", ".join(found) if found else "no reasons, basis, next steps or contact"
        return CriterionScore(round(score, 4), evidence, summary)

    def _workdays(self, start: datetime, end: datetime) -> int:
        if self.calendar is not None:
            return int(self.calendar.workdays_between(start, end))
        return working_days_between(start.date(), end.date())

    def _timeliness(self, message_time, reply_time) -> CriterionScore | None:
        start, end = parse_time(message_time), parse_time(reply_time)
        if start is None or end is None:
            return None
        days = self._workdays(start, end)
        fast, standard, late = self.fast_days, self.standard_days, self.late_days
        if days <= fast:
            score = 1.0
        elif days <= standard:
            score = 1.0 - 0.5 * (days - fast) / (standard - fast)
        else:
            score = max(0.0, 0.5 * (late - days) / (late - standard))
        verdict = (
            f"within the {fast}-day standard" if days <= fast
            else f"within the {standard}-day standard for complex requests" if days <= standard
            else f"later than the {standard}-day standard"
        )  # fmt: skip
        evidence = [f"message {start:%Y-%m-%d}, reply {end:%Y-%m-%d}: {days} working days"]
        if end < start:
            evidence.append("the reply is dated before the message")
        return CriterionScore(round(score, 4), evidence, f"{days} working days, {verdict}")

    def _courtesy(self, p: _Parsed) -> CriterionScore:
        every = "".join(p.norms)
        greeting = _GREETING.search(every)
        thanks = _THANKS.search(every)
        template_chars, substance_chars = p.chars("template"), p.chars("substance")
        share = (
            substance_chars / (template_chars + substance_chars) if template_chars + substance_chars else 0.0
        )
        evidence = []
        if greeting:
            evidence.append(f"greeting: {greeting.group(0)}")
        if thanks:
            evidence.append(f"thanks: {thanks.group(0)}")
        templates = p.originals("template")
        if templates:
            evidence.append("template: " + " / ".join(t[:30] for t in templates[:3]))
        if substance_chars < self.min_substance_chars:
            return CriterionScore(
                0.0, evidence, "template only: acknowledgement or forwarding with no substance"
            )
        polite = 0.5 if (greeting or thanks) else 0.0
        score = polite + 0.5 * min(1.0, max(0.0, (share - 0.2) / 0.4))
        summary = (f"{'polite' if polite else 'no greeting or thanks'}; "
                   f"{share:.0%} of the wording is substance, {1 - share:.0%} template")  # fmt: skip
        return CriterionScore(round(score, 4), evidence, summary)


def length_baseline(reply: str) -> float:
    """The trivial baseline the benchmark compares with: longer replies are 'better' (0–1, saturating)."""
    return min(1.0, len(_PUNCT.sub("", reply or "")) / 600)
