"""The words a full-text index holds for a text, and the query that finds them (PostgreSQL ``tsvector``).

Both sides use one form: half-width, Simplified, lower case (``segment.analysis_view``), so a query in
Traditional finds Simplified text and the other way round. The index holds

- jieba's search-engine cut (``中华人民共和国`` and also ``中华``, ``人民``, ``共和国``), and
- every Chinese character once (unigrams).

A query word is found as a whole word, or, when the text was cut elsewhere (``灯坏`` inside ``路灯/坏``),
through all its characters, which the caller then checks against the text as a substring. A word of
one character is exactly its unigram. So every search is answered from the index, and a query that
matches nothing reads no rows.

The words are written as a space-separated string; PostgreSQL's ``to_tsvector('simple', …)`` turns it
into lexemes (a generated column). This module never imports Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .segment import analysis_view, model_segmenter

_WORD = re.compile(r"\w")
_LATIN = re.compile(r"^[0-9a-z_]+$")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def normal_form(text: str) -> str:
    """The form the index and the queries share: half-width, Simplified, lower case."""
    return analysis_view(text or "").lower()


_NOT_HAN = re.compile("[^\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]+")  # all but what ``is_han`` accepts
# jieba's tokens already seen, and those of them that are no word (no letter or digit: punctuation, space).
# A bulk import cuts millions of texts from a vocabulary of some ten thousand tokens; bounded all the same.
_SEEN: set[str] = set()
_NOT_WORDS: set[str] = set()


def _words(tokens: list[str]) -> list[str]:
    if len(_SEEN) > 200_000:
        _SEEN.clear()
        _NOT_WORDS.clear()
    new = set(tokens) - _SEEN
    if new:
        _SEEN.update(new)
        _NOT_WORDS.update(t for t in new if not _WORD.search(t) or t.isspace())
    not_words = _NOT_WORDS
    return [t for t in tokens if t not in not_words]


def index_words(text: str) -> str:
    """The space-separated words indexed for ``text`` (already redacted: this reads what it is given)."""
    view = normal_form(text)
    if not view.strip():
        return ""
    # The model segmenter's dictionary never changes at run time: words indexed a year ago are cut
    # the same way as today's queries.
    words = _words(model_segmenter().cut_for_search(view))
    chars = dict.fromkeys(_NOT_HAN.sub("", view))  # every Han character once, in order of appearance
    return " ".join([*words, *chars])


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class TermQuery:
    """One query word: ``tsquery`` selects candidates from the index; when ``needs_check``, a candidate
    matches only if ``exact`` (the whole word) matches too, or the text contains the word."""

    word: str
    tsquery: str
    exact: str
    needs_check: bool


def term_query(term: str) -> TermQuery | None:
    """How the index finds one query word (already cut by the query segmentation), or None when the word
    has nothing to look for (punctuation only)."""
    word = normal_form(term).strip()
    if not _WORD.search(word):
        return None
    exact = _quote(word)
    if len(word) == 1 and is_han(word):
        return TermQuery(word, exact, exact, needs_check=False)
    if _LATIN.match(word):
        # Latin letters and digits: the word or a longer one it begins (``lamp`` finds ``lamps``).
        return TermQuery(word, exact + ":*", exact + ":*", needs_check=False)
    if all(is_han(ch) for ch in word):
        chars = " & ".join(_quote(ch) for ch in dict.fromkeys(word))
        return TermQuery(word, f"({exact} | ({chars}))", exact, needs_check=True)
    return TermQuery(word, exact, exact, needs_check=False)


def whole_query(terms: Iterable[TermQuery]) -> str:
    """Every query word as a whole word: the better tier of the results."""
    return " & ".join(t.exact for t in terms)
