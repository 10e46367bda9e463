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
from collections.abc import Callable, Sequence

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
        entry = pages.read(key)
    except Exception:  # noqa: BLE001 - the cache is down: render as if there were none
        log.warning("staff page cache unavailable", exc_info=True)
        return mark_safe(render())  # noqa: S308
    if entry is None:
        entry = {"content": pages.punch_tokens(render().encode())}
        try:
            pages.store(key, entry, SECONDS)
        except Exception:  # noqa: BLE001
            log.warning("staff page cache unavailable", exc_info=True)
    return mark_safe(pages.fill_tokens(request, entry["content"]).decode())  # noqa: S308 - our own template
