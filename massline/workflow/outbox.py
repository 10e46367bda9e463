"""What the outboxes subscribed to the event hook share (``notify.Message``, ``webhooks.WebhookDelivery``).

An outbox row has a ``status`` (pending, sending, retry, ...), ``audit_id``, ``claimed_at`` and
``next_attempt_at``; a worker claims it (sending), then marks it sent, retry or failed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

log = logging.getLogger(__name__)

PENDING, SENDING, RETRY = "pending", "sending", "retry"


def pending_for(model: Any, audit_id: int) -> list[int]:
    """The rows written for one audit event that wait to be handed to a worker."""
    return list(model.objects.filter(audit_id=audit_id, status=PENDING).values_list("pk", flat=True))


def enqueue(task: Any, ids: list[int], what: str) -> None:
    """Hand rows to ``task``; if the broker is down, stop: the rows wait for the relay_due beat task."""
    for pk in ids:
        try:
            task.delay(pk)
        except Exception as exc:  # broker down: the row waits for relay_due
            log.warning("%s %s stays in the outbox (%s); relay_due will send it", what, pk, exc)
            return


def due(
    model: Any, now: datetime | None = None, stale_after: timedelta = timedelta(minutes=10), limit: int = 1000
) -> list[int]:
    """Rows to send now: pending or retry rows that are due, and rows claimed by a worker that died."""
    now = now or timezone.now()
    model.objects.filter(status=SENDING, claimed_at__lt=now - stale_after).update(
        status=RETRY, next_attempt_at=now
    )
    return list(
        model.objects.filter(status__in=[PENDING, RETRY], next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
