"""Webhook subscriptions and their delivery log, for administrators' keys only (the console's Webhooks page).

Changes go through ``webhooks.actions``, which records each as a ConfigEvent in the console's change log. The
secret that signs the deliveries is in the answer to the creation only, never again (lists show an
8-character fingerprint, as the change log does)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from massline.console.actions import ConsoleActor, ConsoleError
from massline.webhooks import actions
from massline.webhooks.actions import EVENT_TYPES
from massline.webhooks.models import ALL_EVENTS, WebhookDelivery, WebhookSubscription

from . import schemas as s
from .auth import CLIENT_AUTH
from .errors import ApiError
from .rest import staff_user
from .rest_paging import PageParams, keyset_page, page_of

router = Router(tags=["webhooks"])


def administrator(request) -> ConsoleActor:
    try:
        return ConsoleActor.of(staff_user(request))
    except ConsoleError as exc:
        raise ApiError(403, "webhooks are for the admin role", "not_permitted") from exc


class WebhookOut(Schema):
    name: str
    url: str
    events: list[str] = Field(description=f"event types, or ['{ALL_EVENTS}'] for all")
    active: bool
    created_at: datetime
    secret_fingerprint: str = Field(description="the first 8 hex digits of the secret's SHA-256")


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="signs every delivery (HMAC-SHA256); shown in this answer only")


class WebhookPage(Schema):
    items: list[WebhookOut]
    next: str | None
    limit: int


class WebhookIn(Schema):
    name: str = Field(..., min_length=1, max_length=60, description="letters, digits, hyphens")
    url: str = Field(..., min_length=1, max_length=500, description="https:// or http://, no password in it")
    events: list[str] = Field(
        ..., min_length=1, max_length=len(EVENT_TYPES) + 1, description=f"of {', '.join(EVENT_TYPES)}, or *"
    )
    secret: str | None = Field(
        None, min_length=16, max_length=200, description="your own secret; one is made when it is left out"
    )


class DeliveryOut(Schema):
    id: int
    key: str = Field(description="the idempotency id the receiver sees (X-Massline-Delivery)")
    event: str
    request: str | None = Field(description="the request's reference")
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    response_code: int | None
    last_error: str


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next: str | None
    limit: int


class DeliveryFilters(PageParams):
    status: WebhookDelivery.Status | None = None


def _out(sub: WebhookSubscription) -> dict:
    return {
        "name": sub.name,
        "url": sub.url,
        "events": list(sub.events),
        "active": sub.active,
        "created_at": sub.created_at,
        "secret_fingerprint": hashlib.sha256(sub.secret.encode()).hexdigest()[:8],
    }


def _find(name: str) -> WebhookSubscription:
    sub = WebhookSubscription.objects.filter(name=name[:60]).first()
    if sub is None:
        raise ApiError(404, f"no webhook is named {name[:60]!r}", "not_found")
    return sub


@router.get("", auth=CLIENT_AUTH, response={200: WebhookPage, **s.KEYED_ERRORS}, summary="Webhooks (admin)")
def list_webhooks(request, page: Query[PageParams]):
    administrator(request)
    rows, after = keyset_page(WebhookSubscription.objects.all(), ("name", "id"), page, "webhooks")
    return page_of([_out(w) for w in rows], after, page)


@router.post(
    "",
    auth=CLIENT_AUTH,
    response={201: WebhookCreatedOut, **s.CHANGE_ERRORS},
    summary="Subscribe an address to events (admin)",
)
def create_webhook(request, body: WebhookIn):
    """The answer holds the secret, once: store it to verify each delivery's X-Massline-Signature. A name
    already in use is a 409."""
    actor = administrator(request)
    if WebhookSubscription.objects.filter(name=body.name).exists():
        raise ApiError(409, f"a webhook named {body.name!r} already exists", "conflict")
    try:
        sub, secret = actions.create_subscription(
            actor, name=body.name, url=body.url, events=body.events, secret=body.secret or ""
        )
    except ConsoleError as exc:
        field = f"{exc.field}: " if exc.field else ""
        raise ApiError(422, f"{field}{exc}", "invalid_request") from exc
    return Status(201, {**_out(sub), "secret": secret})


@router.get(
    "/{name}", auth=CLIENT_AUTH, response={200: WebhookOut, **s.STAFF_ERRORS}, summary="One webhook (admin)"
)
def get_webhook(request, name: str):
    administrator(request)
    return _out(_find(name))


@router.delete(
    "/{name}",
    auth=CLIENT_AUTH,
    response={204: None, **s.STAFF_ERRORS},
    summary="Delete a webhook and its delivery log (admin)",
)
def delete_webhook(request, name: str):
    actor = administrator(request)
    actions.delete_subscription(actor, _find(name))
    return Status(204, None)


@router.get(
    "/{name}/deliveries",
    auth=CLIENT_AUTH,
    response={200: DeliveryPage, **s.STAFF_ERRORS},
    summary="A webhook's delivery log, newest first (admin)",
)
def deliveries(request, name: str, filters: Query[DeliveryFilters]):
    """Each event sent (or to be sent) to the address: its status, attempts, the receiver's answer code and
    the last error."""
    administrator(request)
    sub = _find(name)
    qs = WebhookDelivery.objects.filter(subscription=sub).select_related("request")
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, after = keyset_page(qs, ("-created_at", "-id"), filters, f"deliveries:{sub.pk}")
    return page_of(
        [
            {
                "id": d.pk,
                "key": d.key,
                "event": d.event,
                "request": d.request.reference if d.request else None,
                "status": d.status,
                "attempts": d.attempts,
                "created_at": d.created_at,
                "next_attempt_at": d.next_attempt_at,
                "delivered_at": d.delivered_at,
                "response_code": d.response_code,
                "last_error": d.last_error,
            }
            for d in rows
        ],
        after,
        filters,
    )
