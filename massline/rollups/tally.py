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
from datetime import UTC, datetime

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


def _add(changes: list[tuple[str, tuple, int]], shard: int) -> None:
    """Add each (view, cell values, by) to ``n`` of its row in ``shard`` (created if need be), all in one
    statement, rows in sorted order: two requests moving opposite ways at once lock them in the same
    order, so neither waits on the other."""
    table = connection.ops.quote_name(RequestTally._meta.db_table)
    columns = ", ".join(["view", *KEY, "shard"])
    row = f"({', '.join(['%s'] * (len(KEY) + 3))})"
    changes = sorted(changes)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({columns}, n) VALUES {', '.join([row] * len(changes))} "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
            [v for view, values, by in changes for v in (view, *values, shard, by)],
        )


def _aware(value):
    """A datetime as the ORM would give it (SQLite's raw cursor returns naive UTC)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _read(request_id: int) -> tuple | None:
    """The request's fields (``ROW``), its category's three ancestors, and where it is counted now (the
    ``TalliedRequest`` row, or Nones): one statement. Raw SQL because the hook runs on every change and the
    ORM's query building cost more than the query."""
    q = connection.ops.quote_name
    request, category = q(Request._meta.db_table), q(Category._meta.db_table)
    tallied = q(TalliedRequest._meta.db_table)
    fields = ", ".join(f"r.{q(f)}" for f in ROW)
    counted = ", ".join(f"t.{q(f)}" for f in KEY)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {fields}, c1.parent_id, c2.parent_id, c3.parent_id, t.request_id, {counted} "
            f"FROM {request} r LEFT JOIN {category} c1 ON c1.id = r.category_id "
            f"LEFT JOIN {category} c2 ON c2.id = c1.parent_id LEFT JOIN {category} c3 ON c3.id = c2.parent_id "
            f"LEFT JOIN {tallied} t ON t.request_id = r.id WHERE r.id = %s AND r.kind <> %s",
            [request_id, REPORT_KIND],
        )
        return cur.fetchone()


def move(request_id: int) -> None:
    """Count the request in the cells of its current key, and no longer in those it leaves."""
    found = _read(request_id)
    if found is None:
        return
    n = len(ROW)
    row = tuple(_aware(v) for v in found[:n])
    ancestry, counted = [c for c in found[n : n + 3] if c], found[n + 3]
    before = None if counted is None else (*found[n + 4 : n + 4 + len(KEY)],)
    if before is not None:
        before = (*before[:4], bool(before[4]), *before[5:])
    category_id = row[2]
    roots = _root_of(category_id) if len(ancestry) == 3 else {}  # deeper than the catalogue's levels
    if category_id and not roots:
        roots = {category_id: ancestry[-1] if ancestry else category_id}
    key = key_of(row, roots)
    if before == key:
        return
    changes: list[tuple[str, tuple, int]] = []
    for view in VIEWS:
        new = cell(view, key)
        old = cell(view, before) if before is not None else None  # type: ignore[arg-type]
        if old != new:
            changes.append((view, new, 1))
            if old is not None:
                changes.append((view, old, -1))
    _add(changes, request_id % SHARDS)
    table = connection.ops.quote_name(TalliedRequest._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (request_id, {', '.join(KEY)}) VALUES ({', '.join(['%s'] * (len(KEY) + 1))}) "
            f"ON CONFLICT (request_id) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in KEY)}",
            [request_id, *key],
        )


def add_new(request_ids: list[int]) -> None:
    """Tally requests written in bulk without the event hook (``intake.bulkwrite``: an import of history),
    in the caller's transaction. They must not be tallied yet."""
    if not request_ids:
        return
    from collections import Counter

    roots = category_roots()
    rows = Request.objects.filter(pk__in=request_ids).exclude(kind=REPORT_KIND).values_list(*ROW)
    keys = {row[0]: key_of(row, roots) for row in rows.iterator(chunk_size=5000)}
    cells: Counter = Counter()
    for request_id, key in keys.items():
        for view in VIEWS:
            cells[(view, cell(view, key), request_id % SHARDS)] += 1
    by_shard: dict[int, list[tuple[str, tuple, int]]] = {}
    for (view, values, shard), n in cells.items():
        by_shard.setdefault(shard, []).append((view, values, n))
    for shard, changes in by_shard.items():
        for i in range(0, len(changes), 500):
            _add(changes[i : i + 500], shard)
    TalliedRequest.objects.bulk_create(
        [TalliedRequest(request_id=r, **dict(zip(KEY, k, strict=True))) for r, k in keys.items()],
        batch_size=5000,
    )


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
