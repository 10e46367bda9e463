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
from django.db.models import Count
from django.db.models.functions import TruncMonth

from massline.core.workflow import HANDOVERS, REPORT_KIND
from massline.followup.metrics import pair_handovers
from massline.followup.models import FollowUp
from massline.workflow.models import AuditEvent, Request

from . import tally as tally_
from .apply import COUNTS, month_of
from .models import OpenHandover, RequestTally, TalliedRequest, UnitMonthRollup

Progress = Callable[[int, int], None]  # (events read, events to read)
Key = tuple[str, str]  # (unit code, "YYYY-MM")
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
    return qs.count(), qs.order_by().values_list("id", *tally_.ROW).iterator(chunk_size=CHUNK)


def compute(progress: Progress | None = None) -> Fresh:
    """The rollups as they should be, computed from the whole history (the hand-over and sign events,
    then every request, each read once)."""
    fresh = Fresh()
    total, rows = _events()
    n_requests, requests = _requests()
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
    for r in pair_handovers(ticking(rows), pending):
        c = fresh.counts[(r.unit, month_of(r.dispatched_at))]
        c["dispatched"] += 1
        c["signed_in_time"] += r.signed_at is not None and r.signed_at <= r.sign_due
    for req_id, (unit, at, due) in pending.items():
        fresh.counts[(unit, month_of(at))]["dispatched"] += 1
        fresh.open[req_id] = (unit, month_of(at), due)
    followups = (
        FollowUp.objects.exclude(request__kind=REPORT_KIND)
        .annotate(m=TruncMonth("created_at"))
        .values_list("unit__code", "m", "solved", "satisfaction")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit, m, solved, satisfaction, n in followups:
        c = fresh.counts[(unit, month_of(m))]
        c["followed_up"] += n
        c["solved"] += n if solved else 0
        c[satisfaction] += n
    for req_id, *row in ticking(requests):
        fresh.tally[req_id] = tally_.key_of(row)
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
    """Replace the rollups with a fresh computation, in one transaction; the number of rows written."""
    with transaction.atomic():
        _lock()
        fresh = compute(progress)
        UnitMonthRollup.objects.all().delete()
        OpenHandover.objects.all().delete()
        UnitMonthRollup.objects.bulk_create(
            (UnitMonthRollup(unit=u, month=m, **c) for (u, m), c in fresh.counts.items()), batch_size=CHUNK
        )
        OpenHandover.objects.bulk_create(
            (OpenHandover(request_id=r, unit=u, month=m, sign_due=d) for r, (u, m, d) in fresh.open.items()),
            batch_size=CHUNK,
        )
        _write_tally(fresh.tally)
    return len(fresh.counts)


def _write_tally(keys: dict[int, tally_.Key]) -> None:
    TalliedRequest.objects.all().delete()
    RequestTally.objects.all().delete()
    rows = {key: RequestTally(**dict(zip(tally_.KEY, key, strict=True)), n=0) for key in keys.values()}
    for key in keys.values():
        rows[key].n += 1
    RequestTally.objects.bulk_create(rows.values(), batch_size=CHUNK)  # sets their ids
    ids = {key: row.pk for key, row in rows.items()}
    batch: list[TalliedRequest] = []
    for req_id, key in keys.items():
        batch.append(TalliedRequest(request_id=req_id, tally_id=ids[key]))
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


def check(progress: Progress | None = None) -> list[Difference]:
    """Where the stored rollups differ from a fresh computation (nothing is written)."""
    with transaction.atomic():
        _lock()  # keeps the hook's increments out while both sides are read
        fresh = compute(progress)
        stored = {
            (row["unit"], row["month"]): {c: row[c] for c in COUNTS}
            for row in UnitMonthRollup.objects.values("unit", "month", *COUNTS)
        }
        stored_open = dict(OpenHandover.objects.values_list("request_id", "sign_due"))
        stored_tally = {
            tuple(k): n for *k, n in RequestTally.objects.filter(n__gt=0).values_list(*tally_.KEY, "n")
        }
        tallied = {
            req_id: tuple(k)
            for req_id, *k in TalliedRequest.objects.values_list(
                "request_id", *(f"tally__{k}" for k in tally_.KEY)
            ).iterator(chunk_size=CHUNK)
        }
    zero = dict.fromkeys(COUNTS, 0)
    diffs = []
    for key in sorted(set(stored) | set(fresh.counts)):
        a, b = stored.get(key, zero), fresh.counts.get(key, zero)
        diffs += [Difference(key[0], key[1], c, a[c], b[c]) for c in COUNTS if a[c] != b[c]]
    wrong_open = set(stored_open) ^ set(fresh.open) | {
        r for r in set(stored_open) & set(fresh.open) if stored_open[r] != fresh.open[r][2]
    }
    if wrong_open:
        diffs.append(Difference("*", "*", "open hand-overs", len(stored_open), len(fresh.open)))
    fresh_tally = Counter(fresh.tally.values())
    for key in sorted(set(stored_tally) | set(fresh_tally)):
        if stored_tally.get(key, 0) != fresh_tally.get(key, 0):
            label = "requests " + " ".join(map(str, key[1:]))
            diffs.append(Difference("*", key[0], label, stored_tally.get(key, 0), fresh_tally.get(key, 0)))
    moved = sum(tallied.get(r) != k for r, k in fresh.tally.items()) + len(set(tallied) - set(fresh.tally))
    if moved:
        diffs.append(Difference("*", "*", "requests in the wrong tally row", moved, 0))
    return diffs
