"""Staff pages' bodies kept in the cache: a queue looks the same to every staff member who may see the same
requests, so it is rendered once for all of them until a request or the city's configuration changes.

The key holds what a body depends on: the page, the reader's language, the scope of what the user may see
(their roles and unit, as ``accounts.permissions.visible_requests`` decides it), the full query string
(filters, sort, cursor, tab) and the page-cache counters of the areas it shows (``pagecache.generations``:
the workflow's event hook bumps ``requests`` on every change to a request, inside the transaction and
again after the commit; configuration saves bump ``config``). The header, the navigation and the messages
stay outside and are rendered for each user. A body's form tokens are stored as a slot and filled with
the reader's own token, as the public page cache does.

An entry lives ``SECONDS`` at most: the relative words of a queue ("waiting 3 hours") age, and a change
that no hook announces (a bulk import) shows within that time. Off when the page cache is off
(MASSLINE_PAGE_CACHE=0).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from massline.accounts.permissions import roles_of, unit_of
from massline.pagecache import generations, pages

log = logging.getLogger(__name__)

SECONDS = 30
QUEUES = (generations.REQUESTS, generations.CONFIG)


def scope(user) -> str:
    """What decides which requests ``user`` sees: their roles and their unit."""
    roles = roles_of(user)
    unit = unit_of(user) if roles else None
    return ",".join(sorted(roles)) + "@" + (unit.path if unit is not None else "")


def _key(request: HttpRequest, name: str, areas: Sequence[str], parts: Sequence[object]) -> str:
    where = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return generations.fragment_key(
        f"staff-body:{name}", areas, translation.get_language(), scope(request.user), where, *parts
    )


def _with_token(request: HttpRequest, content: bytes) -> SafeString:
    if pages.TOKEN_SLOT in content:
        content = content.replace(pages.TOKEN_SLOT, pages._visitor_token(request))
    return mark_safe(content.decode())  # noqa: S308 - our own rendered template


def body(
    request: HttpRequest,
    name: str,
    render: Callable[[], str],
    areas: Sequence[str] = QUEUES,
    parts: Sequence[object] = (),
) -> SafeString:
    """``render()``'s HTML from the cache, or rendered now and kept (see the module)."""
    if not pages.enabled():
        return mark_safe(render())  # noqa: S308
    try:
        key = _key(request, name, areas, parts)
        entry = pages.near.get(key) if pages.shared_cache() else None
        if entry is None:
            entry = cache.get(key)
            if entry is not None and pages.shared_cache():
                pages.near.put(key, entry)
    except Exception:  # noqa: BLE001 - the cache is down: render as if there were none
        log.warning("staff page cache unavailable", exc_info=True)
        return mark_safe(render())  # noqa: S308
    if entry is not None:
        return _with_token(request, entry["content"])
    html = render().encode()
    entry = {"content": pages.TOKEN_FIELD.sub(rb"\1" + pages.TOKEN_SLOT + rb"\2", html)}
    entry["expires"] = time.time() + SECONDS
    try:
        cache.set(key, entry, SECONDS)
        if pages.shared_cache():
            pages.near.put(key, entry)
    except Exception:  # noqa: BLE001
        log.warning("staff page cache unavailable", exc_info=True)
    return _with_token(request, entry["content"])
