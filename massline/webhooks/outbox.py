"""The webhook outbox: deliveries are written in the transaction of the change they announce, then relayed.

- ``write_deliveries`` (an in-transaction subscriber of the event hook) inserts one ``WebhookDelivery`` per
  active subscription that wants the event, keyed by the audit event and the subscription, with its body
  built now from public data only. A rolled-back change leaves no row; the same change never two.
- Misconduct reports (舉報) never reach a webhook, whatever the event; neither does a request without a
  public page (rejected, or held for a moderator) — the one disclosure rule decides.
- ``relay`` (an after-commit subscriber) hands the new rows to the ``massline.webhooks.deliver`` task; if
  the broker is down they wait for ``massline.webhooks.relay_due`` (beat, every minute).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from massline.core.workflow import REPORT_KIND
from massline.notify.compose import site_url
from massline.workflow import disclosure, events
from massline.workflow import outbox as shared
from massline.workflow.events import RequestEvent
from massline.workflow.excerpt import requester_names
from massline.workflow.models import Request
from massline.workflow.redaction import redact_public

from .models import WebhookDelivery, WebhookSubscription


def delivery_key(audit_id: int, subscription_id: int) -> str:
    return f"audit{audit_id}-sub{subscription_id}"


def _named(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def public_request(req: Request) -> dict[str, Any]:
    """What a webhook may say of a request: what its public page says, redacted the same way."""
    return {
        "reference": req.reference,
        "title": redact_public(req.title, requester_names(req)),
        "state": req.state,
        "kind": req.kind,
        "unit": _named(req.unit),
        "category": _named(req.category),
        "received_at": req.received_at.isoformat(),
        "public_url": site_url(reverse("portal:detail", args=[req.reference])),
    }


def payload(key: str, event: RequestEvent, req: Request) -> str:
    body = {"id": key, "event": event.action, "request": public_request(req), "at": event.at.isoformat()}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def write_deliveries(event: RequestEvent) -> None:
    if event.kind == REPORT_KIND:  # never, not even a reference or a time
        return
    subscriptions = [s for s in WebhookSubscription.objects.filter(active=True) if s.wants(event.action)]
    if not subscriptions:
        return
    req = Request.objects.select_related("unit", "category").get(pk=event.request_id)
    if req.kind == REPORT_KIND or not disclosure.has_public_page(req):
        return
    now = timezone.now()
    rows = []
    for sub in subscriptions:
        key = delivery_key(event.audit_id, sub.pk)
        rows.append(
            WebhookDelivery(
                key=key,
                subscription=sub,
                event=event.action,
                audit_id=event.audit_id,
                request=req,
                body=payload(key, event, req),
                created_at=now,
                next_attempt_at=now,
            )
        )
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)


def relay(event: RequestEvent) -> None:
    if event.kind != REPORT_KIND:
        enqueue(shared.pending_for(WebhookDelivery, event.audit_id))


def enqueue(ids: list[int]) -> None:
    from .tasks import deliver_webhook

    shared.enqueue(deliver_webhook, ids, "webhook delivery")


def due(now=None, stale_after: timedelta = timedelta(minutes=10)) -> list[int]:
    """Rows to send now: pending or retry rows that are due, and rows claimed by a worker that died."""
    return shared.due(WebhookDelivery, now, stale_after)


def connect() -> None:
    events.subscribe(write_deliveries, phase="atomic")
    events.subscribe(relay)
