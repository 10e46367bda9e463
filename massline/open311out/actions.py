"""The only writers of endpoints and of a delivery's retry. Configuration changes are recorded in the
console's change log (ConfigEvent "open311.endpoint"), the API key only as a fingerprint."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.console.actions import ConsoleActor, ConsoleError, _record
from massline.workflow.models import Unit

from .models import DEFAULT_SERVICE, Delivery, Endpoint


class Open311OutError(ConsoleError):
    pass


def _snapshot(e: Endpoint | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "unit": e.unit.code,
        "base_url": e.base_url,
        "api_key": hashlib.sha256(e.api_key.encode()).hexdigest()[:8] if e.api_key else "",
        "jurisdiction_id": e.jurisdiction_id,
        "service_codes": e.service_codes,
        "format": e.format,
        "send_personal_data": e.send_personal_data,
        "active": e.active,
    }


def parse_codes(pairs: list[str]) -> dict[str, str]:
    """``["c1-001=water-leak", "*=general"]`` → a mapping (our category code → their service code)."""
    codes: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise Open311OutError(
                _("Write each service code as OUR_CATEGORY=THEIR_CODE, or *=THEIR_CODE for the rest.")
            )
        codes[ours.strip()] = theirs.strip()
    return codes


@transaction.atomic
def save_endpoint(
    actor: ConsoleActor,
    *,
    name: str,
    unit: str,
    base_url: str,
    api_key: str = "",
    jurisdiction_id: str = "",
    service_codes: dict[str, str] | None = None,
    fmt: str = "json",
    send_personal_data: bool = False,
    active: bool = True,
) -> Endpoint:
    """Create or change the endpoint called ``name``."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Open311OutError(_("An endpoint address starts with https:// or http:// and names a host."))
    target = Unit.objects.filter(code=unit.strip()).first()
    if target is None:
        raise Open311OutError(_("There is no unit with the code %(code)s.") % {"code": unit})
    if fmt not in Endpoint.Format.values:
        raise Open311OutError(_("The format is json or xml."))
    codes = service_codes or {}
    if not codes:
        raise Open311OutError(_("Give at least one service code (*=THEIR_CODE for every category)."))
    endpoint = Endpoint.objects.filter(name=name).select_related("unit").first()
    taken = Endpoint.objects.filter(unit=target).exclude(name=name).first()
    if taken is not None:
        raise Open311OutError(_("That unit already sends to the endpoint %(name)s.") % {"name": taken.name})
    before = _snapshot(endpoint)
    endpoint = endpoint or Endpoint(name=name)
    endpoint.unit, endpoint.base_url = target, base_url.strip()
    endpoint.api_key, endpoint.jurisdiction_id = api_key.strip(), jurisdiction_id.strip()
    endpoint.service_codes, endpoint.format = codes, fmt
    endpoint.send_personal_data, endpoint.active = send_personal_data, active
    endpoint.full_clean()
    endpoint.save()
    _record(actor, "open311.endpoint", "open311_endpoint", name, before, _snapshot(endpoint))
    return endpoint


@transaction.atomic
def remove_endpoint(actor: ConsoleActor, endpoint: Endpoint) -> None:
    _record(actor, "open311.endpoint", "open311_endpoint", endpoint.name, _snapshot(endpoint), None)
    endpoint.delete()


def retry(delivery: Delivery) -> bool:
    """Send a failed (or waiting) delivery again now, with a fresh round of attempts. False when it was
    already sent or is being sent."""
    waiting = [Delivery.State.FAILED, Delivery.State.PENDING]
    changed = Delivery.objects.filter(pk=delivery.pk, state__in=waiting).update(
        state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if changed:
        from .outbox import enqueue

        transaction.on_commit(lambda: enqueue([delivery.pk]))
    return bool(changed)


__all__ = ["DEFAULT_SERVICE", "Open311OutError", "parse_codes", "remove_endpoint", "retry", "save_endpoint"]
