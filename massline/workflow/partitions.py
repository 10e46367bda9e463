"""Audit events partitioned by month on PostgreSQL (``workflow_auditevent`` by range of ``at``).

The audit trail only grows: a province-scale hotline writes tens of millions of rows a year. Monthly
partitions keep each month's rows and indexes together, so a month's statistics read one partition and
old months can be detached and archived without a long DELETE.

Layout: the parent ``workflow_auditevent`` (``PARTITION BY RANGE (at)``), one partition per calendar month
in the site's time zone (``workflow_auditevent_y2026m03``), and a default partition
(``workflow_auditevent_default``) that takes any row no monthly partition covers, so an insert is never
refused. ``ensure()`` (the command ``massline partitions ensure`` and a daily beat task) creates the
partitions of the coming months ahead of time, and the partition of every month that has rows waiting
in the default partition (history loaded by an import, say), moving those rows into it.

The primary key. PostgreSQL requires a partitioned table's primary key to include the partition key, so it
is ``(id, at)``. Django still knows the model by ``id`` alone, which stays unique in practice: ids come from
one identity sequence on the parent and audit rows are never updated (``AuditEvent.save`` refuses). What
the database no longer enforces is a *unique* ``id`` on its own; nothing references audit rows by foreign
key (checked by a test), and ``id`` lookups use the per-partition ``id`` index. SQLite keeps the plain table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

TABLE = "workflow_auditevent"
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 3


@dataclass(frozen=True)
class Partition:
    name: str
    start: date  # first day of the month
    end: date  # first day of the next month


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def month_partition(month: date) -> Partition:
    start = date(month.year, month.month, 1)
    return Partition(f"{TABLE}_y{start.year:04d}m{start.month:02d}", start, _next_month(start))


def months_between(first: date, last: date) -> list[date]:
    out, d = [], date(first.year, first.month, 1)
    while d <= last:
        out.append(d)
        d = _next_month(d)
    return out


def _bound(d: date, tz: str) -> str:
    return datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(tz)).isoformat()


def is_partitioned(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
        [TABLE],
    )
    return cursor.fetchone() is not None


def existing(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
        [TABLE],
    )
    return {row[0] for row in cursor.fetchall()}


def create_month(cursor, month: date, tz: str) -> bool:
    """Create the partition of ``month`` unless it exists; rows of that month waiting in the default
    partition are moved into it (in the caller's transaction). True when it was created."""
    part = month_partition(month)
    if part.name in existing(cursor):
        return False
    lo, hi = _bound(part.start, tz), _bound(part.end, tz)
    # A new range may not overlap rows kept in the default partition: take them out first, then back in.
    cursor.execute(
        f"CREATE TEMP TABLE _audit_move ON COMMIT DROP AS SELECT * FROM {DEFAULT} WHERE at >= %s AND at < %s",
        [lo, hi],
    )
    cursor.execute(f"DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s", [lo, hi])
    cursor.execute(f"CREATE TABLE {part.name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)", [lo, hi])
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM _audit_move")
    cursor.execute("DROP TABLE _audit_move")
    return True


def ensure(connection, today: date | None = None, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the partitions of this month and the next ``months_ahead`` months (PostgreSQL, partitioned
    table only); the names created. Safe to run at any time, as often as wanted."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        return []
    tz = settings.TIME_ZONE
    today = today or timezone.localdate()
    created = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('massline.partitions'))")  # one at a time
        months = set(waiting_months(cursor, tz))  # rows kept in the default (an import of history)
        month = date(today.year, today.month, 1)
        for _ in range(months_ahead + 1):
            months.add(month)
            month = _next_month(month)
        for month in sorted(months):
            if create_month(cursor, month, tz):
                created.append(month_partition(month).name)
    return created


def waiting_months(cursor, tz: str) -> list[date]:
    """The months of the rows kept in the default partition (in the site's time zone)."""
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE %s)::date FROM {DEFAULT}",
        [tz],
    )
    return [row[0] for row in cursor.fetchall()]


def listing(connection) -> list[tuple[str, int]]:
    """(partition, estimated rows) of the audit table, oldest first; empty when it is not partitioned."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        cursor.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = %s ORDER BY c.relname",
            [TABLE],
        )
        return [(name, int(rows)) for name, rows in cursor.fetchall()]
