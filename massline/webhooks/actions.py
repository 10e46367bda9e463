"""The only writers of webhook subscriptions. Administrators only; every change is a ConfigEvent
("webhook.create", "webhook.update", "webhook.delete") in the console's change log, the secret never in it
(only an 8-character fingerprint, so that a new secret shows as a change)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from massline.console.actions import ConsoleActor, ConsoleError, _record
from massline.core.workflow import TRANSITIONS

from .models import ALL_EVENTS, WebhookSubscription

# What a webhook can announce: intake, every workflow action other kinds than misconduct reports take, and
# supervisions (督辦). Report actions are not even offered: reports never reach a webhook.
EVENT_TYPES: tuple[str, ...] = (
    "submit",
    *(t.action for t in TRANSITIONS if not t.for_reports),
    "supervise",
    "supervision_resolved",
)


class WebhookError(ConsoleError):
    pass


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(_("A webhook address starts with https:// or http:// and names a host."), "url")
    if parts.username or parts.password:
        raise WebhookError(_("Put no password in the address: every delivery is signed instead."), "url")
    if len(url) > 500:
        raise WebhookError(_("A webhook address has at most 500 characters."), "url")
    return url


def check_events(events: list[str] | tuple[str, ...] | str) -> list[str]:
    if isinstance(events, str):
        events = [e for e in events.replace(" ", ",").split(",")]
    chosen = sorted({e.strip() for e in events if e and e.strip()})
    if not chosen:
        raise WebhookError(_("Choose at least one event."), "events")
    unknown = [e for e in chosen if e != ALL_EVENTS and e not in EVENT_TYPES]
    if unknown:
        raise WebhookError(
            _("Unknown event %(events)s; choose among %(known)s, or * for all.")
            % {"events": ", ".join(unknown), "known": ", ".join(EVENT_TYPES)},
            "events",
        )
    return [ALL_EVENTS] if ALL_EVENTS in chosen else chosen


def check_name(name: str) -> str:
    slug = slugify(name or "")
    if not slug or len(slug) > 60:
        raise WebhookError(_("Give the webhook a short name (letters, digits, hyphens)."), "name")
    return slug


def snapshot(sub: WebhookSubscription) -> dict[str, Any]:
    return {
        "name": sub.name,
        "url": sub.url,
        "events": list(sub.events),
        "active": sub.active,
        "secret": hashlib.sha256(sub.secret.encode()).hexdigest()[:8],
    }


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def create_subscription(
    actor: ConsoleActor, *, name: str, url: str, events, secret: str = ""
) -> tuple[WebhookSubscription, str]:
    """A new active subscription; returns it with its secret (shown to the administrator once)."""
    name, url, chosen = check_name(name), check_url(url), check_events(events)
    secret = (secret or "").strip() or new_secret()
    if len(secret) < 16:
        raise WebhookError(_("A webhook secret has at least 16 characters."), "secret")
    with transaction.atomic():
        if WebhookSubscription.objects.filter(name=name).exists():
            raise WebhookError(_("A webhook named %(name)s already exists.") % {"name": name}, "name")
        sub = WebhookSubscription.objects.create(
            name=name, url=url, secret=secret, events=chosen, active=True, created_at=timezone.now()
        )
        _record(actor, "webhook.create", "webhook", name, None, snapshot(sub))
    return sub, secret


def update_subscription(
    actor: ConsoleActor,
    sub: WebhookSubscription,
    *,
    url: str | None = None,
    events=None,
    active: bool | None = None,
    rotate_secret: bool = False,
) -> str | None:
    """Change what is given; returns the new secret when one was made."""
    with transaction.atomic():
        sub = WebhookSubscription.objects.select_for_update().get(pk=sub.pk)
        before = snapshot(sub)
        if url is not None:
            sub.url = check_url(url)
        if events is not None:
            sub.events = check_events(events)
        if active is not None:
            sub.active = bool(active)
        secret = new_secret() if rotate_secret else None
        if secret:
            sub.secret = secret
        sub.save()
        _record(actor, "webhook.update", "webhook", sub.name, before, snapshot(sub))
    return secret


def delete_subscription(actor: ConsoleActor, sub: WebhookSubscription) -> None:
    """Remove a subscription and its delivery log (switch it off instead to keep the log)."""
    with transaction.atomic():
        before = snapshot(sub)
        WebhookSubscription.objects.filter(pk=sub.pk).delete()
        _record(actor, "webhook.delete", "webhook", sub.name, before, None)


def find(name: str) -> WebhookSubscription:
    sub = WebhookSubscription.objects.filter(name=name).first()
    if sub is None:
        raise WebhookError(_("There is no webhook named %(name)s.") % {"name": name}, "name")
    return sub
