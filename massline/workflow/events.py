"""The event hook: every audited change to a request is published to subscribers.

``audit.write_audit`` (the one writer of the audit trail: intake's ``submit``, every ``transition()``,
supervisions) publishes one ``RequestEvent`` per audit row, in two phases:

- **in the transaction** (``subscribe(fn, phase="atomic")``): for outbox writers. A subscriber writes rows
  (a notification to send, a webhook to deliver) in the same transaction as the change, so they commit or
  roll back together: nothing acknowledged is lost, nothing rolled back is announced. Such a subscriber must
  only write to the database; if it raises, the change is refused with it.
- **after the commit** (``subscribe(fn)``, the default): for relays and caches. A subscriber never hears of
  a change that was rolled back; one that raises is logged and skipped, and the others still run.

    from massline.workflow.events import subscribe

    @subscribe
    def relay(event: RequestEvent) -> None:
        ...

``event.audit_id`` identifies the change for good: outboxes build their idempotency keys from it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestEvent:
    action: str  # the audit action: submit, a row of the transition table, supervise, ...
    request_id: int
    reference: str
    kind: str
    from_state: str
    to_state: str
    unit_id: int | None
    actor_label: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    audit_id: int = 0
    note: str = ""


TransitionEvent = RequestEvent  # the name the first version of the hook used

Subscriber = Callable[[RequestEvent], None]
Phase = Literal["atomic", "commit"]
_subscribers: dict[str, list[Subscriber]] = {"atomic": [], "commit": []}


def subscribe(fn: Subscriber | None = None, *, phase: Phase = "commit"):
    """Register ``fn`` for ``phase`` (usable as ``@subscribe`` or ``@subscribe(phase="atomic")``).
    Registering the same function twice keeps one."""

    def add(f: Subscriber) -> Subscriber:
        if phase not in _subscribers:
            raise ValueError(f"phase must be 'atomic' or 'commit', not {phase!r}")
        if f not in _subscribers[phase]:
            _subscribers[phase].append(f)
        return f

    return add(fn) if fn is not None else add


def unsubscribe(fn: Subscriber) -> None:
    for subscribers in _subscribers.values():
        if fn in subscribers:
            subscribers.remove(fn)


def deliver(event: RequestEvent) -> None:
    """Run the after-commit subscribers (each failure logged, the others still run)."""
    for fn in list(_subscribers["commit"]):
        try:
            fn(event)
        except Exception:  # one broken subscriber must not silence the others
            log.exception("event subscriber %s failed on %s of %s", fn, event.action, event.reference)


def publish(event: RequestEvent) -> None:
    """Called by the audit writer inside the change's transaction: atomic subscribers now, the others
    once it commits (at once when there is no transaction)."""
    for fn in list(_subscribers["atomic"]):
        fn(event)
    if _subscribers["commit"]:
        transaction.on_commit(lambda: deliver(event))
