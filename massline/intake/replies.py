"""Imported replies (答復): the official answer an export carries becomes the imported request's reply.

The govmsg preset reads attachment 4's 答复意见 (the text) and 答复时间 (its time, which also closes the
row); any other layout names a ``reply`` column in its mapping file. The old system's units are not ours, so
the reply is written by the hotline centre, the unit that also answers on the call
(``workflow.actions.hotline_unit``: the root of the unit tree). Like every reply, the raw text is stored
and what the public reads of it passes the one redaction pipeline (``workflow.redaction``: the portal's
``redacted_for``, the open data's ``redact_public``).

The history of a replied row: ``submit`` at the receipt time, ``reply`` (received → replied) at the reply
time, then the bulk importer's ``imported`` (replied → closed) at the close time. Like the rest of an
import, these events are history and are not published: no reply notification goes out.
"""

from __future__ import annotations

from collections.abc import Sequence

from massline.workflow.actions import Actor, hotline_unit
from massline.workflow.audit import BulkAuditRow
from massline.workflow.models import Reply, Unit

from .prepare import Prepared
from .presets import ColumnPlan, MappingError


def reply_unit() -> Unit | None:
    """The unit an imported reply is written by: the hotline centre."""
    return hotline_unit(Actor.system("import"))


def check_ready(colplan: ColumnPlan) -> None:
    """Before anything is written: a file with a reply column needs a unit to reply for."""
    if colplan.positions.get("reply") and reply_unit() is None:
        column = ", ".join(colplan.names["reply"])
        raise MappingError(
            f"the file has replies ({column}) but there is no unit to write them: "
            "load the city's units first (massline city load DIR)"
        )


def state_before_close(row: Prepared) -> str:
    """The state a replied row is in between its reply and its closing (the ``imported`` event's start)."""
    return "replied" if row.reply and row.state == "closed" else "received"


def audit_rows(row: Prepared, request_id: int, actor_label: str) -> list[BulkAuditRow]:
    """The ``reply`` event of an imported row that has a reply (none otherwise)."""
    if not row.reply or row.replied_at is None:
        return []
    return [
        BulkAuditRow(
            request_id=request_id,
            actor_label=actor_label,
            action="reply",
            at=row.replied_at,
            from_state="received",
            to_state=state_before_close(row),
            note="",
            data={},
        )
    ]


def write_replies(rows: Sequence[Prepared], ids: Sequence[int]) -> int:
    """The replies of a batch, in the caller's transaction; returns how many were written."""
    replied = [(row, pk) for row, pk in zip(rows, ids, strict=True) if row.reply and row.replied_at]
    if not replied:
        return 0
    unit = reply_unit()
    if unit is None:  # check_ready refuses such a file before its first batch
        raise MappingError("there is no unit to write the imported replies: load the city's units first")
    Reply.objects.bulk_create(
        [
            Reply(
                request_id=pk,
                unit=unit,
                text=row.reply,
                created_at=row.replied_at or row.received_at,
                public_body=row.reply_public,
            )
            for row, pk in replied
        ],
        batch_size=1000,
    )
    return len(replied)
