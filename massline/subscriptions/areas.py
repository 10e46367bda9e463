"""Areas and categories as the public names them: a unit code (its subtree) or a district's place name
(``Unit.area``, e.g. A1区), and a category code (its subtree). Shared by the feeds and the digests."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from massline.workflow.models import Category, Request, Unit


class UnknownFilter(ValueError):
    """An area or category that does not exist; the message says which, in the reader's language."""


def resolve_area(text: str) -> Unit | None:
    text = (text or "").strip()
    if not text:
        return None
    unit = Unit.objects.filter(code=text).first() or Unit.objects.filter(area=text).order_by("path").first()
    if unit is None:
        raise UnknownFilter(
            _("There is no area “%(area)s”: give a unit code or a district name.") % {"area": text[:60]}
        )
    return unit


def resolve_category(code: str) -> Category | None:
    code = (code or "").strip()
    if not code:
        return None
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise UnknownFilter(_("There is no category “%(code)s”.") % {"code": code[:60]})
    return category


def within(qs: QuerySet[Request], unit: Unit | None, category: Category | None) -> QuerySet[Request]:
    """Requests of ``unit``'s subtree and ``category``'s subtree (ids, not joins: the indexes serve it)."""
    if unit is not None:
        qs = qs.filter(
            unit_id__in=list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
        )
    if category is not None:
        subtree = Q(id=category.pk) | Q(parent_id=category.pk) | Q(parent__parent_id=category.pk)
        qs = qs.filter(category_id__in=list(Category.objects.filter(subtree).values_list("id", flat=True)))
    return qs


def describe(unit: Unit | None, category: Category | None) -> str:
    """What an area subscription or feed covers, in words (in the active language)."""
    place = (unit.area or unit.name) if unit is not None else ""
    if unit is not None and category is not None:
        return _("%(category)s in %(area)s") % {"category": category.name, "area": place}
    if category is not None:
        return category.name
    return place or _("the whole city")
