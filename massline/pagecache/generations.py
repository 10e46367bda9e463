"""Generation counters: one per area of data, bumped when that data changes.

A page or fragment is cached under a key that includes the current counters of the areas it shows. A bump
retires every such entry at once (they are never read again and expire on their own), without a list of
keys to delete and without a race: a page rendered from old data is stored under the old counters.

A counter that is missing (never set, evicted, a cache restarted) starts at the current time in
nanoseconds, which is above any value an earlier counter of the same area could have reached, so an old
entry can never come back to life.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable, Sequence

from django.core.cache import cache

PREFIX = "pagecache:gen:"
# Counters outlive every entry keyed on them (a lost counter is harmless anyway, see above).
COUNTER_SECONDS = 7 * 24 * 3600

SAFE_REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,40}")
REQUESTS = "requests"  # any request's public state: lists, search, map, home, statistics
STATS = "stats"  # the statistics figures (recomputed by a background task)
CONFIG = "config"  # units, the catalogue, the city's settings: shown on nearly every page
CONSULT = "consult"
MONTHLY = "monthly"


def request_area(reference: str) -> str:
    """The area of one request's own page (an address may hold anything: odd ones are hashed)."""
    if not SAFE_REFERENCE.fullmatch(reference):
        reference = "h" + hashlib.sha256(reference.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"request:{reference}"


# What this process last read of each counter: (value, when, by time.monotonic()).
_seen: dict[str, tuple[int, float]] = {}


def counter_seconds() -> float:
    """How long this process may trust the counters it read (MASSLINE_PAGE_CACHE_COUNTER_SECONDS). With a
    shared cache (Redis) the default is 1 s: a change reaches the cached pages of *other* web processes
    within a second, while a hit costs no round trip at all; 0 asks the cache on every page. The process
    that made a change sees it at once either way (its own bump updates what it has seen). Per-process
    memory needs no trust: reading it is free."""
    from django.conf import settings

    from .pages import shared_cache

    value = getattr(settings, "MASSLINE_PAGE_CACHE_COUNTER_SECONDS", None)
    if value is None:
        value = os.environ.get("MASSLINE_PAGE_CACHE_COUNTER_SECONDS", "1" if shared_cache() else "0")
    return float(value)


def current(areas: Sequence[str]) -> list[int]:
    """The counters of ``areas``, in order (at most one round trip to the cache)."""
    trust = counter_seconds()
    now = time.monotonic()
    if trust > 0:
        seen = [_seen.get(a) for a in areas]
        if all(s is not None and now - s[1] < trust for s in seen):
            return [s[0] for s in seen]  # type: ignore[index]
    keys = [PREFIX + a for a in areas]
    found = cache.get_many(keys)
    values = []
    for area, key in zip(areas, keys, strict=True):
        value = found.get(key)
        value = _start(key) if value is None else int(value)
        _seen[area] = (value, now)
        values.append(value)
    return values


def forget() -> None:
    """Drop what this process has seen of the counters (tests that clear the cache call it)."""
    _seen.clear()


def _start(key: str) -> int:
    cache.add(key, time.time_ns(), timeout=COUNTER_SECONDS)
    value = cache.get(key)
    return int(value) if value is not None else time.time_ns()


def bump(areas: Iterable[str]) -> None:
    """Retire every entry that shows one of ``areas``."""
    for area in dict.fromkeys(areas):
        key = PREFIX + area
        try:
            value = int(cache.incr(key))
        except ValueError:  # missing: start above anything it held before
            value = time.time_ns()
            cache.set(key, value, timeout=COUNTER_SECONDS)
        _seen[area] = (value, time.monotonic())


def fragment_key(name: str, areas: Sequence[str], *parts: object) -> str:
    """A cache key for a fragment (a block of a staff page, a form's choices) that shows ``areas``."""
    counters = ".".join(map(str, current(areas)))
    return ":".join(["pagecache:frag", name, counters, *map(str, parts)])


def cached_fragment(name: str, areas: Sequence[str], compute, *parts: object, seconds: int = 3600):
    """``compute()``, kept until one of ``areas`` changes (or ``seconds`` pass)."""
    key = fragment_key(name, areas, *parts)
    entry = cache.get(key)
    if entry is None:
        entry = (compute(),)  # a tuple, so that a computed None is kept too
        cache.set(key, entry, seconds)
    return entry[0]
