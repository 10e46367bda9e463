"""The rows of the open-data tables, built from what the public may see and nothing else.

Requests are those of ``workflow.disclosure.listed()``; their title, text, address and replies pass the
one redaction pipeline with the requester's own name, phone and e-mail hidden too; map points are
rounded to about 100 m. The timeline gives the dates of each step and the unit it names: never the staff
member who acted, never a note. Masks are written in English ("[phone number removed]"), whatever the
language of the server, so that the dump does not change with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from massline.core.workflow import TERMINAL
from massline.workflow import disclosure
from massline.workflow.excerpt import requester_names
from massline.workflow.models import AuditEvent, Category, Reply, Request, Unit
from massline.workflow.redaction import public_address, public_point, redact_public

CLOSED = {s.value for s in TERMINAL}
# Holding a request for review is the office's business, not a step of the request (portal.timeline).
HIDDEN_STEPS = frozenset({"release", "keep_hidden"})
CHUNK = 1000


def iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def public_requests(queryset: QuerySet[Request] | None = None) -> QuerySet[Request]:
    return disclosure.listed(queryset).select_related("category", "unit").order_by("received_at", "pk")


def _replies_of(ids: list[int]) -> dict[int, list[Reply]]:
    out: dict[int, list[Reply]] = defaultdict(list)
    for reply in Reply.objects.filter(request_id__in=ids).order_by("created_at", "id"):
        out[reply.request_id].append(reply)
    return out


def _events_of(ids: list[int]) -> dict[int, list[AuditEvent]]:
    out: dict[int, list[AuditEvent]] = defaultdict(list)
    events = (
        AuditEvent.objects.filter(request_id__in=ids)
        .exclude(action__in=HIDDEN_STEPS)
        .only("request_id", "at", "action", "from_state", "to_state", "data")
        .order_by("at", "id")
    )
    for event in events:
        out[event.request_id].append(event)
    return out


def _chunks(qs: QuerySet[Request]) -> Iterator[list[Request]]:
    """The requests in lists of ``CHUNK``, so that replies and steps are read once per list, not per request."""
    batch: list[Request] = []
    for req in qs.iterator(chunk_size=CHUNK):
        batch.append(req)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def records(queryset: QuerySet[Request] | None = None) -> Iterator[dict]:
    """Every public request as one JSON-ready record, its replies and timeline nested in it."""
    units = {u.pk: u for u in Unit.objects.all()}
    for batch in _chunks(public_requests(queryset)):
        ids = [r.pk for r in batch]
        replies, events = _replies_of(ids), _events_of(ids)
        for req in batch:
            yield record(req, replies.get(req.pk, []), events.get(req.pk, []), units)


def record(req: Request, replies: list[Reply], events: list[AuditEvent], units: dict[int, Unit]) -> dict:
    names = requester_names(req)
    lat, lon = public_point(req.lat, req.lon)
    public_replies = [
        {
            "number": n,
            "replied_at": iso(reply.created_at),
            "unit_code": units[reply.unit_id].code if reply.unit_id in units else "",
            "unit": units[reply.unit_id].name if reply.unit_id in units else "",
            "text": redact_public(reply.text, names),
        }
        for n, reply in enumerate(replies, start=1)
    ]
    return {
        "reference": req.reference,
        "kind": req.kind,
        "state": req.state,
        "status": "closed" if req.state in CLOSED else "open",
        "category_code": req.category.code if req.category else "",
        "category": req.category.name if req.category else "",
        "unit_code": req.unit.code if req.unit else "",
        "unit": req.unit.name if req.unit else "",
        "received_at": iso(req.received_at),
        "closed_at": iso(req.closed_at),
        "address": public_address(req.address, names) if req.address else "",
        "lat": lat,
        "lon": lon,
        "title": redact_public(req.title, names),
        "text": redact_public(req.text, names),
        "reply": public_replies[-1]["text"] if public_replies else "",
        "reply_count": len(public_replies),
        "replies": public_replies,
        "timeline": [
            {
                "number": n,
                "at": iso(event.at),
                "step": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "unit_code": str((event.data or {}).get("unit") or ""),
            }
            for n, event in enumerate(events, start=1)
        ],
    }


def category_rows() -> Iterator[dict]:
    qs = Category.objects.select_related("parent", "default_unit").order_by("level", "code")
    for c in qs:
        yield {
            "code": c.code,
            "name": c.name,
            "parent_code": c.parent.code if c.parent else "",
            "level": c.level,
            "default_unit_code": c.default_unit.code if c.default_unit else "",
        }


def unit_rows() -> Iterator[dict]:
    for u in Unit.objects.select_related("parent").order_by("path"):
        yield {
            "code": u.code,
            "name": u.name,
            "parent_code": u.parent.code if u.parent else "",
            "area": u.area,
        }
