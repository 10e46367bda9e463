"""API keys, the per-client rate limit and the request-size limit.

Keys: ``ml_`` + 32 random bytes (url-safe base64). Only ``sha256(key)`` is stored, so a leaked
database does not leak usable keys; a key has far too much entropy to need a slow hash.

Rate limit: a fixed one-minute window, started by the first call, counted in Django's cache by the
security throttles' counter (``massline.security.throttle.count``), per key for keyed calls and per
client address (``massline.security.client.client_ip``) for anonymous ones. With the default
local-memory cache each server process counts on its own; configure a shared cache (Redis,
Memcached) to enforce one limit across processes.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer
from ninja.throttling import BaseThrottle

from massline.security.client import client_ip
from massline.security.throttle import Rate, count

from .models import ApiKey

KEY_PREFIX = "ml_"
LAST_USED_RESOLUTION = timedelta(minutes=5)  # how stale ApiKey.last_used_at may be (spares a write per call)


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def rate_limit_per_minute() -> int:
    return setting("MASSLINE_API_RATE_LIMIT", 120)


def anonymous_rate_limit_per_minute() -> int:
    return setting("MASSLINE_API_ANON_RATE_LIMIT", 60)


# The body limit fits the longest request any channel accepts (intake's MAX_TEXT of 20,000 characters)
# however a client encodes it: JSON with ensure_ascii writes a character outside the BMP as a
# 12-byte surrogate pair ("\\ud83d\\ude00"), so 20,000 of them are 240,000 bytes, and the title,
# address and contact fields add at most about 11,000 more.
DEFAULT_MAX_BODY_BYTES = 256 * 1024


def max_body_bytes() -> int:
    return setting("MASSLINE_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_raw_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def authenticate_key(raw: str | None) -> ApiKey | None:
    """The active key matching ``raw``, or None. Marks the key as used (at most every few minutes)."""
    raw = (raw or "").strip()
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    key = ApiKey.objects.select_related("user").filter(key_hash=hash_key(raw), revoked_at=None).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


# --- rate limit --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds until the window resets


def hit(bucket: str, limit: int, window: int = 60) -> RateDecision:
    """Count one call in ``bucket``'s current window; refuse it when the window already holds ``limit``.
    The counter is the security throttles' one; unlike them it stays on when MASSLINE_THROTTLE_ENABLED is off."""
    if limit <= 0:
        return RateDecision(True, 0)
    wait = count("api-rate", bucket, Rate(limit, window))
    return RateDecision(wait is None, wait or 0)


def check_rate(request: HttpRequest, key: ApiKey | None) -> RateDecision:
    if key is not None:
        return hit(f"key:{key.pk}", key.rate_limit or rate_limit_per_minute())
    return hit(f"ip:{client_ip(request)}", anonymous_rate_limit_per_minute())


class ApiRateThrottle(BaseThrottle):
    """django-ninja throttle: per key when the call is authenticated by one, else per address."""

    def __init__(self) -> None:
        self._local = threading.local()  # one instance serves every thread

    def allow_request(self, request: HttpRequest) -> bool:
        auth = getattr(request, "auth", None)
        decision = check_rate(request, auth if isinstance(auth, ApiKey) else None)
        self._local.wait = None if decision.allowed else decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


# --- django-ninja authentication ----------------------------------------------------------------------


def presented_keys(request: HttpRequest) -> set[str]:
    """Every key the call presents: the Bearer token and the X-API-Key header."""
    keys = set()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        keys.add(token.strip())
    if "X-API-Key" in request.headers:
        keys.add(request.headers["X-API-Key"].strip())
    return keys


def authenticate_only_key(request: HttpRequest, raw: str | None) -> ApiKey | None:
    """The key, when it is the only one the call presents: a call that sends a valid key in one header
    and another (wrong) one in the other is refused, not served on whichever was checked first."""
    if presented_keys(request) - {(raw or "").strip()}:
        return None
    return authenticate_key(raw)


class BearerKey(HttpBearer):
    """``Authorization: Bearer ml_…``"""

    def authenticate(self, request, token):
        return authenticate_only_key(request, token)


class HeaderKey(APIKeyHeader):
    """``X-API-Key: ml_…``"""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return authenticate_only_key(request, key)


CLIENT_AUTH = [BearerKey(), HeaderKey()]


# --- request size --------------------------------------------------------------------------------------


def too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_body_bytes()


def limit_body(view):
    """Refuse bodies over MASSLINE_API_MAX_BODY_BYTES before anything reads or parses them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if too_large(request):
            return JsonResponse(
                {
                    "detail": f"the request body is too large (the limit is {max_body_bytes()} bytes)",
                    "code": "too_large",
                },
                status=413,
                json_dumps_params={"ensure_ascii": False},
            )
        return view(request, *args, **kwargs)

    return wrapper


# --- optional keys -------------------------------------------------------------------------------------


class NoKey:
    """``request.auth`` of a call that presents no key to an endpoint where a key is optional (public reads
    and consultation votes): it acts as an anonymous visitor and is rate-limited per client address."""

    user = None

    def __bool__(self) -> bool:  # django-ninja treats a falsy result as "not authenticated"
        return True


NO_KEY = NoKey()


def no_key_presented(request: HttpRequest) -> NoKey | None:
    """Anonymous when the call presents no key at all; a call with a wrong key is refused (401), never
    served as anonymous."""
    return None if presented_keys(request) else NO_KEY


# A key is optional: the anonymous visitor sees what the public pages show, a staff key what its user sees
# on the web. The empty security requirement tells OpenAPI clients (and schemathesis) that no key is fine.
OPTIONAL_AUTH = [*CLIENT_AUTH, no_key_presented]
OPTIONAL_SECURITY: dict[str, list[dict]] = {"security": [{}]}
