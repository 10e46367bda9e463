"""Sending one delivery: claim it, POST the request as GeoReport v2 ``requests``, keep their id.

Like FixMyStreet's ``SendReport::Open311``: the request goes as a form POST with the endpoint's
``api_key``, ``jurisdiction_id`` and the ``service_code`` mapped from our category; the answer's
``service_request_id`` (or its ``token``) is kept to match the updates polled back later.

- A row is claimed with a conditional UPDATE (pending → sending), so two workers never send it twice; every
  attempt carries the same ``Idempotency-Key`` header, so a receiver that honours it (massline does) keeps
  one request when an answer was lost and the POST is repeated.
- Failures are retried with backoff (1, 5, 30, 120, 600 minutes), at most ``MAX_ATTEMPTS`` times; a refusal
  (4xx other than 408/429: a wrong key, an unknown service code) fails at once, since repeating it will not
  help. Failed rows wait on the staff queue (/staff/open311/) for a person to fix the cause and retry.
- Once the endpoint has the request, the unit has signed for it (簽收), through the action registry, as
  the endpoint's system actor.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from massline.api import georeport
from massline.core.workflow import AWAITING_SIGN, State, WorkflowError
from massline.workflow import registry
from massline.workflow.actions import ActionInput, Actor
from massline.workflow.excerpt import requester_names
from massline.workflow.models import Request

from .calls import CallFailed
from .models import Delivery, Endpoint

log = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 600)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
STALE_AFTER = timedelta(minutes=10)


class NotSendable(Exception):
    """The request cannot be sent as it is (no service code for its category): a person must fix it."""


def actor_for(endpoint: Endpoint) -> Actor:
    return Actor.system(f"open311:{endpoint.name}"[:100])


def _description(req: Request, endpoint: Endpoint) -> str:
    if not endpoint.send_personal_data:
        return georeport.public_description(req)  # redacted first, then cut, with a link when cut
    if len(req.text) <= georeport.MAX_DESCRIPTION:
        return req.text
    link = "\n" + georeport.full_text_url(req)
    return req.text[: georeport.MAX_DESCRIPTION - len(link) - 1] + "…" + link


def form_fields(req: Request, endpoint: Endpoint) -> dict[str, str]:
    """The POST requests.json form for ``req`` (GeoReport v2, plus attributes a massline receiver reads)."""
    code = endpoint.service_code_for(req.category.code if req.category else None)
    if not code:
        category = req.category.code if req.category else "(not classified)"
        raise NotSendable(f"no service_code for category {category} in endpoint {endpoint.name}'s mapping")
    fields = {
        "service_code": code,
        "description": _description(req, endpoint),
        "attribute[title]": req.title[:200],
        "attribute[massline_reference]": req.reference or "",
    }
    if req.kind in georeport.OPEN311_KINDS:
        fields["attribute[kind]"] = req.kind
    if endpoint.api_key:
        fields["api_key"] = endpoint.api_key
    if endpoint.jurisdiction_id:
        fields["jurisdiction_id"] = endpoint.jurisdiction_id
    if req.lat is not None and req.lon is not None:
        fields["lat"], fields["long"] = f"{req.lat:.6f}", f"{req.lon:.6f}"
    names = requester_names(req)
    address = req.address if endpoint.send_personal_data else georeport.public_address(req.address, names)
    if address or "lat" not in fields:  # the spec wants a place: a point, or an address
        fields["address_string"] = (address or "-")[:300]
    if endpoint.send_personal_data and not req.anonymous:
        if req.contact_name:
            fields["first_name"] = req.contact_name[:50]
        if req.contact_phone:
            fields["phone"] = req.contact_phone[:40]
        if req.contact_email:
            fields["email"] = req.contact_email
    return fields


def _their_ids(body: bytes, content_type: str) -> tuple[str, str]:
    """(service_request_id, token) from a POST answer in JSON or XML."""
    text = body.decode("utf-8", "replace").strip()
    if "json" in content_type or text[:1] in "[{":
        data = json.loads(text)
        item = data[0] if isinstance(data, list) and data else data
        if not isinstance(item, dict):
            raise ValueError("the answer holds no service request")
        return str(item.get("service_request_id") or ""), str(item.get("token") or "")
    import xml.etree.ElementTree as ET

    item = ET.fromstring(text).find("request")  # noqa: S314 - ElementTree expands no external entities
    if item is None:
        raise ValueError("the answer holds no <request>")
    return (item.findtext("service_request_id") or "").strip(), (item.findtext("token") or "").strip()


def post(delivery: Delivery) -> tuple[str, str]:
    """POST the request; their (service_request_id, token). Raises CallFailed, NotSendable, ValueError."""
    from . import calls

    endpoint, req = delivery.endpoint, delivery.request
    fields = form_fields(req, endpoint)
    body, kind = calls.call(
        "POST", endpoint.url("requests"), fields, {"Idempotency-Key": f"ml-{delivery.pk}"}
    )
    external_id, token = _their_ids(body, kind)
    if not (external_id or token):
        raise ValueError("the answer has neither a service_request_id nor a token")
    return external_id, token


def due(now=None) -> list[int]:
    """Rows to send now: pending ones that are due, and rows claimed by a worker that died."""
    now = now or timezone.now()
    Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - STALE_AFTER).update(
        state=Delivery.State.PENDING, next_attempt_at=now
    )
    return list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now, endpoint__active=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:1000]
    )


def send(pk: int, now=None) -> str:
    """Send delivery ``pk`` if it is still to be sent; returns its state afterwards."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING).update(
        state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    row = Delivery.objects.select_related("endpoint", "request__category", "request__unit").get(pk=pk)
    if not claimed:
        return row.state
    try:
        external_id, token = post(row)
    except (CallFailed, NotSendable, ValueError) as exc:
        give_up = (
            isinstance(exc, NotSendable) or getattr(exc, "refused", False) or row.attempts >= MAX_ATTEMPTS
        )
        wait = timedelta(minutes=BACKOFF_MINUTES[min(row.attempts, len(BACKOFF_MINUTES)) - 1])
        state = Delivery.State.FAILED if give_up else Delivery.State.PENDING
        Delivery.objects.filter(pk=pk).update(
            state=state, next_attempt_at=now + wait, last_error=str(exc)[:2000]
        )
        log.warning("Open311 delivery %s to %s: %s (%s)", pk, row.endpoint.name, exc, state)
        return state
    Delivery.objects.filter(pk=pk).update(
        state=Delivery.State.SENT,
        sent_at=timezone.now(),
        external_id=external_id[:100],
        token=token[:100],
        last_error="",
    )
    sign_for(row.request, row.endpoint, external_id or token)
    return Delivery.State.SENT


def sign_for(req: Request, endpoint: Endpoint, their_id: str) -> None:
    """The endpoint took the request: its unit has signed for it (簽收), if it is still waiting for that."""
    req.refresh_from_db()
    if req.unit_id != endpoint.unit_id or State(req.state) not in AWAITING_SIGN:
        return
    note = f"{endpoint.name}: {their_id}"
    try:
        registry.perform(
            "sign", req, actor_for(endpoint), ActionInput(note=note, expected_version=req.version)
        )
    except WorkflowError as exc:  # changed meanwhile: the unit's queue shows it to a person
        log.warning(
            "Open311 %s: could not sign %s for %s: %s", endpoint.name, req.reference, endpoint.name, exc
        )
