"""The event hook: after a transition commits, subscribers hear about it.

``transition()`` publishes one ``TransitionEvent`` per state change with ``transaction.on_commit``, so a
subscriber never hears of a change that was rolled back. Notifications, webhooks, feeds, cache invalidation
and statistics subscribe here instead of being called from the actions::

    from massline.workflow.events import subscribe

    @subscribe
    def notify_requester(event: TransitionEvent) -> None:
        ...

A subscriber that raises is logged and skipped; the others still run, and the change stays committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransitionEvent:
    action: str
    request_id: int
    reference: str
    kind: str
    from_state: str
    to_state: str
    unit_id: int | None
    actor_label: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


Subscriber = Callable[[TransitionEvent], None]
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> Subscriber:
    """Register ``fn`` (usable as a decorator). Registering the same function twice keeps one."""
    if fn not in _subscribers:
        _subscribers.append(fn)
    return fn


def unsubscribe(fn: Subscriber) -> None:
    if fn in _subscribers:
        _subscribers.remove(fn)


def deliver(event: TransitionEvent) -> None:
    for fn in list(_subscribers):
        try:
            fn(event)
        except Exception:  # one broken subscriber must not silence the others
            log.exception("event subscriber %s failed on %s of %s", fn, event.action, event.reference)


def publish_on_commit(event: TransitionEvent) -> None:
    """Deliver ``event`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: deliver(event))
