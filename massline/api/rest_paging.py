"""Keyset pagination for the REST API: ``?after=<cursor>&limit=<n>``, answered with a ``next`` cursor.

A cursor is the sort key of the last row a page showed (its sort fields and its id), signed with the
site's secret and salted per list (``django.core.signing``): opaque to clients, useless on another list,
refused when changed. The next page reads the rows after that key with a WHERE on the key, never an
OFFSET, so a page costs the same however deep it is, and rows inserted or deleted meanwhile neither
repeat nor skip a row that was there all along.

Lists computed in Python (statistics) are paged the same way over a sorted list: the cursor holds the last
item's key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.core import signing
from django.db.models import Q, QuerySet
from ninja import Field, Schema

from .errors import ApiError

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
SALT = "massline.api.cursor"
T = TypeVar("T")


class PageParams(Schema):
    after: str | None = Field(
        None, max_length=600, description="the `next` cursor of the previous page; omit it for the first page"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"rows per page, 1 to {MAX_LIMIT}")


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"}:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and set(value) == {"d"}:
        return date.fromisoformat(value["d"])
    return value


def encode_cursor(scope: str, key: Sequence[Any]) -> str:
    return signing.dumps([_encode_value(v) for v in key], salt=f"{SALT}:{scope}", compress=True)


def decode_cursor(scope: str, cursor: str, length: int | None) -> list[Any]:
    """The key a cursor holds; 422 ``invalid_cursor`` for one that was changed, made up, or is another list's."""
    try:
        values = signing.loads(cursor, salt=f"{SALT}:{scope}")
        if not isinstance(values, list) or (length is not None and len(values) != length):
            raise ValueError("wrong length")
        return [_decode_value(v) for v in values]
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ApiError(
            422,
            "after: this cursor is not one this list gave (use the `next` value of the previous page as is)",
            "invalid_cursor",
        ) from exc


def _attribute(row: Any, name: str) -> Any:
    for part in name.split("__"):
        row = getattr(row, part)
    return row


def keyset_page(qs: QuerySet, order: Sequence[str], page: PageParams, scope: str) -> tuple[list, str | None]:
    """(rows of this page, the next cursor or None). ``order`` names non-null fields, the last one unique
    (the id), each with "-" for descending, as ``order_by`` takes them."""
    fields = [(f.lstrip("-"), f.startswith("-")) for f in order]
    qs = qs.order_by(*order)
    if page.after:
        values = decode_cursor(scope, page.after, len(fields))
        after = Q()
        equal: dict[str, Any] = {}
        for (name, descending), value in zip(fields, values, strict=True):
            step = Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value})
            after = step if not after else after | step
            equal[name] = value
        qs = qs.filter(after)
    rows = list(qs[: page.limit + 1])
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, encode_cursor(scope, [_attribute(rows[-1], name) for name, _d in fields])


def list_page(
    items: Sequence[T], key: Callable[[T], tuple], page: PageParams, scope: str
) -> tuple[list[T], str | None]:
    """The same for a list computed in Python: ``key`` gives each item's unique sort key (JSON values)."""
    ordered = sorted(items, key=key)
    if page.after:
        last = tuple(decode_cursor(scope, page.after, len(key(ordered[0])) if ordered else None))
        try:
            ordered = [item for item in ordered if key(item) > last]
        except TypeError as exc:  # a key of another shape: not this list's cursor
            raise ApiError(422, "after: this cursor is not one this list gave", "invalid_cursor") from exc
    rows = ordered[: page.limit]
    more = len(ordered) > page.limit
    return rows, (encode_cursor(scope, list(key(rows[-1]))) if more else None)


def page_of(items: list, next_cursor: str | None, page: PageParams) -> dict:
    return {"items": items, "next": next_cursor, "limit": page.limit}
