"""The full rebuild of the rollups from the audit trail and the follow-ups, and the check that compares
the stored rollups with such a fresh computation (``massline rollups rebuild`` / ``check``).

Needed after anything that writes history without the event hook (a bulk load straight into the
database, a restored backup of the events alone), or to prove the rollups right. The hand-overs are
paired by the same function as the Python computation (``followup.metrics.pair_handovers``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Value
from django.db.models.functions import Mod, TruncMonth

from massline.core.workflow import HANDOVERS, REPORT_KIND
from massline.followup.metrics import pair_handovers
from massline.followup.models import FollowUp
from massline.workflow.models import AuditEvent, Category, Request

from . import tally as tally_
from .apply import COUNTS, month_of
from .models import SHARDS, OpenHandover, RequestTally, TalliedRequest, UnitMonthRollup

Progress = Callable[[int, int], None]  # (events read, events to read)
Key = tuple[str, str, int]  # (unit code, "YYYY-MM", shard)
CHUNK = 5000


@dataclass
class Fresh:
    counts: dict[Key, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    )
    open: dict[int, tuple[str, str, datetime]] = field(default_factory=dict)  # request id → unit, month, due
    tally: dict[int, tally_.Key] = field(default_factory=dict)  # request id → its tally key


def _events() -> tuple[int, Iterator[tuple[int, str, datetime, dict | None]]]:
    qs = AuditEvent.objects.filter(action__in=[*HANDOVERS, "sign"]).exclude(request__kind=REPORT_KIND)
    rows = qs.order_by("request_id", "at", "id").values_list("request_id", "action", "at", "data")
    return qs.count(), rows.iterator(chunk_size=CHUNK)


def _requests() -> tuple[int, Iterator[tuple]]:
    qs = Request.objects.exclude(kind=REPORT_KIND)
    return qs.count(), qs.order_by().values_list(*tally_.ROW).iterator(chunk_size=CHUNK)


def compute(progress: Progress | None = None, with_tally: bool = True) -> Fresh:
    """The rollups as they should be, computed from the whole history (the hand-over and sign events,
    then every request, each read once)."""
    fresh = Fresh()
    total, rows = _events()
    n_requests, requests = _requests() if with_tally else (0, iter(()))
    total += n_requests
    done = 0

    def ticking(rows):
        nonlocal done
        for row in rows:
            done += 1
            if progress and done % CHUNK == 0:
                progress(done, total)
            yield row

    pending: dict[int, tuple[str, datetime, datetime]] = {}
    for req_id, r in pair_handovers(ticking(rows), pending):
        c = fresh.counts[(r.unit, month_of(r.dispatched_at), req_id % SHARDS)]
        c["dispatched"] += 1
        c["signed_in_time"] += r.signed_at is not None and r.signed_at <= r.sign_due
    for req_id, (unit, at, due) in pending.items():
        fresh.counts[(unit, month_of(at), req_id % SHARDS)]["dispatched"] += 1
        fresh.open[req_id] = (unit, month_of(at), due)
    followups = (
        FollowUp.objects.exclude(request__kind=REPORT_KIND)
        .annotate(m=TruncMonth("created_at"), shard=Mod("request_id", Value(SHARDS)))
        .values_list("unit__code", "m", "shard", "solved", "satisfaction")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit, m, shard, solved, satisfaction, n in followups:
        c = fresh.counts[(unit, month_of(m), int(shard))]
        c["followed_up"] += n
        c["solved"] += n if solved else 0
        c[satisfaction] += n
    roots = tally_.category_roots()
    for row in ticking(requests):
        fresh.tally[row[0]] = tally_.key_of(row, roots)
    if progress:
        progress(total, total)
    return fresh


def _lock() -> None:
    """Hold off the event hook's increments while the tables are rebuilt (PostgreSQL; on SQLite the
    rebuild's write transaction already excludes every other writer)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in (UnitMonthRollup, OpenHandover)
        )
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def rebuild(progress: Progress | None = None) -> int:
    """Replace the rollups with a fresh computation, in one transaction; the number of unit-months."""
    with transaction.atomic():
        _lock()
        in_sql = _tally_in_sql()
        fresh = compute(progress, with_tally=not in_sql)
        UnitMonthRollup.objects.all().delete()
        OpenHandover.objects.all().delete()
        UnitMonthRollup.objects.bulk_create(
            (UnitMonthRollup(unit=u, month=m, shard=sh, **c) for (u, m, sh), c in fresh.counts.items()),
            batch_size=CHUNK,
        )
        OpenHandover.objects.bulk_create(
            (OpenHandover(request_id=r, unit=u, month=m, sign_due=d) for r, (u, m, d) in fresh.open.items()),
            batch_size=CHUNK,
        )
        if in_sql:
            _write_tally_sql()
        else:
            _write_tally(fresh.tally)
    return len({(unit, month) for unit, month, _shard in fresh.counts})


def _cells(keys: dict[int, tally_.Key]) -> Counter:
    """(view, cell values, shard) → requests counted there."""
    cells: Counter = Counter()
    for req_id, key in keys.items():
        for view in tally_.VIEWS:
            cells[(view, tally_.cell(view, key), req_id % SHARDS)] += 1
    return cells


def _tally_in_sql() -> bool:
    """On PostgreSQL the tally is rebuilt by two INSERT … SELECT statements (a million requests in
    seconds rather than minutes), when the catalogue is no deeper than the joins below reach."""
    if connection.vendor != "postgresql":
        return False
    return not Category.objects.filter(parent__parent__parent__parent__isnull=False).exists()


def _write_tally_sql() -> None:
    """The same cells as ``tally.key_of`` and ``_cells``, computed by the database (check() compares)."""
    from django.conf import settings

    q = connection.ops.quote_name
    request, category = q(Request._meta.db_table), q(Category._meta.db_table)
    tallied, cells = q(TalliedRequest._meta.db_table), q(RequestTally._meta.db_table)
    met = "CASE WHEN r.{0}_{1} IS NULL OR r.{2}_due IS NULL THEN 0 WHEN r.{0}_{1} <= r.{2}_due THEN 1 ELSE 2 END"
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {tallied}")
        cur.execute(f"DELETE FROM {cells}")
        cur.execute(
            f"INSERT INTO {tallied} (request_id, month, category_pk, unit_pk, state, held, sign, reply) "
            f"SELECT r.id, to_char(r.received_at AT TIME ZONE %s, 'YYYY-MM'), "
            f"COALESCE(c3.parent_id, c2.parent_id, c1.parent_id, r.category_id, 0), COALESCE(r.unit_id, 0), "
            f"r.state, r.held, {met.format('signed', 'at', 'sign')}, {met.format('replied', 'at', 'reply')} "
            f"FROM {request} r LEFT JOIN {category} c1 ON c1.id = r.category_id "
            f"LEFT JOIN {category} c2 ON c2.id = c1.parent_id LEFT JOIN {category} c3 ON c3.id = c2.parent_id "
            f"WHERE r.kind <> %s",
            [settings.TIME_ZONE, REPORT_KIND],
        )
        shard = f"request_id % {SHARDS}"  # no parameters below: % is not doubled
        cur.execute(
            f"INSERT INTO {cells} (view, month, category_pk, unit_pk, state, held, sign, reply, shard, n) "
            f"SELECT 'a', month, category_pk, 0, state, held, 0, 0, {shard}, count(*) FROM {tallied} "
            f"GROUP BY month, category_pk, state, held, {shard} "
            f"UNION ALL SELECT 'd', '', 0, 0, '', false, sign, reply, {shard}, count(*) FROM {tallied} "
            f"GROUP BY sign, reply, {shard} "
            f"UNION ALL SELECT 'u', '', 0, unit_pk, '', false, 0, 0, {shard}, count(*) FROM {tallied} "
            f"GROUP BY unit_pk, {shard}"
        )


def _write_tally(keys: dict[int, tally_.Key]) -> None:
    TalliedRequest.objects.all().delete()
    RequestTally.objects.all().delete()
    RequestTally.objects.bulk_create(
        (
            RequestTally(view=view, shard=shard, n=n, **dict(zip(tally_.KEY, values, strict=True)))
            for (view, values, shard), n in _cells(keys).items()
        ),
        batch_size=CHUNK,
    )
    batch: list[TalliedRequest] = []
    for req_id, key in keys.items():
        batch.append(TalliedRequest(request_id=req_id, **dict(zip(tally_.KEY, key, strict=True))))
        if len(batch) == CHUNK:
            TalliedRequest.objects.bulk_create(batch)
            batch = []
    TalliedRequest.objects.bulk_create(batch)


@dataclass(frozen=True)
class Difference:
    unit: str
    month: str
    count: str  # a column of UnitMonthRollup, or "open hand-overs"
    stored: int
    fresh: int

    def __str__(self) -> str:
        return f"{self.unit} {self.month} {self.count}: stored {self.stored}, fresh {self.fresh}"


def _by_unit_month(rows) -> dict[tuple[str, str], dict[str, int]]:
    """Counts summed over the shards (the figures read them so)."""
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for key, counts in rows:
        for c in COUNTS:
            out[key][c] += counts[c]
    return out


def check(progress: Progress | None = None) -> list[Difference]:
    """Where the stored rollups differ from a fresh computation (nothing is written)."""
    with transaction.atomic():
        _lock()  # keeps the hook's increments out while both sides are read
        fresh = compute(progress)
        stored = _by_unit_month(
            ((row["unit"], row["month"]), row)
            for row in UnitMonthRollup.objects.values("unit", "month", *COUNTS)
        )
        stored_open = dict(OpenHandover.objects.values_list("request_id", "sign_due"))
        stored_tally = {
            (view, tuple(values), shard): n
            for view, *values, shard, n in RequestTally.objects.exclude(n=0).values_list(
                "view", *tally_.KEY, "shard", "n"
            )
        }
        tallied = {
            req_id: tuple(k)
            for req_id, *k in TalliedRequest.objects.values_list("request_id", *tally_.KEY).iterator(
                chunk_size=CHUNK
            )
        }
    zero = dict.fromkeys(COUNTS, 0)
    diffs = []
    fresh_counts = _by_unit_month(((u, m), c) for (u, m, _shard), c in fresh.counts.items())
    for key in sorted(set(stored) | set(fresh_counts)):
        a, b = stored.get(key, zero), fresh_counts.get(key, zero)
        diffs += [Difference(key[0], key[1], c, a[c], b[c]) for c in COUNTS if a[c] != b[c]]
    wrong_open = set(stored_open) ^ set(fresh.open) | {
        r for r in set(stored_open) & set(fresh.open) if stored_open[r] != fresh.open[r][2]
    }
    if wrong_open:
        diffs.append(Difference("*", "*", "open hand-overs", len(stored_open), len(fresh.open)))
    fresh_tally = _cells(fresh.tally)
    cells: dict[tuple[str, tuple], list[int]] = defaultdict(lambda: [0, 0])  # summed over the shards
    for (view, values, _shard), n in stored_tally.items():
        cells[(view, values)][0] += n
    for (view, values, _shard), n in fresh_tally.items():
        cells[(view, values)][1] += n
    for (view, values), (n_stored, n_fresh) in sorted(cells.items()):
        if n_stored != n_fresh:
            used = dict(zip(tally_.KEY, values, strict=True))
            label = "requests " + " ".join(f"{k}={used[k]}" for k in tally_.VIEWS[view] if k != "month")
            diffs.append(Difference("*", str(used["month"] or "*"), label, n_stored, n_fresh))
    moved = sum(tallied.get(r) != k for r, k in fresh.tally.items()) + len(set(tallied) - set(fresh.tally))
    if moved:
        diffs.append(Difference("*", "*", "requests in the wrong tally row", moved, 0))
    return diffs
