"""The audit trail: typed payloads, and the one public writer of ``AuditEvent`` rows, which also publishes
each change to the event hook (``workflow.events``).

Every change to a request appends one event (``transition()`` writes it; supervisions and intake call
``write_audit`` directly). The payload of each action has a declared shape below, so that the timeline, the
三率 computation and exports read the same keys that the actions wrote.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.db import transaction

from . import events
from .models import AuditEvent, Request

if TYPE_CHECKING:
    from .actions import Actor


class SubmitData(TypedDict):
    channel: str
    language: NotRequired[str]  # the requester's language, for the messages they get
    routing: NotRequired[str]  # "deferred": a worker routes it after the answer (intake.deferred)


class DispatchData(TypedDict):
    unit: str
    category: str | None
    sign_due: str


class ReturnData(TypedDict):
    unit: str | None


class TransferData(TypedDict):
    from_unit: str | None
    unit: str
    sign_due: str


class MergeData(TypedDict):
    lead: str


class FollowUpData(TypedDict, total=False):
    satisfaction: str
    solved: bool
    unit: str | None  # unsolved: the unit it goes back to
    sign_due: str  # unsolved: the new sign deadline


class AcceptData(TypedDict):
    unit: str | None
    reply_due: str


class AnswerOnCallData(TypedDict):
    unit: str | None  # the hotline centre that answered
    knowledge_answer: int | None  # the knowledge-base answer it started from (massline.hotline), if any


class SuperviseData(TypedDict):
    reason: str


class EmptyData(TypedDict):
    pass


class SupervisionResolvedData(TypedDict):
    reason: str


class ExternalUpdateData(TypedDict):
    """An update polled back from the external Open311 system that a unit works in (massline.open311out)."""

    endpoint: str  # the endpoint's name
    external_id: str  # their service_request_id
    update_id: str
    status: str  # their status word: open, in_progress, fixed, closed, ...
    external_status_code: NotRequired[str]


class ImportedData(TypedDict):
    """A historical request brought in by a bulk import in a state other than received (e.g. closed)."""

    run: int  # intake.ImportRun
    line: int  # the line of the source file
    status: str  # the source system's own status, as written there


# The payload each action writes. A test checks every action of the transition table has one.
PAYLOADS: dict[str, type] = {
    "submit": SubmitData,
    "dispatch": DispatchData,
    "sign": EmptyData,
    "return": ReturnData,
    "transfer": TransferData,
    "reply": EmptyData,
    "follow_up_solved": FollowUpData,
    "follow_up_unsolved": FollowUpData,
    "merge": MergeData,
    "reject": EmptyData,
    "accept": AcceptData,
    "investigate": EmptyData,
    "answer": EmptyData,
    "conclude": EmptyData,
    "dismiss": EmptyData,
    "answer_on_call": AnswerOnCallData,
    "supervise": SuperviseData,
    "supervision_resolved": SupervisionResolvedData,
    # held for review (workflow.moderation): a moderator publishes the request or keeps it hidden
    "release": EmptyData,
    "keep_hidden": EmptyData,
    # an update from an external Open311 system (massline.open311out)
    "external_update": ExternalUpdateData,
    # bulk import of history (intake.fastimport): the state the source system had reached
    "imported": ImportedData,
}


def _checked_payload(action: str, data: Any) -> dict:
    payload = dict(data or {})
    shape = PAYLOADS.get(action)
    if shape is not None:
        annotations = getattr(shape, "__annotations__", {})
        # under ``from __future__ import annotations`` TypedDict counts a NotRequired key as required
        optional = {k for k, v in annotations.items() if "NotRequired[" in str(v)}
        required = set(getattr(shape, "__required_keys__", frozenset())) - optional
        allowed = set(annotations)
        missing, unknown = set(required) - set(payload), set(payload) - allowed
        if missing or unknown:
            raise ValueError(
                f"audit payload of {action!r}: missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
    return payload


def write_audit(
    req: Request,
    actor: Actor,
    action: str,
    at: datetime,
    from_state: str,
    to_state: str,
    note: str = "",
    data: Any = None,
) -> AuditEvent:
    """Append one audit event. ``data`` must have the keys its action's payload declares."""
    payload = _checked_payload(action, data)
    with transaction.atomic():
        row = AuditEvent.objects.create(
            request=req,
            actor=actor.user if actor.user is not None else None,
            actor_label=actor.label,
            at=at,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
            data=payload,
        )
        events.publish(
            events.RequestEvent(
                action=action,
                request_id=req.pk,
                reference=req.reference or "",
                kind=req.kind,
                from_state=from_state,
                to_state=to_state,
                unit_id=req.unit_id,
                actor_label=actor.label,
                at=at,
                data=MappingProxyType(dict(payload)),
                audit_id=row.pk,
                note=note,
            )
        )
    return row


class BulkAuditRow(TypedDict):
    """One audit event for ``write_audit_bulk``: the fields of ``write_audit`` with the request's id."""

    request_id: int
    actor_label: str
    action: str
    at: datetime
    from_state: str
    to_state: str
    note: str
    data: Any


def write_audit_bulk(rows: list[BulkAuditRow], *, batch_size: int = 5000) -> int:
    """Append many audit events at once (a migration's history), each payload checked as in ``write_audit``.

    Unlike ``write_audit`` these are **not published** to the event hook: rows written in bulk record what
    happened in another system, and must not send receipts, fire webhooks or count as new work. Runs in
    the caller's transaction; returns the number of rows written.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return _copy_audit(rows)
    objs = [
        AuditEvent(
            request_id=row["request_id"],
            actor_label=row["actor_label"],
            at=row["at"],
            action=row["action"],
            from_state=row["from_state"],
            to_state=row["to_state"],
            note=row["note"],
            data=_checked_payload(row["action"], row["data"]),
        )
        for row in rows
    ]
    AuditEvent.objects.bulk_create(objs, batch_size=batch_size)
    return len(objs)


def _copy_audit(rows: list[BulkAuditRow]) -> int:
    """``write_audit_bulk`` on PostgreSQL: one COPY (psycopg 3) instead of INSERT statements."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    columns = [
        "request_id",
        "actor_id",
        "actor_label",
        "at",
        "action",
        "from_state",
        "to_state",
        "note",
        "data",
    ]
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        with cur.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                payload = _checked_payload(row["action"], row["data"])
                copy.write_row(
                    (
                        row["request_id"],
                        None,
                        row["actor_label"],
                        row["at"],
                        row["action"],
                        row["from_state"],
                        row["to_state"],
                        row["note"],
                        Jsonb(payload),
                    )
                )
    return len(rows)
