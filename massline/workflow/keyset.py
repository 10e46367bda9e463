"""Keyset pagination for the HTML lists (public list and search, staff queues, the supervision board).

A page link carries ``?after=<cursor>``: the sort key of the last row shown (its sort fields, then a
unique id), signed with the site's secret and salted per list (``django.core.signing``), so it is opaque
and cannot be edited. The next page reads the rows after that key with a WHERE, never an OFFSET: a deep
page costs what the first one does, and rows added or removed in between neither repeat nor skip a row
that was there all along. There is no "previous" link; the first page is one link away.

Sort fields may be nullable (a due date): nulls come last in both directions, as the staff sorts put them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

SALT = "massline.keyset"
CURSOR_PARAM = "after"
MAX_CURSOR = 600


@dataclass(frozen=True)
class Key:
    """One sort field: its lookup name (``request__received_at``, an annotation), direction, nullability."""

    name: str
    descending: bool = False
    nullable: bool = False

    def order(self):
        expr = F(self.name)
        if self.nullable:
            return expr.desc(nulls_last=True) if self.descending else expr.asc(nulls_last=True)
        return expr.desc() if self.descending else expr.asc()


def keys(*specs: str, nullable: Sequence[str] = ()) -> list[Key]:
    """``keys("-received_at", "-id")``: as ``order_by`` takes them."""
    return [Key(s.lstrip("-"), s.startswith("-"), s.lstrip("-") in nullable) for s in specs]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"}:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and set(value) == {"d"}:
        return date.fromisoformat(value["d"])
    return value


def encode(scope: str, values: Sequence[Any]) -> str:
    return signing.dumps([_encode(v) for v in values], salt=f"{SALT}:{scope}", compress=True)


def decode(scope: str, cursor: str, length: int) -> list[Any]:
    """The key a cursor holds; a 404 with the reason for one that was changed or belongs to another list."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        values = signing.loads(cursor, salt=f"{SALT}:{scope}")
        if not isinstance(values, list) or len(values) != length:
            raise ValueError("wrong length")
        return [_decode(v) for v in values]
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Http404(_("This page link is not valid any more. Start again from the first page.")) from exc


def _beyond(key: Key, value: Any) -> Q | None:
    """Rows whose ``key`` comes strictly after ``value`` (nulls last)."""
    if value is None:
        return None  # nothing comes after a null
    q = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
    if key.nullable:
        q |= Q(**{f"{key.name}__isnull": True})
    return q


def after_q(order: Sequence[Key], values: Sequence[Any]) -> Q:
    """The rows after ``values`` in ``order``: (a > x) or (a = x and b > y) or …"""
    result: Q | None = None
    equal = Q()
    for key, value in zip(order, values, strict=True):
        step = _beyond(key, value)
        if step is not None:
            step = equal & step
            result = step if result is None else result | step
        equal &= Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})
    return result if result is not None else Q(pk__in=[])


def _attribute(row: Any, name: str) -> Any:
    for part in name.split("__"):
        row = getattr(row, part)
    return row


class KeysetPage:
    """One page: ``object_list``, ``has_next``, ``next_query``, ``first_query`` (query strings that keep
    the filters), ``is_first``. ``count`` runs a COUNT when a template asks (only where it is cheap).

    ``segments``: querysets listed one after the other (a search's whole-word matches, then the others),
    each in ``order``; the cursor then also holds the segment of the last row. Each segment is one query
    that the planner can answer from an index in ``order``, which a sort over all of them could not."""

    keyset = True

    def __init__(
        self,
        qs: QuerySet,
        order: Sequence[Key],
        size: int,
        query: QueryDict,
        scope: str,
        segments: Sequence[QuerySet] = (),
    ):
        self._qs = qs
        parts = list(segments) or [qs]
        cursor = query.get(CURSOR_PARAM, "")
        first, values = 0, None
        if cursor:
            decoded = decode(scope, cursor, len(order) + 1)
            first, values = decoded[0], decoded[1:]
            if not isinstance(first, int) or not 0 <= first < len(parts):
                raise Http404(_("This page link is not valid any more. Start again from the first page."))
        rows: list[Any] = []
        ends: list[int] = []  # the segment of each row
        for index in range(first, len(parts)):
            part = parts[index].order_by(*(k.order() for k in order))
            if index == first and values is not None:
                part = part.filter(after_q(order, values))
            got = list(part[: size + 1 - len(rows)])
            rows += got
            ends += [index] * len(got)
            if len(rows) > size:
                break
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        self.is_first = not cursor
        self.has_previous = not self.is_first
        base = query.copy()
        for name in (CURSOR_PARAM, "page", "export"):
            base.pop(name, None)
        self.first_query = base.urlencode()
        self.next_query = ""
        if self.has_next:
            last = self.object_list[-1]
            base[CURSOR_PARAM] = encode(scope, [ends[size - 1], *(_attribute(last, k.name) for k in order)])
            self.next_query = base.urlencode()

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._qs.order_by().count()

    @property
    def paginator(self) -> KeysetPage:
        """``page.paginator.count`` keeps working in templates written for Django's Paginator."""
        return self
