"""Public search: the full-text index on PostgreSQL, a LIKE over the redacted text elsewhere.

Only the redacted text is ever read: the index is built from ``Request.public_text`` when the request is
saved (``search_words``, and on PostgreSQL the generated ``search_vector`` with its GIN index), and the
substring check of a candidate reads ``public_text`` too.

On PostgreSQL the query is cut into words the same way as the text (``core.text.searchwords``); every
word must be found. The GIN index gives the candidates, so a query that matches nothing reads no rows.
Results are ranked (``ts_rank`` on the whole words), newest first among equals; a query of one or two
characters lists the newest first, as the list does.

Why not pg_trgm for the short queries: a trigram index cannot answer ``LIKE '%路灯%'`` for a pattern
of fewer than three characters (there is no trigram to look up, so PostgreSQL reads the whole index or
the table). The index's single-character words answer those queries instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from massline.core.text.searchwords import TermQuery, is_short, rank_query, term_query
from massline.workflow.models import Request

from .public import _variants, search, search_terms

VECTOR = "workflow_request.search_vector"
TEXT = "workflow_request.public_text"


@dataclass(frozen=True)
class Search:
    """A search applied to a queryset: ``ranked`` when rows carry ``search_rank`` (ordered by it)."""

    qs: QuerySet[Request]
    ranked: bool


def uses_index() -> bool:
    return connection.vendor == "postgresql"


def public_search(qs: QuerySet[Request], query: str) -> Search:
    if not uses_index():
        return Search(search(qs, query), ranked=False)
    terms = [t for t in (term_query(w) for w in search_terms(query)) if t is not None]
    if not terms:
        return Search(qs, ranked=False)
    for term in terms:
        qs = qs.filter(_matches(term))
    if is_short(terms):
        return Search(qs, ranked=False)
    rank = RawSQL(
        f"ts_rank({VECTOR}, to_tsquery('simple', %s))::float8", [rank_query(terms)], output_field=FloatField()
    )
    return Search(qs.annotate(search_rank=rank), ranked=True)


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
