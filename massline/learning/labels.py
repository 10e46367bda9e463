"""Training labels from decisions: every dispatch, transfer and return, and each request's final
category and unit, become :class:`RoutingExample` rows, written in the same transaction as the change
(an ``atomic`` subscriber of the workflow event hook), or afterwards by :func:`backfill`.

The auto-router's own dispatches are not labels: a model must not learn from itself. They count once
a person confirms them (the request is closed with that category: a ``final`` example)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from massline.workflow.events import RequestEvent
from massline.workflow.models import AuditEvent, Category, Request, Unit

from .models import RoutingExample

AUTO_ROUTER = "auto-routing"
# how much each kind of decision counts in training: a closed request's category was confirmed by the
# whole loop (the unit acted, the requester answered), a dispatch by one person
WEIGHTS = {"dispatch": 1.0, "transfer": 1.0, "final": 2.0, "return": 0.0}


def _source(action: str, to_state: str, actor_label: str) -> str | None:
    if to_state == "closed" and action != "merge":
        return "final"
    if action == "dispatch":
        return None if actor_label == AUTO_ROUTER else "dispatch"
    if action in ("transfer", "return"):
        return action
    return None


def _text(title: str, text: str) -> str:
    return f"{title}\n{text}".strip()


def record_decision(event: RequestEvent) -> None:
    """The event-hook subscriber: one example per labelling decision (misconduct reports never)."""
    source = _source(event.action, event.to_state, event.actor_label)
    if source is None or event.kind == "report" or not event.audit_id:
        return
    req = Request.objects.only("title", "text", "category_id", "unit_id").get(pk=event.request_id)
    unit_id = req.unit_id
    if source == "return":
        code = event.data.get("unit")
        unit_id = Unit.objects.filter(code=code).values_list("pk", flat=True).first() if code else None
    RoutingExample.objects.create(
        request_id=req.pk,
        text=_text(req.title, req.text),
        category_id=req.category_id,
        unit_id=unit_id,
        source=source,
        negative=source == "return",
        at=event.at,
        weight=WEIGHTS[source],
        audit_id=event.audit_id,
    )


def backfill(*, since: datetime | None = None) -> int:
    """Write the examples the audit trail holds and the table does not (idempotent); returns how many.

    A request's category at each event is replayed from its dispatches, so a transfer or a close
    carries the category the request had then."""
    known = set(RoutingExample.objects.values_list("audit_id", flat=True))
    categories = dict(Category.objects.values_list("code", "pk"))
    units = dict(Unit.objects.values_list("code", "pk"))
    events = AuditEvent.objects.exclude(request__kind="report").order_by("request_id", "at", "id")
    if since is not None:
        events = events.filter(at__gte=since)
    rows = events.values_list("pk", "request_id", "action", "to_state", "actor_label", "at", "data")
    texts: dict[int, str] = {}
    current: dict[int, tuple[int | None, int | None]] = {}  # request → (category, unit) as replayed
    new: list[RoutingExample] = []
    for pk, request_id, action, to_state, actor_label, at, data in rows.iterator(chunk_size=5000):
        data = data or {}
        category, unit = current.get(request_id, (None, None))
        if action == "dispatch":
            category = categories.get(data.get("category") or "", category)
            unit = units.get(data.get("unit") or "", unit)
        elif action == "transfer":
            unit = units.get(data.get("unit") or "", unit)
        current[request_id] = (category, unit)
        source = _source(action, to_state, actor_label)
        if source is None or pk in known:
            continue
        if request_id not in texts:
            title, text = Request.objects.filter(pk=request_id).values_list("title", "text").get()
            texts[request_id] = _text(title, text)
        new.append(
            RoutingExample(
                request_id=request_id,
                text=texts[request_id],
                category_id=category,
                unit_id=units.get(data.get("unit") or "", unit) if source == "return" else unit,
                source=source,
                negative=source == "return",
                at=at,
                weight=WEIGHTS[source],
                audit_id=pk,
            )
        )
    with transaction.atomic():
        RoutingExample.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return len(new)
