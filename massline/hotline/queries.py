"""What the call screen reads: a caller's earlier requests, and the knowledge base searched in either script."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from massline.accounts.permissions import visible_requests
from massline.core.text.normalize import normalize_for_analysis
from massline.core.text.segment import tokenize
from massline.core.workflow import OPEN
from massline.workflow.models import Request

from .models import KnowledgeAnswer
from .phones import normalise_phone

# Words every question has; matching them says nothing about which answer fits.
STOP_WORDS = frozenset(
    "请问 怎么 怎么办 怎样 如何 什么 哪里 哪些 可以 需要 能否 是否 我们 你们 我的 一下 这个 那个 有没有 的话 问题 咨询".split()
)
MAX_RESULTS = 8


def caller_history(user, phone: str) -> QuerySet[Request]:
    """The requests of the caller with ``phone`` that ``user`` may see: open ones first, newest first."""
    number = normalise_phone(phone)
    if not number:
        return Request.objects.none()
    qs = visible_requests(user, Request.objects.filter(caller_number__number=number))
    is_closed = Case(
        When(state__in=[s.value for s in OPEN], then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        qs.select_related("unit", "category")
        .annotate(is_closed=is_closed)
        .order_by("is_closed", "-received_at", "-id")
    )


def _terms(query: str) -> tuple[str, list[str]]:
    """The query normalised (Simplified, half-width, lower case) and its words, segmented with jieba."""
    phrase = normalize_for_analysis(query).lower()
    words = []
    for token in tokenize(phrase):
        token = token.strip()
        if (
            token
            and token not in STOP_WORDS
            and (len(token) > 1 or not token.isascii())
            and token not in words
        ):
            words.append(token)
    return phrase, [w for w in words if len(w) > 1] or words


def search_answers(
    query: str, *, active_only: bool = True, limit: int = MAX_RESULTS
) -> list[KnowledgeAnswer]:
    """Knowledge answers for ``query``, best first: the whole phrase counts most, then each word found, a
    word in the title twice. A Traditional query finds a Simplified answer and the other way round."""
    phrase, words = _terms(query)
    if not phrase:
        return []
    qs = KnowledgeAnswer.objects.select_related("category")
    if active_only:
        qs = qs.filter(active=True)
    match = Q(search_text__contains=phrase)
    for word in words:
        match |= Q(search_text__contains=word)
    scored = []
    for row in qs.filter(match):
        title = normalize_for_analysis(row.title).lower()
        score = (10 if phrase in row.search_text else 0) + sum(
            (2 if w in title else 1) for w in words if w in row.search_text
        )
        scored.append((-score, row.title, row.pk, row))
    return [row for *_key, row in sorted(scored)[:limit]]
