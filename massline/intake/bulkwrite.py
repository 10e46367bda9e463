"""Writing one batch of prepared rows: requests, their audit events, the (run, line) record and the
checkpoint, all in one transaction, so that a batch is either wholly in the database or not at all.

On PostgreSQL the requests and import rows go in with ``COPY`` (psycopg 3 ``cursor.copy``); elsewhere
with ``bulk_create``. Ids are taken from the table's sequence first, so each reference (the one rule,
``reference_for``) and tracking token is known before the insert and written with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from massline.rollups import tally
from massline.workflow.audit import BulkAuditRow, write_audit_bulk
from massline.workflow.models import Request, new_tracking_token

from . import replies
from .actions import reference_for
from .models import ImportedRow, ImportRun
from .prepare import Prepared


@dataclass
class Enriched:
    """A prepared row with what the importer decided in the main process."""

    row: Prepared
    category_id: int | None = None
    urgency: str = "general"
    suggested_id: int | None = None
    confidence: float | None = None
    duplicate_of: int | None = None
    similarity: float | None = None


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def allocate_ids(n: int) -> list[int]:
    """``n`` fresh request ids, inside the caller's transaction."""
    table = Request._meta.db_table
    with connection.cursor() as cur:
        if _postgres():
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [r[0] for r in cur.fetchall()]
        # SQLite: the write lock is ours (BEGIN IMMEDIATE), so nobody takes these ids meanwhile.
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cur.fetchone()
        start = max(top, seq[0] if seq else 0) + 1
        return list(range(start, start + n))


def _request_values(e: Enriched, pk: int, channel: str, now: datetime) -> dict:
    r = e.row
    return {
        "id": pk,
        "reference": reference_for(r.received_at, pk),
        "tracking_token": new_tracking_token(),
        "kind": r.kind,
        "title": r.title,
        "text": r.text,
        "address": r.address,
        "lat": r.lat,
        "lon": r.lon,
        "channel": channel,
        "external_id": r.external_id,
        "requester_key": r.requester_key,
        "category_id": e.category_id,
        "urgency": e.urgency,
        "state": r.state,
        "suggested_category_id": e.suggested_id,
        "suggestion_confidence": e.confidence,
        "received_at": r.received_at,
        "closed_at": r.closed_at,
        "replied_at": r.replied_at,
        "updated_at": now,
        "public_text": r.public_text,
        "search_words": r.search_words,
        **(r.public_forms or {}),
        "held": r.held,
    }


def _defaults() -> dict[str, object]:
    """Every other column's default, so that a field added to Request later still gets a value."""
    out = {}
    for f in Request._meta.concrete_fields:
        if f.attname != "id" and f.attname != "tracking_token":
            out[f.attname] = f.get_default()
    return out


def _copy(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    from psycopg.types.json import Jsonb

    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    json_cols = {i for i, c in enumerate(columns) if isinstance(by_attname[c], models.JSONField)}
    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cur:
        raw = cur.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                if json_cols:
                    row = tuple(Jsonb(v) if i in json_cols else v for i, v in enumerate(row))
                copy.write_row(row)


def write_batch(
    run: ImportRun,
    batch: list[Enriched],
    *,
    ids: list[int] | None = None,
    last_line: int,
    read: int,
    skipped: int,
    failed: int,
) -> list[int]:
    """Insert ``batch`` and move the checkpoint to ``last_line``, atomically. Returns the new ids (``ids``
    when the caller took them already, in its own transaction, with ``allocate_ids``)."""
    now = timezone.now()
    actor = f"import #{run.pk}"
    with transaction.atomic():
        if ids is None:
            ids = allocate_ids(len(batch)) if batch else []
        defaults = _defaults()
        values = [
            {**defaults, **_request_values(e, pk, run.channel, now)} for e, pk in zip(batch, ids, strict=True)
        ]
        if values and _postgres():
            columns = list(values[0])
            _copy(Request, columns, [tuple(v[c] for c in columns) for v in values])
        elif values:
            Request.objects.bulk_create([Request(**v) for v in values], batch_size=500)
        audit: list[BulkAuditRow] = []
        for e, pk in zip(batch, ids, strict=True):
            r = e.row
            audit.append(
                BulkAuditRow(
                    request_id=pk,
                    actor_label=actor,
                    action="submit",
                    at=r.received_at,
                    from_state="",
                    to_state="received",
                    note="",
                    data={"channel": run.channel, "language": settings.LANGUAGE_CODE},
                )
            )
            audit.extend(replies.audit_rows(r, pk, actor))
            if r.state != "received":
                audit.append(
                    BulkAuditRow(
                        request_id=pk,
                        actor_label=actor,
                        action="imported",
                        at=r.closed_at or r.received_at,
                        from_state=replies.state_before_close(r),
                        to_state=r.state,
                        note="",
                        data={"run": run.pk, "line": r.line, "status": r.status},
                    )
                )
        write_audit_bulk(audit)
        replies.write_replies([e.row for e in batch], ids)
        tally.add_new(ids)  # the statistics' counts: written without the event hook, tallied here
        line_rows = [
            (run.pk, e.row.line, pk, e.duplicate_of, e.similarity) for e, pk in zip(batch, ids, strict=True)
        ]
        if line_rows and _postgres():
            _copy(ImportedRow, ["run_id", "line", "request_id", "duplicate_of_id", "similarity"], line_rows)
        elif line_rows:
            ImportedRow.objects.bulk_create(
                [
                    ImportedRow(run_id=a, line=b, request_id=c, duplicate_of_id=d, similarity=s)
                    for a, b, c, d, s in line_rows
                ]
            )
        ImportRun.objects.filter(pk=run.pk).update(
            last_line=last_line,
            rows_read=F("rows_read") + read,
            rows_imported=F("rows_imported") + len(batch),
            rows_skipped=F("rows_skipped") + skipped,
            rows_failed=F("rows_failed") + failed,
            duplicates=F("duplicates") + sum(1 for e in batch if e.duplicate_of),
            updated_at=now,
        )
    return ids
