"""Hot issues (熱點問題): many requests about the same problem, in the same place, in a time window.

Steps (details and a worked example of the heat index in docs/hot-issues.md):

1. Each request becomes a TF-IDF vector: character 2-3-grams of its title (names of compounds and
   schools are rare n-grams, so they weigh a lot) plus words of its body, at a lower weight.
2. Candidate links join requests whose cosine similarity is at least ``link_similarity``, whose
   times are at most ``window_days`` apart and whose specific places (compound, school, road) do not
   contradict each other.
3. Links are merged strongest first, as in average-linkage clustering: two groups join only if
   the average similarity over all their member pairs is at least ``similarity``. This, and not
   plain connected components, is what keeps one vague message from chaining unrelated groups into
   a giant catch-all cluster.
4. Groups that name the same compound, school or road and have the same kind of problem are
   joined: within the window when their problem words overlap at all, at any distance in time
   when they are alike (a problem that recurs every term at one college is one hot issue).
5. Each group with at least ``min_size`` requests from ``min_requesters`` people becomes a
   :class:`HotIssue` with a title (the place most members name, and the most typical member title
   stripped of places and request wording), its time span, its member ids and its heat.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from massline.core.places import RANKS, find_places
from massline.core.text.normalize import fold_width, normalize_for_analysis, to_simplified
from massline.core.text.segment import tokenize
from massline.core.text.timestamps import parse_export_time

__all__ = ["HotIssue", "detect_hot_issues", "heat_index", "parse_time"]

# Words that say nothing about the problem: request verbs, politeness, generic nouns.
_STOP_TERMS = set(
    """投诉 反映 反应 咨询 举报 关于 建议 希望 请求 请问 要求 解决 问题 问问 恳请 请 情况 相关 有关 部门 政府 领导 市长 书记
    您好 你好 尊敬 谢谢 感谢 盼复 处理 尽快 何时 什么 为什么 怎么 如何 是否 能否 可以 不能 没有 一直 严重 非常 已经 现在 目前
    我们 你们 他们 本人 大家 这个 那个 这些 一个 还是 还有 还在 存在 进行 导致 影响 出现 之后 以来 以后 之前 情况下 的 了 和 与 及
    在 是 对 把 被 给 从 到 向 也 都 就 又 很 太 更 最 要 会 能 有 无 不 没 再次 多次 长期 为何 到底 呼吁 希望能 得到 给予
    小区 社区 业主 居民 市民 群众 老百姓 附近 周边 旁边 对面 附近居民 一楼 楼下 区域 地方 问题的 事情 一事 能不能 怎么办""".split()
)
# Removed from titles before comparing them, so that "投诉A市…问题" does not make titles alike.
_BOILERPLATE = re.compile(
    "|".join(sorted((re.escape(w) for w in _STOP_TERMS if len(w) > 1), key=len, reverse=True))
    + r"|[a-z]\d{0,2}(?:区|县市|县|市)|西地省|[^\w]"
)
_ADMIN_TERM = re.compile(r"^(?:[a-z]\d{0,2}(?:区|县|市|县市)?|\d+|[a-z]+\d*)$")


@dataclass
class HotIssue:
    """A cluster of requests about one problem in one place and time window."""

    title: str
    place: str
    problem: str
    first: datetime
    last: datetime
    member_ids: list[Any]
    heat: float
    n_requests: int
    n_requesters: int
    likes: int = 0
    dislikes: int = 0
    places: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def time_span(self) -> str:
        return f"{self.first:%Y/%m/%d} - {self.last:%Y/%m/%d}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "place": self.place,
            "problem": self.problem,
            "first": self.first.isoformat(sep=" "),
            "last": self.last.isoformat(sep=" "),
            "n_requests": self.n_requests,
            "n_requesters": self.n_requesters,
            "likes": self.likes,
            "dislikes": self.dislikes,
            "heat": self.heat,
            "member_ids": list(self.member_ids),
        }


def parse_time(value: Any) -> datetime:
    """A naive datetime from anything ``parse_export_time`` reads; ValueError when unreadable."""
    moment = parse_export_time(value)
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def heat_index(
    n_requests: int,
    n_requesters: int,
    likes: int,
    dislikes: int,
    age_days: float,
    duration_days: float,
    half_life_days: float = 90.0,
) -> float:
    """Heat of a hot issue; the formula is explained with a worked example in docs/hot-issues.md.

    people = requesters + a quarter of the repeat posts; support = 2 ln(1 + likes + dislikes / 2);
    recency = 0.5 + 0.5 * 2^(-age / half_life); persistence = 1 + 0.1 ln(1 + duration / 7).
    """
    people = n_requesters + 0.25 * (n_requests - n_requesters)
    support = 2.0 * math.log1p(max(likes, 0) + 0.5 * max(dislikes, 0))
    recency = 0.5 + 0.5 * 2.0 ** (-max(age_days, 0.0) / half_life_days)
    persistence = 1.0 + 0.1 * math.log1p(max(duration_days, 0.0) / 7.0)
    return round((people + support) * recency * persistence, 2)


# -- reading records ------------------------------------------------------------------------------
@dataclass
class _Request:
    id: Any
    title: str
    body: str
    time: datetime
    requester: Any
    likes: int
    dislikes: int


def _field(record: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(record, Mapping):
            if name in record and record[name] not in (None, ""):
                return record[name]
        elif getattr(record, name, None) not in (None, ""):
            return getattr(record, name)
    return default


def _count(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _read(records: Iterable[Any]) -> list[_Request]:
    out = []
    for position, record in enumerate(records):
        text = str(_field(record, "text", "body", default="") or "")
        title = str(_field(record, "title", default="") or "")
        if not title:
            title = re.split(r"[\n。！？!?]", text.strip(), maxsplit=1)[0][:60]
        body = text[len(title) :] if text.startswith(title) else text
        out.append(
            _Request(
                id=_field(record, "id", default=position),
                title=title,
                body=body,
                time=parse_time(_field(record, "time", "created", default="")),
                requester=_field(record, "requester", "user", default=f"anonymous-{position}"),
                likes=_count(_field(record, "likes", default=0)),
                dislikes=_count(_field(record, "dislikes", default=0)),
            )
        )
    return out


# -- words ----------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    form = normalize_for_analysis(text)
    return [w for w in tokenize(form) if len(w.strip()) > 1 and not re.fullmatch(r"[\W_]+", w)]


def _problem_terms(text: str) -> list[str]:
    """The words of a title that say what the problem is: places and request wording removed."""
    form = normalize_for_analysis(text)
    for place in find_places(text):
        form = form.replace(place.text.lower(), " ")
    terms = []
    for w in _words(form):
        if w in _STOP_TERMS or _ADMIN_TERM.match(w):
            continue
        terms.append(w)
    return terms


# -- clustering -----------------------------------------------------------------------------------
def _vectors(requests: list[_Request], body_weight: float):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    titles = [_BOILERPLATE.sub(" ", normalize_for_analysis(r.title)) for r in requests]
    bodies = [" ".join(_words(r.body)) for r in requests]
    title_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, max_df=0.2)
    x_title = title_vec.fit_transform(titles)
    parts = [x_title]
    if any(bodies):
        body_vec = TfidfVectorizer(
            analyzer=str.split, sublinear_tf=True, min_df=2 if len(requests) > 50 else 1, max_df=0.2
        )
        try:
            parts.append(normalize(body_vec.fit_transform(bodies)) * body_weight)
        except ValueError:  # every body word too rare or too common
            pass
    return normalize(hstack(parts).tocsr())


def _problem_vectors(problem_terms: list[list[str]]):
    """TF-IDF of the title words with place names removed: what the problem is, wherever it is."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(problem_terms)
    except ValueError:  # no words at all
        from scipy.sparse import csr_matrix

        return csr_matrix((len(problem_terms), 1))


def _specific_places(request: _Request) -> set[str]:
    """The roads, compounds and schools a title names, and its districts marked with "@"."""
    out = set()
    for p in find_places(request.title):
        if p.kind == "district":
            out.add("@" + p.text)
        elif p.rank >= RANKS["road"]:
            out.add(p.text)
    return out


def _stem(name: str) -> str:
    from massline.core.places import _SUFFIX

    return _SUFFIX.sub("", name) or name


def _places_agree(a: set[str], b: set[str]) -> bool:
    """False when two requests are clearly about different places: other district, other compound."""
    districts_a = {p for p in a if p.startswith("@")}
    districts_b = {p for p in b if p.startswith("@")}
    if districts_a and districts_b and not districts_a & districts_b:
        return False
    named_a, named_b = a - districts_a, b - districts_b
    if not named_a or not named_b:
        return True
    return any(_same_place(x, y) for x in named_a for y in named_b)


def _same_place(x: str, y: str) -> bool:
    """魅力之城小区 = 万科魅力之城, 丽发新城 = 丽发新城小区, 经济学院 = 涉外经济学院; 泉塘小区 ≠ 泉塘泉星小区."""
    for a, b in ((x, y), (_stem(x), _stem(y))):
        if a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a)):
            return True
    return False


def _link_pairs(x, times: np.ndarray, window_days: float, link_similarity: float, neighbours: int = 30):
    """Pairs (i, j, cosine) above link_similarity within the time window, strongest per row only."""
    rows, cols, sims = [], [], []
    window = window_days * 86400.0
    xt = x.T.tocsc()
    step = max(1, min(2000, 20_000_000 // max(x.shape[0], 1)))  # dense blocks of at most 20M cells
    for start in range(0, x.shape[0], step):
        block = (x[start : start + step] @ xt).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            row[: i + 1] = 0.0
            candidates = np.nonzero(row >= link_similarity)[0]
            if not len(candidates):
                continue
            gap = np.abs(times[candidates] - times[i]) / window
            # requests far apart in time must be more alike to be linked
            candidates = candidates[(gap <= 1) & (row[candidates] >= link_similarity + 0.2 * gap)]
            if len(candidates) > neighbours:
                candidates = candidates[np.argsort(-row[candidates])[:neighbours]]
            rows.extend([i] * len(candidates))
            cols.extend(candidates.tolist())
            sims.extend(row[candidates].tolist())
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(sims)


def _average_linkage(x, pairs, places: list[set[str]], similarity: float) -> np.ndarray:
    """Merge linked requests strongest first while the mean pairwise cosine stays ≥ similarity."""
    n = x.shape[0]
    parent = np.arange(n)
    size = np.ones(n, dtype=np.int64)
    sums: dict[int, Any] = {}
    group_places = {i: set(p) for i, p in enumerate(places)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, cols, sims = pairs
    for k in np.argsort(-sims, kind="stable"):
        a, b = root(int(rows[k])), root(int(cols[k]))
        if a == b or not _places_agree(group_places[a], group_places[b]):
            continue
        sa, sb = sums.get(a, x[a]), sums.get(b, x[b])
        mean = (sa.multiply(sb).sum() - 0.0) / (size[a] * size[b])
        if mean < similarity:
            continue
        parent[b] = a
        size[a] += size[b]
        sums[a] = sa + sb
        group_places[a] |= group_places.pop(b)
        sums.pop(b, None)
    return np.array([root(i) for i in range(n)])


def _merge_recurring(
    x, labels: np.ndarray, places: list[set[str]], times: np.ndarray, window: float, min_cosine: float
) -> np.ndarray:
    """Join groups that name the same specific place and have the same kind of problem.

    Within the time window, groups at one place join when their problem words overlap at all
    (油烟扰民 and 噪音扰民 at one compound, the same weeks, are one hot issue). At any distance in
    time they join when their problem words are alike (``min_cosine``): a problem that comes back at
    the same college every term (强制实习) is one hot issue with a long history.
    """
    from scipy.sparse import coo_matrix
    from sklearn.preprocessing import normalize

    groups, index = np.unique(labels, return_inverse=True)
    member = coo_matrix(
        (np.ones(len(labels)), (index, np.arange(len(labels)))), shape=(len(groups), len(labels))
    )
    centroids = normalize(member.tocsr() @ x)
    first = np.full(len(groups), np.inf)
    last = np.full(len(groups), -np.inf)
    np.minimum.at(first, index, times)
    np.maximum.at(last, index, times)
    group_places: list[set[str]] = [set() for _ in groups]
    for i, g in enumerate(index):
        group_places[g] |= places[i]
    named = np.array([any(not p.startswith("@") for p in places) for places in group_places])
    sims = (centroids @ centroids.T).tocoo()
    rows, cols, cos = sims.row, sims.col, sims.data
    gap = np.maximum(0.0, np.maximum(first[rows], first[cols]) - np.minimum(last[rows], last[cols]))
    keep = (
        (rows < cols) & named[rows] & named[cols] & ((cos >= min_cosine) | ((cos >= 0.1) & (gap <= window)))
    )
    order = np.argsort(-cos[keep], kind="stable")
    rows, cols = rows[keep][order], cols[keep][order]
    # strongest first, checked against everything already joined, so agreement never chains
    parent = np.arange(len(groups))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb and _places_agree(group_places[ra], group_places[rb]):
            parent[rb] = ra
            group_places[ra] |= group_places[rb]
    return np.array([root(g) for g in range(len(groups))])[index]


# -- describing a cluster -------------------------------------------------------------------------
def _place_of(members: list[_Request]) -> tuple[str, list[str]]:
    """The district and the specific place most members name (in their titles first)."""
    specific: Counter[str] = Counter()
    district: Counter[str] = Counter()
    city: Counter[str] = Counter()
    display: dict[str, Counter[str]] = {}
    for r in members:
        seen: set[str] = set()
        for p in find_places(r.title) or find_places(r.body[:200]):
            if p.text in seen:
                continue
            seen.add(p.text)
            if p.kind == "district":
                district[p.text] += 1
            elif p.kind == "city":
                city[p.text] += 1
            elif p.rank >= RANKS["town"]:
                stem = _stem(p.text)
                specific[stem] += 1
                display.setdefault(stem, Counter())[p.text] += 1
    need = max(2, math.ceil(0.3 * len(members)))
    parts = []
    top_district = [d for d, c in district.most_common(1) if c >= need]
    parts.extend(top_district or [c for c, n in city.most_common(1) if n >= need])
    names: list[str] = []
    for stem, count in specific.most_common():
        if count < need or any(stem in s or s in stem for s in names):
            continue
        names.append(stem)
        if len(names) == 1:
            parts.append(_best_display(display[stem]))
    return "".join(parts), [_best_display(display[s]) for s in names]


def _best_display(forms: Counter[str]) -> str:
    """The most common spelling; among equally common ones the longest (小区 spelled out)."""
    best = max(forms.items(), key=lambda kv: (kv[1], len(kv[0])))
    return best[0]


_LEAD_IN = re.compile(
    r"^(?:再次|强烈|紧急|坚决|恳请|请求|希望|建议|投诉|反映|反应|举报|咨询|请问|问问|关于|请|对|在|有关|要求|呼吁|严惩|"
    r"关注|解决|处理|尽快|位于|的|了|和|与|,|，)+"
)
_TAIL = re.compile(
    r"(?:的问题|问题|的情况|情况|一事|事宜|的建议|的投诉|的咨询|合法吗|合理吗|吗|呢|[\s\W_])+$"
)


def _describe(title: str) -> str:
    """A member title with its places and request wording stripped: "油烟扰民"."""
    form = to_simplified(fold_width(title)).strip()
    for place in sorted(find_places(title), key=lambda p: -len(p.text)):
        form = form.replace(place.text, " ").replace(place.text.lower(), " ")
    form = re.sub(r"[\s“”\"'‘’（）()【】\[\]《》<>]+", " ", form).strip()
    pieces = [_TAIL.sub("", _LEAD_IN.sub("", piece)) for piece in re.split(r"[，,。！!？?；;：:\s]+", form)]
    pieces = [p for p in pieces if len(p) >= 2]
    return "，".join(pieces[:2])[:24]


def _problem_of(
    members: list[_Request], document_frequency: Counter[str], n_docs: int
) -> tuple[str, list[str]]:
    """A short problem description (the most typical member title, stripped) and the salient words."""
    counts: Counter[str] = Counter()
    member_terms = []
    for r in members:
        terms = set(_problem_terms(r.title))
        member_terms.append(terms)
        counts.update(terms)
    scores = {}
    for term, count in counts.items():
        if len(members) > 2 and count < max(2, 0.2 * len(members)):
            continue
        scores[term] = count * (math.log((1 + n_docs) / (1 + document_frequency.get(term, 0))) + 1)
    keywords = sorted(scores, key=lambda t: -scores[t])[:5]
    descriptions = [_describe(r.title) for r in members]
    repeats = Counter(descriptions)
    best = max(
        range(len(members)),
        key=lambda i: (
            sum(counts[t] for t in member_terms[i] if t in scores) / max(len(member_terms[i]), 1)
            + repeats[descriptions[i]] / len(members),
            -len(descriptions[i]),
        ),
    )
    return descriptions[best] or " ".join(keywords[:3]), keywords


def detect_hot_issues(
    records: Iterable[Any],
    *,
    now: datetime | str | None = None,
    window_days: float = 60.0,
    top: int | None = None,
    min_size: int = 2,
    min_requesters: int = 2,
    similarity: float = 0.18,
    link_similarity: float = 0.28,
    half_life_days: float = 90.0,
    body_weight: float = 0.3,
    recurring_similarity: float = 0.3,
) -> list[HotIssue]:
    """Hot issues among ``records``, hottest first.

    records: dicts or objects with ``id``, ``text`` (title + body; or ``title`` and ``body``),
    ``time`` (datetime or string), ``requester``, and optionally ``likes`` and ``dislikes``.
    now: the moment recency is measured from; by default the latest request's time.
    window_days: the longest gap between linked requests of one hot issue; the exception is a problem
    that recurs at the same named place (compound, school, road), whose episodes are joined.
    """
    requests = _read(records)
    if len(requests) < min_size:
        return []
    times = np.array([r.time.timestamp() for r in requests])
    moment = parse_time(now) if now is not None else max(r.time for r in requests)
    x = _vectors(requests, body_weight)
    places = [_specific_places(r) for r in requests]
    pairs = _link_pairs(x, times, window_days, link_similarity)
    labels = _average_linkage(x, pairs, places, similarity)
    problem_terms = [_problem_terms(r.title) for r in requests]
    labels = _merge_recurring(
        _problem_vectors(problem_terms), labels, places, times, window_days * 86400.0, recurring_similarity
    )

    document_frequency: Counter[str] = Counter()
    for terms in problem_terms:
        document_frequency.update(set(terms))
    issues = []
    for label in np.unique(labels):
        members = [requests[i] for i in np.nonzero(labels == label)[0]]
        if len(members) < min_size:
            continue
        members.sort(key=lambda r: r.time)
        place, specific = _place_of(members)
        problem, keywords = _problem_of(members, document_frequency, len(requests))
        first, last = members[0].time, members[-1].time
        likes = sum(r.likes for r in members)
        dislikes = sum(r.dislikes for r in members)
        n_people = len({r.requester for r in members})
        if n_people < min_requesters:  # one person posting again and again is not a hot issue
            continue
        heat = heat_index(
            len(members),
            n_people,
            likes,
            dislikes,
            age_days=(moment - last) / timedelta(days=1),
            duration_days=(last - first) / timedelta(days=1),
            half_life_days=half_life_days,
        )
        issues.append(
            HotIssue(
                title=f"{place} {problem}".strip(),
                place=place,
                problem=problem,
                first=first,
                last=last,
                member_ids=[r.id for r in members],
                heat=heat,
                n_requests=len(members),
                n_requesters=n_people,
                likes=likes,
                dislikes=dislikes,
                places=specific,
                keywords=keywords,
            )
        )
    issues.sort(key=lambda h: -h.heat)
    return issues[:top] if top else issues
