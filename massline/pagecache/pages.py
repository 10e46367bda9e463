"""Whole public pages from the cache, for anonymous visitors.

``public_page(*areas, per_request=None)`` wraps a view. A GET (or HEAD) is answered from the cache when
nothing about it is personal:

- no cookie but the form-token cookie and the language cookie (a session, a message, a participant's or a
  person's key means the page may differ: it is rendered, and not stored);
- no ``Authorization`` header and no ``api_key`` parameter;
- not signed in.

One entry per language, host, address and query string (``?script=original``, filters, searches and
pages are in the query string), under the current generation counters of the page's ``areas`` plus the
city's configuration (and the request's own counter with ``per_request="reference"``).

A page is stored only when it answered 200, set no cookie, added no message and did not opt out of
caching (``never_cache``). What is stored holds no cookie and no form token: the token's value in every
``csrfmiddlewaretoken`` field is replaced by a placeholder, and each visitor gets their own token (and
cookie, from Django's CSRF middleware as on any page) when it is served, so the language switcher, "me
too" and follow forms of a cached page post as they do on a fresh one. No script is needed. A visitor
who already has the form-token cookie gets a cached page with no ``Set-Cookie`` at all.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from . import generations

log = logging.getLogger(__name__)
HEADER = "X-Page-Cache"  # hit / miss / pass: what the cache did with this page
TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
TOKEN_SLOT = b"@@massline-csrf-token@@"
# Headers that belong to one answer, never to a stored page (the middleware adds them again).
PER_ANSWER = {"set-cookie", "vary", "content-length", "content-language", "expires", "retry-after"}


def enabled() -> bool:
    value = getattr(settings, "MASSLINE_PAGE_CACHE", None)
    if value is None:
        value = os.environ.get("MASSLINE_PAGE_CACHE", "1").lower() not in {"0", "false", "no", "off"}
    return bool(value)


def shared_cache() -> bool:
    """Whether every web process reads the same cache (Redis): only then can a change reach them all."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return "locmem" not in backend.lower() and "dummy" not in backend.lower()


def lifetime() -> int:
    """Seconds an entry may live. Changes retire entries at once through the counters; the limit covers
    what no hook announces (the time-dependent words of a page) and, with per-process memory, the changes
    made in another process."""
    if shared_cache():
        return int(
            getattr(
                settings, "MASSLINE_PAGE_CACHE_SECONDS", os.environ.get("MASSLINE_PAGE_CACHE_SECONDS", 300)
            )
        )
    return int(
        getattr(
            settings,
            "MASSLINE_PAGE_CACHE_LOCAL_SECONDS",
            os.environ.get("MASSLINE_PAGE_CACHE_LOCAL_SECONDS", 10),
        )
    )


def _harmless_cookies() -> set[str]:
    extra = getattr(settings, "MASSLINE_PAGE_CACHE_IGNORED_COOKIES", ())
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, *extra}


def anonymous_and_plain(request: HttpRequest) -> bool:
    """Nothing about this request can make its page differ from anyone else's."""
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if "HTTP_AUTHORIZATION" in request.META or "api_key" in request.GET:
        return False
    if set(request.COOKIES) - _harmless_cookies():
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request: HttpRequest, areas: list[str]) -> str:
    counters = ".".join(map(str, generations.current(areas)))
    return f"pagecache:page:{translation.get_language()}:{counters}:{_where(request)}"


def _where(request: HttpRequest) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:40]


class NearCache:
    """The pages this process served last, by full key (counters included, so never stale): with a shared
    cache, a hit then costs one small round trip (the counters) instead of two and a 20-50 KiB transfer.
    Bounded, least recently used first out; safe for threaded workers."""

    def __init__(self, size: int = 500):
        self.size = size
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.get("expires", 0.0) < time.time():  # the same lifetime as in the shared cache
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


near = NearCache()


def lookup(request: HttpRequest, areas: list[str]) -> tuple[str, dict | None]:
    """(the page's key under the current counters, its entry or None)."""
    key = page_key(request, areas)
    return key, read(key)


def read(key: str) -> dict | None:
    """The entry stored under ``key`` (this process's near cache first), or None."""
    if not shared_cache():
        return cache.get(key)
    entry = near.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            entry.setdefault("expires", time.time() + lifetime())  # one stored by an older version
            near.put(key, entry)
    return entry


def store(key: str, entry: dict, seconds: int | None = None) -> None:
    """Keep ``entry`` under ``key`` for ``seconds`` (the page lifetime by default)."""
    seconds = lifetime() if seconds is None else seconds
    entry["expires"] = time.time() + seconds
    cache.set(key, entry, seconds)
    if shared_cache():
        near.put(key, entry)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False  # a message for this visitor is on the page, or waits for the next
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _entry(response: HttpResponse) -> dict:
    headers = [(k, v) for k, v in response.items() if k.lower() not in PER_ANSWER]
    return {
        "status": response.status_code,
        "content": punch_tokens(response.content),
        "headers": headers,
        "frame_exempt": getattr(response, "xframe_options_exempt", False),
    }


def punch_tokens(content: bytes) -> bytes:
    """``content`` with its form tokens replaced by a slot, to be stored for every reader."""
    return TOKEN_FIELD.sub(rb"\1" + TOKEN_SLOT + rb"\2", content)


def fill_tokens(request: HttpRequest, content: bytes) -> bytes:
    """Stored ``content`` with its token slots filled with this reader's own token."""
    if TOKEN_SLOT in content:
        content = content.replace(TOKEN_SLOT, _visitor_token(request))
    return content


def _visitor_token(request: HttpRequest) -> bytes:
    """This visitor's own form token. A first visit gets its cookie (from Django's CSRF middleware, as on
    any page with a form); a visitor who has one is not sent it again, so a cached page sets no cookie."""
    had_cookie = "CSRF_COOKIE" in request.META
    token = get_token(request)
    if had_cookie:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False  # get_token asks to renew it; nothing changed
    return token.encode()


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    response = HttpResponse(fill_tokens(request, entry["content"]), status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if entry["frame_exempt"]:
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
    response[HEADER] = "hit"
    return response


def public_page(*areas: str, per_request: str | None = None) -> Callable:
    """Serve the wrapped view's anonymous GETs from the cache until one of ``areas`` changes.
    ``per_request`` names the view argument holding a request's reference (its own page)."""

    def decorate(view):
        @functools.wraps(view)
        def cached_view(request, *args, **kwargs):
            if not anonymous_and_plain(request):
                response = view(request, *args, **kwargs)
                if request.method in ("GET", "HEAD"):
                    response[HEADER] = "pass"
                return response
            shown = [generations.CONFIG, *areas]
            if per_request and kwargs.get(per_request):
                shown.append(generations.request_area(str(kwargs[per_request])))
            try:
                key, entry = lookup(request, shown)
            except Exception:  # noqa: BLE001 - the cache is down: serve the page as if there were none
                log.warning("page cache unavailable", exc_info=True)
                key, entry = "", None
            if entry is not None:
                return _answer(request, entry)
            response = view(request, *args, **kwargs)
            response[HEADER] = "pass"
            if key and request.method == "GET" and _storable(request, response):
                try:
                    store(key, _entry(response))
                    response[HEADER] = "miss"
                except Exception:  # noqa: BLE001
                    log.warning("page cache unavailable", exc_info=True)
            return response

        return cached_view

    return decorate
