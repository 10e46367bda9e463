"""Routing after the answer: a submission is stored and acknowledged, a worker routes it moments later.

An API submission (``api.actions.submit_via_api``) that defers writes, in its own transaction, the request
(with its redacted public text and search words, made once by ``Request.save``), the ``submit`` audit
event (so the receipt message, the webhooks and the rollups are written as ever) and a
:class:`~massline.intake.models.PendingRouting` row. After the commit it hands the request to the
``massline.intake.route`` task. The worker then classifies it (when no category was given), dispatches it
if that is safe (``actions.route_submitted``, the same rule as the inline path), sketches it for the
duplicate index, and deletes the pending row in the routing's own transaction.

Nothing is lost when the broker or the worker is down: the pending row stays until a routing commits, and
the ``massline.intake.route_due`` beat task routes every row older than a minute. Two workers never route
one request twice: each locks the pending row (SKIP LOCKED) and the second finds it gone.

Whether to defer: MASSLINE_INTAKE_DEFER ("auto", the default: when a broker is configured, i.e. tasks do
not run in-process; "1" always; "0" never). Without a broker nothing changes: routing runs in the request.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from massline.workflow.models import Request

from .models import PendingRouting

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)  # a pending row older than this is routed by the sweep


def deferred() -> bool:
    """Whether API submissions are routed by a worker (MASSLINE_INTAKE_DEFER, see the module)."""
    value = str(getattr(settings, "MASSLINE_INTAKE_DEFER", "auto")).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)


def defer(req: Request) -> None:
    """Inside the submission's transaction: record that ``req`` waits for routing, and hand it to the
    worker once the transaction commits."""
    PendingRouting.objects.create(request=req, created_at=req.received_at or timezone.now())
    req.routing_pending = True  # type: ignore[attr-defined]  # read by the receipt (georeport.service_notice)
    pk = req.pk
    transaction.on_commit(lambda: enqueue(pk))


def enqueue(request_id: int) -> None:
    from .tasks import route

    try:
        route.delay(request_id)
    except Exception as exc:  # noqa: BLE001 - the broker is down: the sweep routes it
        log.warning("request %s waits for routing (%s); route_due will route it", request_id, exc)


def route_pending(request_id: int) -> str:
    """Classify and route one pending request, then sketch it; its state after. A request no longer pending is
    left alone, and one a dispatcher already handled keeps the dispatcher's decision."""
    from massline.core.workflow import State

    from .actions import category_for_label, route_submitted
    from .routing import suggest

    with transaction.atomic():
        pending = PendingRouting.objects.select_for_update(skip_locked=True).filter(request_id=request_id)
        if not pending.exists():
            return "not pending"
        req = Request.objects.select_related("category").get(pk=request_id)
        if req.state == State.RECEIVED.value:  # a dispatcher may have been quicker
            suggestions = [] if req.category is not None else suggest(f"{req.title} {req.text}")
            suggested = category_for_label(suggestions[0].label) if suggestions else None
            if suggestions:
                req.suggested_category = suggested
                req.suggestion_confidence = suggestions[0].confidence
                Request.objects.filter(pk=req.pk).update(
                    suggested_category=suggested, suggestion_confidence=req.suggestion_confidence
                )
            route_submitted(req, req.category, suggestions, suggested, max(timezone.now(), req.received_at))
        pending.delete()
    _sketch(request_id)
    return req.state  # "received": it waits in the dispatcher queue


def _sketch(request_id: int) -> None:
    """The duplicate index's sketch (``workbench.duplicate_store``), which the inline path makes after the
    submission commits; a failure only means the queue sketches the request when it meets it."""
    from massline.workbench.duplicate_store import sketch

    try:
        sketch(request_id)
    except Exception:  # noqa: BLE001 - the queue sketches what is missing
        log.exception("could not sketch request %s for the duplicate index", request_id)


def due(now=None, limit: int = 500) -> list[int]:
    """Pending requests the worker has not routed within RETRY_AFTER (broker down, worker died)."""
    now = now or timezone.now()
    return list(
        PendingRouting.objects.filter(created_at__lte=now - RETRY_AFTER)
        .order_by("created_at", "request_id")
        .values_list("request_id", flat=True)[:limit]
    )


def route_due(now=None) -> int:
    routed = 0
    for request_id in due(now):
        try:
            route_pending(request_id)
            routed += 1
        except Exception:  # one broken request must not stop the others; it is tried again next time
            log.exception("could not route pending request %s", request_id)
    return routed
