"""The API app's writers: API keys, and requests submitted by API clients."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from massline.core.workflow import Role
from massline.intake.actions import IntakeError, submit_request
from massline.intake.deferred import deferred
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
    idempotency_key: str = ""  # the client's Idempotency-Key header, if it sent one


def client_actor(key: ApiKey) -> Actor:
    """Submissions are the requester's; the audit label names the client program that relayed them."""
    return Actor(None, frozenset({Role.CITIZEN.value}), f"api:{key.name}"[:100])


MAX_IDEMPOTENCY_KEY = 100


def earlier_submission(key: ApiKey, idempotency_key: str) -> Request | None:
    """The request this client already made with ``idempotency_key``, if any."""
    if not idempotency_key:
        return None
    done = ApiSubmission.objects.filter(api_key=key, idempotency_key=idempotency_key).select_related(
        "request"
    )
    found = done.first()
    return found.request if found else None


def submit_via_api(key: ApiKey, extras: ApiExtras, *, category: Category | None = None, **fields) -> Request:
    """``submit_request(channel="api")`` plus a record of the client and the extras, in one transaction.

    With an idempotency key, a repeated submission returns the request made the first time (also when the
    two arrive at once: the unique constraint lets one through, the other finds it). Raises
    ``IntakeError`` (user-facing message) like ``submit_request``.
    """
    if len(extras.idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise IntakeError(f"the Idempotency-Key header is longer than {MAX_IDEMPOTENCY_KEY} characters")
    earlier = earlier_submission(key, extras.idempotency_key)
    if earlier is not None:
        return earlier
    try:
        return _submit(key, extras, category=category, **fields)
    except IntegrityError:
        earlier = earlier_submission(key, extras.idempotency_key)
        if earlier is None:
            raise
        return earlier


def _submit(key: ApiKey, extras: ApiExtras, *, category: Category | None = None, **fields) -> Request:
    # With a worker (a broker configured), the client is answered once the request is stored; routing
    # follows within moments (intake.deferred).
    with transaction.atomic():
        req = submit_request(
            channel="api", category=category, actor=client_actor(key), defer_routing=deferred(), **fields
        )
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
            idempotency_key=extras.idempotency_key,
        )
    return req
