"""Public search: the full-text index on PostgreSQL, a LIKE over the redacted text elsewhere.

Only the redacted text is ever read: the index is built from ``Request.public_text`` when the request is
saved (``search_words``, and on PostgreSQL the generated ``search_vector`` with its GIN index), and the
substring check of a candidate reads ``public_text`` too.

On PostgreSQL the query is cut into words the same way as the text (``core.text.searchwords``); every
word must be found. The GIN index gives the candidates, so a query that matches nothing reads no rows.
Results are ranked in two tiers, each newest first: requests holding every query word as a whole word
come before those holding a word only as a substring (灯坏 in 路灯坏了); a query of single characters
lists the newest first, as the list does. Each tier is one query ordered by time, which PostgreSQL
answers from the GIN index for rare words or by walking the time index for common ones, and stops after
a page. ``ts_rank`` was measured and dropped: it must read and score every match before the first page
(3 % of a million requests for 噪音扰民: seconds).

Why not pg_trgm for the short queries: a trigram index cannot answer ``LIKE '%路灯%'`` for a pattern
of fewer than three characters (there is no trigram to look up, so PostgreSQL reads the whole index or
the table). The index's single-character words answer those queries instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from massline.core.text.searchwords import TermQuery, term_query, whole_query
from massline.workflow.models import Request

from .public import _variants, search, search_terms

VECTOR = "workflow_request.search_vector"
TEXT = "workflow_request.public_text"


@dataclass(frozen=True)
class Search:
    """A search applied to a queryset: ``qs``, every match; ``tiers``, when ranked, the same matches split
    by relevance, best first, each to be listed newest first."""

    qs: QuerySet[Request]
    tiers: tuple[QuerySet[Request], ...] = ()

    @property
    def ranked(self) -> bool:
        return bool(self.tiers)


def uses_index() -> bool:
    return connection.vendor == "postgresql"


def public_search(qs: QuerySet[Request], query: str) -> Search:
    """``qs`` (already narrowed by the other filters) searched for ``query``."""
    if not uses_index():
        return Search(search(qs, query))
    terms = [t for t in (term_query(w) for w in search_terms(query)) if t is not None]
    if not terms:
        return Search(qs)
    matches = qs
    for term in terms:
        matches = matches.filter(_matches(term))
    if not any(t.needs_check for t in terms):
        return Search(matches)  # single characters, Latin words: every match holds them whole, one tier
    # Each tier is given to the planner as one plain condition on the index, not as the matching
    # conditions plus more: ANDed conditions on one column are taken as independent, their rows badly
    # underestimated, and the plan then reads every match before the first page.
    whole = whole_query(terms)
    partial = f"({' & '.join(t.tsquery for t in terms)}) & !({whole})"
    tiers = (qs.filter(_vector_matches(whole)), qs.filter(_vector_matches(partial), *map(_checked, terms)))
    return Search(matches, tiers)


def _vector_matches(tsquery: str) -> RawSQL:
    return RawSQL(f"{VECTOR} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())


def _checked(term: TermQuery) -> RawSQL:
    """The word is in the text: whole in the index, or as a substring of the redacted text (either script)."""
    checks, params = [f"{VECTOR} @@ to_tsquery('simple', %s)"], [term.exact]
    if term.needs_check:
        for variant in sorted(_variants(term.word)):
            checks.append(f"strpos({TEXT}, %s) > 0")
            params.append(variant)
    return RawSQL(f"({' OR '.join(checks)})", params, output_field=BooleanField())


def _matches(term: TermQuery) -> RawSQL:
    sql = f"{VECTOR} @@ to_tsquery('simple', %s)"
    params: list[str] = [term.tsquery]
    if term.needs_check:
        # The characters were found; the word itself must be there too: as a whole word in the index,
        # or as a substring of the redacted text (in either script).
        checks = [f"{VECTOR} @@ to_tsquery('simple', %s)"]
        params.append(term.exact)
        for variant in sorted(_variants(term.word)):
            checks.append(f"strpos({TEXT}, %s) > 0")
            params.append(variant)
        sql = f"({sql} AND ({' OR '.join(checks)}))"
    return RawSQL(sql, params, output_field=BooleanField())
