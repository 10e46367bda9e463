"""The request tally: counts of requests by received month, first-level category, state and hold, by unit,
and by deadlines met (``RequestTally``'s three views), kept by the event hook and summed by the dashboard
and the public statistics instead of scanning requests.

Every audit event re-reads its request's row (the change is already written: ``transition()`` updates the
row before it audits) and, when where it counts has changed, moves it from the cells it leaves to those it
enters, in the same transaction. Misconduct reports are never tallied. A category moved to another branch
of the catalogue keeps its requests under the old first-level category until ``massline rollups
rebuild``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet, Sum

from massline.core.workflow import REPORT_KIND, TERMINAL
from massline.workflow import disclosure
from massline.workflow.models import Category, Request

from .apply import month_of
from .models import SHARDS, RequestTally, TalliedRequest

KEY = ("month", "category_pk", "unit_pk", "state", "held", "sign", "reply")
ROW = (
    "id",
    "received_at",
    "category_id",
    "unit_id",
    "state",
    "held",
    "signed_at",
    "sign_due",
    "replied_at",
    "reply_due",
)
Key = tuple[str, int, int, str, bool, int, int]
VIEWS = {
    "a": ("month", "category_pk", "state", "held"),
    "d": ("sign", "reply"),
    "u": ("unit_pk",),
}
NEUTRAL: dict[str, object] = {
    "month": "",
    "category_pk": 0,
    "unit_pk": 0,
    "state": "",
    "held": False,
    "sign": 0,
    "reply": 0,
}


def _met(done: datetime | None, due: datetime | None) -> int:
    if done is None or due is None:
        return RequestTally.NONE
    return RequestTally.MET if done <= due else RequestTally.LATE


def key_of(row: Iterable, roots: Mapping[int, int]) -> Key:
    """Where a request is counted, from its fields in ``ROW`` order; ``roots`` maps a category id to
    its first-level ancestor's."""
    _id, received_at, category_id, unit_id, state, held, signed_at, sign_due, replied_at, reply_due = row
    return (
        month_of(received_at),
        roots.get(category_id, category_id) if category_id else 0,
        unit_id or 0,
        state,
        bool(held),
        _met(signed_at, sign_due),
        _met(replied_at, reply_due),
    )


def cell(view: str, key: Key) -> tuple:
    """The values of ``view``'s row for a request counted at ``key`` (in KEY order)."""
    used = VIEWS[view]
    return tuple(v if k in used else NEUTRAL[k] for k, v in zip(KEY, key, strict=True))


def category_roots() -> dict[int, int]:
    """Every category id → its first-level ancestor's id."""
    parent = dict(Category.objects.values_list("id", "parent_id"))

    def root(i: int) -> int:
        seen = 0
        while parent.get(i) and seen < 20:  # the catalogue has three levels; a cycle must not hang
            i, seen = parent[i], seen + 1
        return i

    return {i: root(i) for i in parent}


def _root_of(category_id: int | None) -> dict[int, int]:
    """The one category's first-level ancestor, read up its own branch (one query for three levels)."""
    if not category_id:
        return {}
    root = category_id
    for _ in range(8):  # the catalogue has three levels; a cycle must not hang
        up = (
            Category.objects.filter(pk=root)
            .values_list("parent_id", "parent__parent_id", "parent__parent__parent_id")
            .first()
        )
        chain = [c for c in up or () if c]
        if not chain:
            break
        root = chain[-1]
        if len(chain) < 3:  # the top was reached
            break
    return {category_id: root}


def _add(view: str, values: tuple, shard: int, by: int) -> None:
    """``by`` added to ``n`` of the row of (``view``, ``values``, ``shard``), created if need be."""
    table = connection.ops.quote_name(RequestTally._meta.db_table)
    columns = ", ".join(["view", *KEY, "shard"])
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({columns}, n) VALUES ({', '.join(['%s'] * (len(KEY) + 3))}) "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
            [view, *values, shard, by],
        )


def move(request_id: int) -> None:
    """Count the request in the cells of its current key, and no longer in those it leaves. Within a
    view the two rows are updated in the order of their values, so two requests moving opposite ways at
    once cannot wait on each other."""
    row = Request.objects.filter(pk=request_id).exclude(kind=REPORT_KIND).values_list(*ROW).first()
    if row is None:
        return
    key = key_of(row, _root_of(row[2]))
    before = TalliedRequest.objects.filter(request_id=request_id).values_list(*KEY).first()
    if before is not None and tuple(before) == key:
        return
    shard = request_id % SHARDS
    for view in VIEWS:
        new = cell(view, key)
        old = cell(view, tuple(before)) if before is not None else None  # type: ignore[arg-type]
        if old == new:
            continue
        steps = [(new, 1)] if old is None else sorted([(old, -1), (new, 1)])
        for values, by in steps:
            _add(view, values, shard, by)
    where = dict(zip(KEY, key, strict=True))
    if before is None:
        TalliedRequest.objects.create(request_id=request_id, **where)
    else:
        TalliedRequest.objects.filter(request_id=request_id).update(**where)


# --- reading ------------------------------------------------------------------------------------------


def tallies(public: bool = False, month: str | None = None) -> QuerySet[RequestTally]:
    """The rows to sum: all requests (what staff see), or only those the public lists show
    (``workflow.disclosure.listed``: not held, not merged or rejected); in ``month`` when given."""
    qs = RequestTally.objects.filter(view="a")
    if public:
        qs = qs.exclude(state__in=disclosure.UNLISTED_STATES).exclude(held=True)
    if month:
        qs = qs.filter(month=month)
    return qs


def _by(qs: QuerySet[RequestTally], field: str) -> dict:
    rows = qs.values_list(field).annotate(s=Sum("n")).order_by()
    return {k: s for k, s in rows if s}


def by_month(qs: QuerySet[RequestTally]) -> dict[str, int]:
    return _by(qs, "month")


def by_category(qs: QuerySet[RequestTally]) -> dict[int, int]:
    """First-level category id (0: not yet classified) → requests."""
    return _by(qs, "category_pk")


def by_unit() -> dict[int, int]:
    """Unit id → requests, all of them (held ones too), those with no unit left out."""
    return _by(RequestTally.objects.filter(view="u").exclude(unit_pk=0), "unit_pk")


def total(qs: QuerySet[RequestTally], states: Iterable[str] | None = None) -> int:
    if states is not None:
        qs = qs.filter(state__in=list(states))
    return qs.aggregate(s=Sum("n"))["s"] or 0


def open_total(qs: QuerySet[RequestTally]) -> int:
    return total(qs.exclude(state__in=[s.value for s in TERMINAL]))


def deadlines_met() -> dict[str, dict]:
    """Signed and replied in time, all requests, as the dashboard shows them:
    {"sign": {total, met, rate}, "reply": …}."""
    out = {}
    for name in ("sign", "reply"):
        counts = _by(RequestTally.objects.filter(view="d").exclude(**{name: RequestTally.NONE}), name)
        t, met = sum(counts.values()), counts.get(RequestTally.MET, 0)
        out[name] = {"total": t, "met": met, "rate": met / t if t else None}
    return out


def month_span(public: bool = True) -> tuple[str, str] | None:
    """The first and the latest month with a request (a public one by default), or None."""
    months = sorted(by_month(tallies(public)))
    return (months[0], months[-1]) if months else None


def on_event(event) -> None:
    """The subscriber (in the change's transaction)."""
    if event.kind != REPORT_KIND:
        move(event.request_id)
