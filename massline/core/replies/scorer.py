"""The ReplyScorer estimator: fit learns the corpus' template clauses and vocabulary; score scores."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from massline.core.replies.results import CRITERIA, DEFAULT_WEIGHTS, CriterionScore, ReplyScore
from massline.core.replies.text import (
    _ASKS,
    _BASIS,
    _BOOK_TITLE,
    _BUILTIN_TEMPLATE,
    _CONTACT_WORDS,
    _DATE_ONLY,
    _GREETING,
    _NEXT_STEP,
    _PHONE,
    _PUNCT,
    _REASON,
    _THANKS,
    _aligned_clauses,
    _clause_key,
    _contentful,
    _norm,
    _strip_punct,
    char_ngrams,
    extract_demands,
    extract_places,
)
from massline.core.replies.workdays import parse_time, working_days_between


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
