"""Per-address throttles in Django's cache (Redis when configured, so that every web process counts
together; local memory otherwise), and the 429 answer people see.

A rate is written "COUNT/SECONDS" (e.g. "5/600": five in ten minutes); an empty rate turns the
throttle off. Windows are fixed: the first hit starts a window of SECONDS."""

from __future__ import annotations

import functools
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .client import client_ip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, name: str = "rate") -> Rate | None:
        text = (text or "").strip()
        if not text or text.lower() in {"0", "off", "none"}:
            return None
        try:
            count, seconds = (int(x) for x in text.split("/"))
        except ValueError:
            raise ImproperlyConfigured(f"{name}={text!r}: write COUNT/SECONDS, e.g. 5/600") from None
        if count < 1 or seconds < 1:
            raise ImproperlyConfigured(f"{name}={text!r}: COUNT and SECONDS must be positive")
        return cls(count, seconds)


def _enabled() -> bool:
    return getattr(settings, "MASSLINE_THROTTLE_ENABLED", True)


def hit(scope: str, key: str, rate: Rate | None) -> int | None:
    """Count one attempt; None if allowed, else the seconds until the window ends.
    Off when MASSLINE_THROTTLE_ENABLED is False (as in the test settings)."""
    if rate is None or not _enabled():
        return None
    return count(scope, key, rate)


def count(scope: str, key: str, rate: Rate) -> int | None:
    """The counter behind every per-client limit (these throttles and the API's rate limit): count one
    attempt in ``key``'s window; None if allowed, else the seconds until the window ends."""
    now = time.time()
    base = f"massline:throttle:{scope}:{key}"
    try:
        if cache.add(base, 1, rate.seconds):
            # The window's start is stored beside the counter so that Retry-After can be told exactly.
            cache.set(base + ":start", now, rate.seconds)
            return None
        try:
            n = cache.incr(base)
        except ValueError:  # expired between add and incr: this is the first hit of a new window
            cache.set(base, 1, rate.seconds)
            cache.set(base + ":start", now, rate.seconds)
            return None
        if n <= rate.count:
            return None
        start = cache.get(base + ":start") or now
    except Exception as exc:  # the cache (Redis) is down: serve the person rather than refuse everyone
        log.warning("throttle %s not applied, the cache is unreachable: %s", scope, exc)
        return None
    return max(1, math.ceil(start + rate.seconds - now))


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Please try again in %(n)d minute.", "Please try again in %(n)d minutes.", minutes) % {
        "n": minutes
    }


def too_many(request, retry_after: int, what: str = ""):
    response = render(
        request,
        "429.html",
        {"what": what or _("Too many requests from your address."), "wait": wait_message(retry_after)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def throttled(scope: str, setting: str, *, methods=("POST",), when=None, message=None):
    """Limit a view per client address. ``when(request)`` may narrow what is counted (e.g. searches)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                rate = Rate.parse(getattr(settings, setting, ""), setting)
                wait = hit(scope, client_ip(request), rate)
                if wait is not None:
                    return too_many(request, wait, str(message()) if message else "")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
