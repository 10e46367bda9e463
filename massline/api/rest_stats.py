"""Statistics and rankings: the public statistics page's figures (massline/portal/stats.py), the 三率 of each
unit for a month (followup/metrics.py ``unit_ranking``) and the 一次辦結率 (``first_contact_rates``). Every
figure comes from the same function as on the web, cached the same way until the data changes; misconduct
reports are in none of them."""

from __future__ import annotations

import re

from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from massline.core.metrics import split_ranking
from massline.followup.metrics import first_contact_rates, ranking_min_dispatched, unit_ranking
from massline.portal import stats
from massline.workflow.models import Unit

from . import schemas as s
from .params import EARLIEST_YEAR, LATEST_YEAR
from .rest_paging import PageParams, list_page, page_of

router = Router(tags=["statistics"])

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MONTH_HELP = f"YYYY-MM (local time), years {EARLIEST_YEAR} to {LATEST_YEAR}; omit it for all time"


def _check_month(value: str | None) -> str | None:
    if value is None:
        return None
    if not MONTH.match(value) or not EARLIEST_YEAR <= int(value[:4]) <= LATEST_YEAR:
        raise ValueError(f"write a month as YYYY-MM between {EARLIEST_YEAR}-01 and {LATEST_YEAR}-12")
    return value


class MonthFilter(Schema):
    month: str | None = Field(None, max_length=7, description=MONTH_HELP)

    @field_validator("month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        return _check_month(value)


class MonthPage(PageParams):
    month: str | None = Field(None, max_length=7, description=MONTH_HELP)

    @field_validator("month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        return _check_month(value)


# --- the headline -------------------------------------------------------------------------------------


class HeadlineOut(Schema):
    month: str | None
    total: int = Field(description="public requests received")
    replied: int = Field(description="of those, replied to or closed")
    closed: int
    satisfaction_rate: float | None = Field(description="the city's, by the ranking's definition (0 to 1)")
    basic_weight: float = Field(description="how much 'basically satisfied' counts in it")
    latest_month: str = Field(description="the latest month with a public request")
    months: list[str] = Field(description="the months the statistics page offers, newest first")


@router.get("", response={200: HeadlineOut, **s.READ_ERRORS}, summary="The headline figures")
def headline(request, filters: Query[MonthFilter]):
    """What the top of the statistics page shows: requests received, replied, closed, and the city's
    satisfaction rate, for all time or one month."""
    h = stats.headline(filters.month)
    return {
        "month": filters.month,
        "total": h.total,
        "replied": h.replied,
        "closed": h.closed,
        "satisfaction_rate": h.satisfaction_rate,
        "basic_weight": h.basic_weight,
        "latest_month": stats.latest_month(),
        "months": stats.recent_months(24),
    }


# --- volumes -----------------------------------------------------------------------------------------


class VolumeOut(Schema):
    month: str
    requests: int


class VolumePage(Schema):
    items: list[VolumeOut]
    next: str | None
    limit: int


@router.get("/volumes", response={200: VolumePage, **s.READ_ERRORS}, summary="Requests per month")
def volumes(request, page: Query[PageParams]):
    """The statistics page's chart: public requests received in each of the last 12 months, oldest first."""
    rows = [{"month": m, "requests": n} for m, n in stats.monthly_volumes(12)]
    items, after = list_page(rows, lambda r: (r["month"],), page, "volumes")
    return page_of(items, after, page)


class CategoryVolumeOut(Schema):
    category: str = Field(description="a first-level category's name")
    requests: int


class CategoryVolumePage(Schema):
    items: list[CategoryVolumeOut]
    next: str | None
    limit: int


@router.get(
    "/categories", response={200: CategoryVolumePage, **s.READ_ERRORS}, summary="Requests by category"
)
def category_volumes(request, filters: Query[MonthPage]):
    """The statistics page's bar chart: the 12 first-level categories with the most public requests, most
    first (in one month, or all time)."""
    rows = stats.category_volumes(filters.month, 12)
    items, after = list_page(rows, lambda r: (-r[1], r[0]), filters, "category-volumes")
    return page_of([{"category": name, "requests": n} for name, n in items], after, filters)


# --- the ranking (三率) ----------------------------------------------------------------------------------


class RankOut(Schema):
    rank: int | None = Field(description="null for a unit with too few hand-overs to rank")
    unit: s.UnitOut
    dispatched: int = Field(description="hand-overs to the unit (dispatch, transfer, reopening)")
    signed_in_time: int
    followed_up: int
    solved: int
    response_rate: float | None = Field(description="響應率: signed in time / hand-overs")
    resolution_rate: float | None = Field(description="解決率: solved / followed up")
    satisfaction_rate: float | None = Field(
        description="滿意率: (satisfied + weight × basically) / followed up"
    )
    composite: float | None = Field(description="the weighted score, 0 to 100")
    partial: bool = Field(description="computed without follow-ups")
    too_few: bool = Field(description="fewer hand-overs than the ranking's minimum: listed apart")


class RankPage(Schema):
    month: str | None
    min_dispatched: int
    items: list[RankOut]
    next: str | None
    limit: int


def ranking_scores(month: str | None):
    """The ranked units, then those with too few hand-overs: the ranking function the statistics page and
    the monthly report use, cached until the data changes."""
    minimum = ranking_min_dispatched()
    return stats.cached(
        stats.figure_key("api-ranking", [month, minimum]),
        lambda: split_ranking(unit_ranking(month, min_dispatched=minimum)),
    ), minimum


@router.get("/ranking", response={200: RankPage, **s.READ_ERRORS}, summary="三率 and ranking of the units")
def ranking(request, filters: Query[MonthPage]):
    """Response, resolution and satisfaction rates (三率) per unit, for one month or all time, ranked as on
    the statistics page; units with fewer hand-overs than ``min_dispatched`` follow, unranked."""
    (ranked, too_few), minimum = ranking_scores(filters.month)
    names = dict(Unit.objects.values_list("code", "name"))
    rows = [
        {
            "position": position,
            "rank": score.rank,
            "unit": {"code": score.unit, "name": names.get(score.unit, score.unit)},
            "dispatched": score.dispatched,
            "signed_in_time": score.signed_in_time,
            "followed_up": score.followed_up,
            "solved": score.solved,
            "response_rate": score.response_rate,
            "resolution_rate": score.resolution_rate,
            "satisfaction_rate": score.satisfaction_rate,
            "composite": score.composite,
            "partial": score.partial,
            "too_few": score.too_few,
        }
        for position, score in enumerate([*ranked, *too_few])
    ]
    items, after = list_page(rows, lambda r: (r["position"], r["unit"]["code"]), filters, "ranking")
    return {"month": filters.month, "min_dispatched": minimum, **page_of(items, after, filters)}


# --- 一次辦結率 ------------------------------------------------------------------------------------------


class FirstContactOut(Schema):
    month: str
    received: int = Field(description="hotline requests received in the month")
    answered: int = Field(description="of those, answered on the call (直接答復)")
    rate: float | None = Field(description="一次辦結率: answered / received")


class FirstContactPage(Schema):
    items: list[FirstContactOut]
    next: str | None
    limit: int


@router.get(
    "/first-contact",
    response={200: FirstContactPage, **s.READ_ERRORS},
    summary="一次辦結率: resolved at first contact, per month",
)
def first_contact(request, page: Query[PageParams]):
    """The last 12 months with hotline requests, oldest first, as the statistics page shows them."""
    months = 12
    rows = stats.cached(f"hotline:first-contact:{months}", lambda: first_contact_rates(months))
    data = [{"month": r.month, "received": r.received, "answered": r.answered, "rate": r.rate} for r in rows]
    items, after = list_page(data, lambda r: (r["month"],), page, "first-contact")
    return page_of(items, after, page)
