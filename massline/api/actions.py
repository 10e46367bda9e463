"""The API app's writers: API keys, and requests submitted by API clients."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from massline.core.workflow import Role
from massline.intake.actions import submit_request
from massline.workflow.actions import Actor
from massline.workflow.models import Category, Request

from .auth import KEY_PREFIX, hash_key, new_raw_key
from .models import ApiKey, ApiSubmission


class ApiKeyError(ValueError):
    pass


def create_api_key(name: str, user=None, rate_limit: int = 0) -> tuple[ApiKey, str]:
    """Create a key; return it with the raw key, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ApiKeyError("give the key a name, e.g. the client program that will use it")
    if ApiKey.objects.filter(name=name).exists():
        raise ApiKeyError(f"a key named {name!r} already exists; revoke it or choose another name")
    raw = new_raw_key()
    key = ApiKey.objects.create(
        name=name,
        prefix=raw[: len(KEY_PREFIX) + 6],
        key_hash=hash_key(raw),
        user=user,
        rate_limit=rate_limit,
        created_at=timezone.now(),
    )
    return key, raw


def revoke_api_key(key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(revoked_at=key.revoked_at)
    return key


@dataclass
class ApiExtras:
    """What an API client sends beyond our request fields (Open311 media_url, device_id, …)."""

    protocol: str
    service_code: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    attributes: dict = field(default_factory=dict)


def client_actor(key: ApiKey) -> Actor:
    """Submissions are the requester's; the audit label names the client program that relayed them."""
    return Actor(None, frozenset({Role.CITIZEN.value}), f"api:{key.name}"[:100])


def submit_via_api(key: ApiKey, extras: ApiExtras, *, category: Category | None = None, **fields) -> Request:
    """``submit_request(channel="api")`` plus a record of the client and the extras, in one transaction.

    Raises ``IntakeError`` (user-facing message) like ``submit_request``.
    """
    with transaction.atomic():
        req = submit_request(channel="api", category=category, actor=client_actor(key), **fields)
        ApiSubmission.objects.create(
            request=req,
            api_key=key,
            protocol=extras.protocol,
            service_code=extras.service_code[:40],
            media_url=extras.media_url,
            device_id=extras.device_id[:100],
            account_id=extras.account_id[:100],
            attributes=extras.attributes,
            created_at=req.received_at,
        )
    return req
