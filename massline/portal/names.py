"""Unit and category names for public pages, kept by each process until the units or the catalogue change
(the page cache's CONFIG counter, bumped whenever a unit or a category is saved): a page names them without
a query or a join. Names are as written; ``for_reader`` (``|reader``) gives the reader's script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from massline.pagecache import generations
from massline.workflow.models import Category, Unit

_seen: dict[str, tuple[int, Any]] = {}


def _kept(key: str, compute: Callable[[], Any]) -> Any:
    (counter,) = generations.current([generations.CONFIG])
    hit = _seen.get(key)
    if hit is None or hit[0] != counter:
        hit = (counter, compute())
        _seen[key] = hit
    return hit[1]


def units_by_code() -> dict[str, str]:
    return _kept("units_by_code", lambda: dict(Unit.objects.values_list("code", "name")))


def unit_name(unit_id: int | None) -> str:
    """The name of the unit ``unit_id`` ("" for none)."""
    if unit_id is None:
        return ""
    names = _kept("units_by_id", lambda: dict(Unit.objects.values_list("id", "name")))
    if unit_id not in names:  # added a moment ago in another process
        return Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
    return names[unit_id]


def category_full_name(category_id: int | None) -> str:
    """``Category.full_name()`` of the category ``category_id`` ("" for none): 城乡建设 / 市政设施 / 路灯."""
    if category_id is None:
        return ""
    names = _kept(
        "category_full_names",
        lambda: {c.id: c.full_name() for c in Category.objects.select_related("parent__parent__parent")},
    )
    if category_id not in names:
        category = Category.objects.filter(pk=category_id).first()
        return category.full_name() if category else ""
    return names[category_id]
