"""Keeping the rollups current: an in-transaction subscriber of the event hook (``workflow.events``).

Each audit event that moves a count adds to it in the same transaction as the change, so the rollups can
never disagree with the audit trail after a crash. Counts are added with one ``INSERT … ON CONFLICT DO
UPDATE SET n = n + excluded.n`` (PostgreSQL and SQLite alike): two changes at once both count, with no
read-modify-write between them.

The pairing of a hand-over with its signature follows ``followup.metrics.dispatch_records``: the latest
hand-over of a request waits in ``OpenHandover``; a signature closes it (in time or not), another
hand-over replaces it (the first then counts as not signed in time).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import connection
from django.utils import timezone

from massline.core.workflow import HANDOVERS, REPORT_KIND
from massline.workflow import events

from .models import SHARDS, OpenHandover, UnitMonthRollup

COUNTS = (
    "dispatched",
    "signed_in_time",
    "followed_up",
    "solved",
    "satisfied",
    "basically",
    "dissatisfied",
)
FOLLOW_UPS = ("follow_up_solved", "follow_up_unsolved")


def month_of(at: datetime) -> str:
    """The local-time month of a moment, as the 三率 count it."""
    return f"{timezone.localtime(at):%Y-%m}"


def add(unit: str, month: str, request_id: int, **counts: int) -> None:
    """Add ``counts`` to the row of (``unit``, ``month``) and the request's shard, creating it, in one
    statement."""
    unknown = set(counts) - set(COUNTS)
    if unknown:
        raise ValueError(f"unknown rollup counts {sorted(unknown)}")
    table = connection.ops.quote_name(UnitMonthRollup._meta.db_table)
    columns = ", ".join(COUNTS)
    marks = ", ".join(["%s"] * (3 + len(COUNTS)))
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS if counts.get(c))
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (unit, month, shard, {columns}) VALUES ({marks}) "
            f"ON CONFLICT (unit, month, shard) DO UPDATE SET {sums or 'dispatched = ' + table + '.dispatched'}",
            [unit, month, request_id % SHARDS, *(counts.get(c, 0) for c in COUNTS)],
        )


def on_handover(request_id: int, at: datetime, data: Mapping) -> None:
    OpenHandover.objects.filter(request_id=request_id).delete()  # an earlier one was passed on unsigned
    unit, sign_due = data.get("unit"), data.get("sign_due")
    if not (unit and sign_due):
        return
    month = month_of(at)
    add(unit, month, request_id, dispatched=1)
    OpenHandover.objects.create(
        request_id=request_id, unit=unit, month=month, sign_due=datetime.fromisoformat(sign_due)
    )


def on_sign(request_id: int, at: datetime) -> None:
    # The request's row is locked by transition(), so no other change of it runs meanwhile.
    open_ = OpenHandover.objects.filter(request_id=request_id).first()
    if open_ is None:
        return
    open_.delete()
    if at <= open_.sign_due:
        add(open_.unit, open_.month, request_id, signed_in_time=1)


def on_follow_up(request_id: int, unit_id: int | None, at: datetime, data: Mapping) -> None:
    from massline.workflow.models import Unit

    unit = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() if unit_id else None
    satisfaction = data.get("satisfaction")
    if unit is None or satisfaction not in ("satisfied", "basically", "dissatisfied"):
        return
    add(
        unit,
        month_of(at),
        request_id,
        followed_up=1,
        solved=int(bool(data.get("solved"))),
        **{satisfaction: 1},
    )


def count(event: events.RequestEvent) -> None:
    """The subscriber: misconduct reports are never counted, as in every public figure."""
    if event.kind == REPORT_KIND:
        return
    if event.action in FOLLOW_UPS:
        on_follow_up(event.request_id, event.unit_id, event.at, event.data)
    if event.action in HANDOVERS:
        on_handover(event.request_id, event.at, event.data)
    elif event.action == "sign":
        on_sign(event.request_id, event.at)


def connect() -> None:
    from .tally import on_event

    events.subscribe(count, phase="atomic")
    events.subscribe(on_event, phase="atomic")
