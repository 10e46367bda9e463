"""Units (承辦單位, a tree) and the category catalogue (派單目錄): public reads, as the portal's filters and
Open311's services show them. Names are returned as stored (the portal converts them to the reader's script)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from massline.workflow.models import Category, Unit

from . import schemas as s
from .errors import ApiError
from .rest_paging import PageParams, keyset_page, page_of

units = Router(tags=["units"])
categories = Router(tags=["categories"])


# --- units ----------------------------------------------------------------------------------------------


class UnitItem(Schema):
    code: str
    name: str
    parent: str | None = Field(description="the parent unit's code; null for a root")
    path: list[str] = Field(description="codes from the root down to this unit")
    depth: int = Field(description="0 for a root")
    area: str = Field(description="place names this unit covers")


class UnitDetail(UnitItem):
    children: list[UnitItem]


class UnitPage(Schema):
    items: list[UnitItem]
    next: str | None
    limit: int


class UnitFilters(PageParams):
    parent: str | None = Field(None, max_length=40, description="only the direct children of this unit code")
    within: str | None = Field(None, max_length=40, description="this unit and every unit below it")


def _unit(u: Unit, parent_code: str | None) -> dict:
    codes = [c for c in u.path.split("/") if c]
    return {
        "code": u.code,
        "name": u.name,
        "parent": parent_code,
        "path": codes,
        "depth": len(codes) - 1,
        "area": u.area,
    }


def _parent_code(u: Unit) -> str | None:
    codes = [c for c in u.path.split("/") if c]
    return codes[-2] if len(codes) > 1 else None


def _unit_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(code=code[:40]).first()
    if unit is None:
        raise ApiError(404, f"no unit has the code {code[:40]!r}", "not_found")
    return unit


@units.get("", response={200: UnitPage, **s.READ_ERRORS}, summary="The unit tree, root first")
def list_units(request, filters: Query[UnitFilters]):
    """Every unit in tree order (a parent before its children, by path). ``parent`` lists one level,
    ``within`` a whole branch; an unknown code gives an empty page."""
    qs = Unit.objects.all()
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    if filters.within:
        top = Unit.objects.filter(code=filters.within).first()
        qs = qs.filter(path__startswith=top.path) if top else qs.none()
    rows, after = keyset_page(qs, ("path", "id"), filters, "units")
    return page_of([_unit(u, _parent_code(u)) for u in rows], after, filters)


@units.get("/{code}", response={200: UnitDetail, **s.READ_ONE_ERRORS}, summary="One unit and its children")
def get_unit(request, code: str):
    unit = _unit_by_code(code)
    children = [_unit(c, unit.code) for c in unit.children.order_by("path", "id")]
    return {**_unit(unit, _parent_code(unit)), "children": children}


# --- categories -----------------------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class CategoryItem(Schema):
    code: str
    name: str
    level: int = Field(description="1 to 3: the catalogue's levels")
    parent: str | None = Field(description="the parent category's code; null at level 1")
    full_name: str = Field(description="the names from level 1 down, joined by ' / '")
    urgency: str
    default_unit: UnitRef | None = Field(description="the unit set on this category, if any")
    routed_to: UnitRef | None = Field(
        description="the unit its requests go to by default: its own default unit or the nearest ancestor's"
    )


class CategoryDetail(CategoryItem):
    children: list[CategoryItem]


class CategoryPage(Schema):
    items: list[CategoryItem]
    next: str | None
    limit: int


class CategoryFilters(PageParams):
    level: int | None = Field(None, ge=1, le=3, description="only this level")
    parent: str | None = Field(None, max_length=40, description="only the direct sub-categories of this code")


class _Catalogue:
    """The whole catalogue's parent links, names and default units, read in two queries, so that full
    names and inherited units cost nothing per row."""

    def __init__(self) -> None:
        rows = Category.objects.values_list("id", "parent_id", "name", "code", "default_unit_id")
        self.parent = {i: p for i, p, *_r in rows}
        self.name = {i: n for i, _p, n, *_r in rows}
        self.code = {i: c for i, _p, _n, c, _u in rows}
        self.unit_id = {i: u for i, *_r, u in rows}
        self.units = {u.pk: {"code": u.code, "name": u.name} for u in Unit.objects.only("code", "name")}

    def chain(self, pk: int) -> list[int]:
        out: list[int] = []
        node: int | None = pk
        while node is not None and node not in out:
            out.append(node)
            node = self.parent.get(node)
        return out[::-1]

    def item(self, c: Category) -> dict:
        chain = self.chain(c.pk)
        routed = next((self.unit_id[i] for i in reversed(chain) if self.unit_id.get(i)), None)
        return {
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "parent": self.code.get(c.parent_id) if c.parent_id else None,
            "full_name": " / ".join(self.name[i] for i in chain),
            "urgency": c.urgency,
            "default_unit": self.units.get(c.default_unit_id) if c.default_unit_id else None,
            "routed_to": self.units.get(routed) if routed else None,
        }


@categories.get("", response={200: CategoryPage, **s.READ_ERRORS}, summary="The category catalogue")
def list_categories(request, filters: Query[CategoryFilters]):
    """Every category by code (the Open311 ``service_code``), with its level, parent, full name, urgency,
    and the unit its requests are routed to by default."""
    qs = Category.objects.all()
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    rows, after = keyset_page(qs, ("code", "id"), filters, "categories")
    catalogue = _Catalogue()
    return page_of([catalogue.item(c) for c in rows], after, filters)


@categories.get(
    "/{code}",
    response={200: CategoryDetail, **s.READ_ONE_ERRORS},
    summary="One category and its sub-categories",
)
def get_category(request, code: str):
    category = Category.objects.filter(code=code[:40]).first()
    if category is None:
        raise ApiError(404, f"no category has the code {code[:40]!r}", "not_found")
    catalogue = _Catalogue()
    children = [catalogue.item(c) for c in category.children.order_by("code", "id")]
    return {**catalogue.item(category), "children": children}
