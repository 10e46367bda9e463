"""The request tally: counts of requests by received month, category, unit, state, hold and deadlines met,
kept by the event hook and summed by the dashboard and the public statistics instead of scanning requests.

Every audit event re-reads its request's row (the change is already written: ``transition()`` updates the
row before it audits) and, when the request's tally key has changed, moves it from its old row to its new
one, in the same transaction. Misconduct reports are never tallied."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import F, QuerySet, Sum

from massline.core.workflow import REPORT_KIND, TERMINAL
from massline.workflow import disclosure
from massline.workflow.models import Request

from .apply import month_of
from .models import RequestTally, TalliedRequest

KEY = ("month", "category_pk", "unit_pk", "state", "held", "sign", "reply")
ROW = (
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


def _met(done: datetime | None, due: datetime | None) -> int:
    if done is None or due is None:
        return RequestTally.NONE
    return RequestTally.MET if done <= due else RequestTally.LATE


def key_of(row: Iterable) -> Key:
    """The tally key of a request from its fields in ``ROW`` order."""
    received_at, category_id, unit_id, state, held, signed_at, sign_due, replied_at, reply_due = row
    return (
        month_of(received_at),
        category_id or 0,
        unit_id or 0,
        state,
        bool(held),
        _met(signed_at, sign_due),
        _met(replied_at, reply_due),
    )


def _add_one(key: Key) -> int:
    """n + 1 on the row of ``key`` (created if need be), in one statement; its id."""
    table = connection.ops.quote_name(RequestTally._meta.db_table)
    columns = ", ".join(KEY)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({columns}, n) VALUES ({', '.join(['%s'] * (len(KEY) + 1))}) "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + 1 RETURNING id",
            [*key, 1],
        )
        return cur.fetchone()[0]


def move(request_id: int) -> None:
    """Count the request in the row of its current key, and no longer in its previous one."""
    row = Request.objects.filter(pk=request_id).exclude(kind=REPORT_KIND).values_list(*ROW).first()
    if row is None:
        return
    key = key_of(row)
    before = (
        TalliedRequest.objects.filter(request_id=request_id)
        .values_list("tally_id", *(f"tally__{k}" for k in KEY))
        .first()
    )
    if before is not None and tuple(before[1:]) == key:
        return
    tally_id = _add_one(key)
    if before is None:
        TalliedRequest.objects.create(request_id=request_id, tally_id=tally_id)
    else:
        RequestTally.objects.filter(pk=before[0]).update(n=F("n") - 1)
        TalliedRequest.objects.filter(request_id=request_id).update(tally_id=tally_id)


# --- reading ------------------------------------------------------------------------------------------


def tallies(public: bool = False, month: str | None = None) -> QuerySet[RequestTally]:
    """The rows to sum: all requests (what staff see), or only those the public lists show
    (``workflow.disclosure.listed``: not held, not merged or rejected); in ``month`` when given."""
    qs = RequestTally.objects.all()
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
    """Category id (0: not yet classified) → requests."""
    return _by(qs, "category_pk")


def by_unit(qs: QuerySet[RequestTally]) -> dict[int, int]:
    """Unit id → requests (those with no unit left out)."""
    return _by(qs.exclude(unit_pk=0), "unit_pk")


def total(qs: QuerySet[RequestTally], states: Iterable[str] | None = None) -> int:
    if states is not None:
        qs = qs.filter(state__in=list(states))
    return qs.aggregate(s=Sum("n"))["s"] or 0


def open_total(qs: QuerySet[RequestTally]) -> int:
    return total(qs.exclude(state__in=[s.value for s in TERMINAL]))


def deadlines_met(qs: QuerySet[RequestTally]) -> dict[str, dict]:
    """Signed and replied in time, as the dashboard shows them: {"sign": {total, met, rate}, "reply": …}."""
    out = {}
    for name in ("sign", "reply"):
        counts = _by(qs.exclude(**{name: RequestTally.NONE}), name)
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
