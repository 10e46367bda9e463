"""Reading updates back: GET each endpoint's ``servicerequestupdates`` (mySociety's extension, as
FixMyStreet's ``Open311::GetServiceRequestUpdates`` does) and record each new one on the request's timeline.

- One call per endpoint covers every request it still works on: from the oldest last poll (or send) of
  its open deliveries, less a margin, to now; a full page (1,000 updates) is followed by the next one.
- An update is recorded once (its ``update_id``): a ``ReceivedUpdate`` row and an ``external_update`` audit
  event, written together, with the update's text as the event's note (staff see it; the public timeline
  says only that the unit's system sent news, and its status).
- When the endpoint reports the request ``fixed`` or ``closed``, our request follows through the action
  registry, as the unit's reply (答復) with the update's text: signed first if it was not yet. Our own
  follow-up (回訪) with the requester then runs as for any reply. Other statuses are recorded only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from massline.api import georeport
from massline.core.workflow import AWAITING_REPLY, AWAITING_SIGN, TERMINAL, State, WorkflowError
from massline.workflow import registry
from massline.workflow.actions import ActionInput
from massline.workflow.audit import ExternalUpdateData, write_audit
from massline.workflow.models import Request

from . import calls
from .models import Delivery, Endpoint, ReceivedUpdate
from .sending import actor_for

log = logging.getLogger(__name__)

CLOSING = frozenset({"fixed", "closed"})  # the work is done on their side: our unit's reply follows
MARGIN = timedelta(minutes=10)  # clocks differ, and an update may be written just before a poll
LONGEST = timedelta(days=89)  # the window a GeoReport server accepts (massline: 90 days)
PAGE = 1000
MAX_PAGES = 20


@dataclass
class PollResult:
    endpoint: str
    requests: int = 0  # deliveries polled for
    fetched: int = 0  # updates read, ours or not
    new: int = 0  # updates recorded now
    error: str = ""


def open_deliveries(endpoint: Endpoint):
    ended = [s.value for s in TERMINAL]
    return Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.SENT).exclude(
        request__state__in=ended
    )


def _key_params(endpoint: Endpoint) -> dict[str, str]:
    params = {"api_key": endpoint.api_key} if endpoint.api_key else {}
    if endpoint.jurisdiction_id:
        params["jurisdiction_id"] = endpoint.jurisdiction_id
    return params


def _resolve_tokens(endpoint: Endpoint, deliveries: list[Delivery]) -> None:
    """Servers that answer a POST with a token only tell the service_request_id later (GET tokens/…)."""
    for d in deliveries:
        if d.external_id or not d.token:
            continue
        try:
            body, kind = calls.call("GET", endpoint.url(f"tokens/{d.token}"), _key_params(endpoint))
            ids = [u.get("service_request_id", "") for u in georeport.read_updates(body, kind)]
        except (calls.CallFailed, ValueError) as exc:
            log.info("Open311 %s: token %s not resolved yet: %s", endpoint.name, d.token, exc)
            continue
        if ids and ids[0]:
            d.external_id = ids[0][:100]
            Delivery.objects.filter(pk=d.pk).update(external_id=d.external_id)


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def poll_endpoint(endpoint: Endpoint, now: datetime | None = None) -> PollResult:
    now = now or timezone.now()
    result = PollResult(endpoint.name)
    deliveries = list(open_deliveries(endpoint).select_related("request"))
    _resolve_tokens(endpoint, deliveries)
    by_id = {d.external_id: d for d in deliveries if d.external_id}
    result.requests = len(by_id)
    if not by_id:
        return result
    start = min((d.last_polled_at or d.sent_at or d.created_at) for d in by_id.values()) - MARGIN
    start = max(start, now - LONGEST)
    for _page in range(MAX_PAGES):
        params = {
            **_key_params(endpoint),
            "start_date": georeport.w3(start) or "",
            # W3C times have whole seconds: round the end up, or an update written earlier in this
            # second falls outside the window (records are kept once by update_id, so overlap is harmless)
            "end_date": georeport.w3(now + timedelta(seconds=1)) or "",
        }
        try:
            body, kind = calls.call("GET", endpoint.url("servicerequestupdates"), params)
            updates = georeport.read_updates(body, kind)
        except (calls.CallFailed, ValueError) as exc:
            result.error = str(exc)[:500]
            log.warning("Open311 %s: polling failed: %s", endpoint.name, exc)
            return result  # last_polled_at stays: the next poll asks for the same window again
        result.fetched += len(updates)
        for update in updates:
            delivery = by_id.get(update.get("service_request_id", "").strip())
            if delivery is not None and record(delivery, update, now):
                result.new += 1
        last = _parse_time(updates[-1].get("updated_datetime", "")) if updates else None
        if len(updates) < PAGE or last is None or last <= start:
            break
        start = last
    Delivery.objects.filter(pk__in=[d.pk for d in by_id.values()]).update(last_polled_at=now)
    return result


def poll_all(now: datetime | None = None) -> list[PollResult]:
    return [poll_endpoint(e, now) for e in Endpoint.objects.filter(active=True)]


def record(delivery: Delivery, update: dict[str, str], now: datetime) -> bool:
    """Record ``update`` once; make the request follow a closing one. True when it was new."""
    update_id = (update.get("update_id") or "").strip()[:100]
    if not update_id or ReceivedUpdate.objects.filter(delivery=delivery, update_id=update_id).exists():
        return False
    endpoint = delivery.endpoint
    status = (update.get("status") or "").strip().lower().replace(" ", "_")[:40]
    code = (update.get("external_status_code") or "").strip()[:60]
    description = (update.get("description") or "").strip()[: georeport.MAX_DESCRIPTION]
    req = Request.objects.get(pk=delivery.request_id)
    payload: ExternalUpdateData = {
        "endpoint": endpoint.name,
        "external_id": delivery.external_id,
        "update_id": update_id,
        "status": status,
    }
    if code:
        payload["external_status_code"] = code
    try:
        with transaction.atomic():
            row = ReceivedUpdate.objects.create(
                delivery=delivery,
                update_id=update_id,
                status=status,
                external_status_code=code,
                updated_datetime=(update.get("updated_datetime") or "")[:40],
                description=description,
                received_at=now,
            )
            event = write_audit(
                req, actor_for(endpoint), "external_update", now, req.state, req.state, description, payload
            )
            ReceivedUpdate.objects.filter(pk=row.pk).update(audit_id=event.pk)
    except IntegrityError:  # recorded by a poll running at the same time
        return False
    if status in CLOSING:
        follow(req, endpoint, description, status)
    return True


def follow(req: Request, endpoint: Endpoint, description: str, status: str) -> None:
    """Their work is done: our unit replies with their words (signing first when it had not yet)."""
    req.refresh_from_db()
    if req.unit_id != endpoint.unit_id:
        return  # transferred away meanwhile: no longer theirs to answer
    actor = actor_for(endpoint)
    try:
        if State(req.state) in AWAITING_SIGN:
            registry.perform(
                "sign", req, actor, ActionInput(note=endpoint.name, expected_version=req.version)
            )
        if State(req.state) in AWAITING_REPLY:
            with translation.override(settings.LANGUAGE_CODE):
                text = description or gettext("Done by %(system)s (%(status)s).") % {
                    "system": endpoint.name,
                    "status": status,
                }
            registry.perform("reply", req, actor, ActionInput(text=text, expected_version=req.version))
    except WorkflowError as exc:  # changed meanwhile; the update is on the timeline for a person to act on
        log.warning("Open311 %s: %s did not follow the update: %s", endpoint.name, req.reference, exc)
