"""Deliveries are written in the transaction of the dispatch (or transfer) that hands a request to a unit
with an external Open311 endpoint, then handed to a worker after the commit.

- ``write_delivery`` (an in-transaction subscriber of the event hook) inserts one ``Delivery`` when the
  event hands the request to a unit with an active endpoint. A rolled-back dispatch leaves no row; the same
  hand-over never two (unique on the audit event and the endpoint).
- ``relay`` (an after-commit subscriber) hands the new row to the ``massline.open311out.send`` task; if the
  broker is down it waits for ``massline.open311out.send_due`` (beat, every minute).
- Misconduct reports (舉報) are never sent out: they are the discipline office's alone.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from massline.core.workflow import REPORT_KIND
from massline.workflow import events
from massline.workflow.events import RequestEvent

from .models import Delivery, Endpoint

log = logging.getLogger(__name__)

HANDOVERS = frozenset({"dispatch", "transfer"})


def write_delivery(event: RequestEvent) -> None:
    if event.action not in HANDOVERS or event.kind == REPORT_KIND or event.unit_id is None:
        return
    endpoint = Endpoint.objects.filter(unit_id=event.unit_id, active=True).first()
    if endpoint is None:
        return
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                request_id=event.request_id,
                audit_id=event.audit_id,
                created_at=now,
                next_attempt_at=now,
            )
        ],
        ignore_conflicts=True,
    )


def relay(event: RequestEvent) -> None:
    if event.action not in HANDOVERS or event.kind == REPORT_KIND:
        return
    ids = Delivery.objects.filter(audit_id=event.audit_id, state=Delivery.State.PENDING).values_list(
        "pk", flat=True
    )
    enqueue(list(ids))


def enqueue(ids: list[int]) -> None:
    from .tasks import send_delivery

    for pk in ids:
        try:
            send_delivery.delay(pk)
        except Exception as exc:  # broker down: the row waits for send_due
            log.warning("Open311 delivery %s stays in the outbox (%s); send_due will send it", pk, exc)
            return


def connect() -> None:
    events.subscribe(write_delivery, phase="atomic")
    events.subscribe(relay)
