"""The transactional outbox: messages are written in the same transaction as the change that causes them,
then relayed to the task queue once it commits.

- ``write_messages`` (an in-transaction subscriber of the event hook) renders each draft in its recipient's
  language and inserts a ``Message`` row whose key is unique (the audit event, the template, the channel and
  the recipient): the same change never yields the same message twice, and a rolled-back change yields none.
- ``relay`` (an after-commit subscriber) hands the new rows to the ``massline.notify.send`` task. If the
  broker is down the rows wait; the ``massline.notify.relay_due`` beat task picks up whatever is due.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from massline.workflow import events
from massline.workflow import outbox as shared
from massline.workflow.events import RequestEvent
from massline.workflow.models import Supervision

from .compose import TEXTS, Draft, drafts_for
from .models import Message

_paused = threading.local()


@contextlib.contextmanager
def paused():
    """No notifications for changes made inside (bulk loads such as the demo's three months)."""
    before = getattr(_paused, "on", False)
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = before


def enabled() -> bool:
    return bool(getattr(settings, "MASSLINE_NOTIFY", True)) and not getattr(_paused, "on", False)


def render(draft: Draft) -> tuple[str, str]:
    """(subject, body) of a draft, in the recipient's language (SMS: no subject, the short text)."""
    subject, body, sms = TEXTS[draft.template]
    context = dict(draft.context)
    with translation.override(draft.language):
        if draft.template == "supervision":  # the reason's code, in the reader's language
            context["reason"] = str(dict(Supervision.REASONS).get(context["reason"], context["reason"]))
        if draft.template == "due_soon":  # which deadline, in the reader's language
            context["what"] = str({"sign": _sign_label(), "reply": _reply_label()}.get(context["what"], ""))
        if draft.channel == "sms":
            return "", str(sms) % context
        return str(subject) % context, str(body) % context


def _sign_label() -> str:
    return translation.gettext("sign-for")


def _reply_label() -> str:
    return translation.gettext("reply")


def message_key(draft: Draft, origin: str) -> str:
    return f"{origin}:{draft.template}:{draft.channel}:{draft.recipient}"[:200]


def write(drafts: list[Draft], origin: str, request_id: int | None, audit_id: int | None = None) -> int:
    """Insert one outbox row per draft unless its key exists; returns how many were new."""
    now = timezone.now()
    rows = []
    for draft in drafts:
        subject, body = render(draft)
        rows.append(
            Message(
                key=message_key(draft, origin),
                channel=draft.channel,
                recipient=draft.recipient,
                audience=draft.audience,
                language=draft.language,
                template=draft.template,
                request_id=request_id,
                audit_id=audit_id,
                subject=subject[:300],
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )
    if not rows:
        return 0
    keys = [r.key for r in rows]
    existing = set(Message.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [r for r in rows if r.key not in existing]
    Message.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def write_messages(event: RequestEvent) -> None:
    if enabled():
        write(drafts_for(event), f"audit{event.audit_id}", event.request_id, event.audit_id)


def relay(event: RequestEvent) -> None:
    if enabled():
        enqueue(shared.pending_for(Message, event.audit_id))


def enqueue(ids: list[int]) -> None:
    from .tasks import send_message

    shared.enqueue(send_message, ids, "notification")


def due(now=None, stale_after: timedelta = timedelta(minutes=10)) -> list[int]:
    """Rows to send now: pending or retry rows that are due, and rows claimed by a worker that died."""
    return shared.due(Message, now, stale_after)


def connect() -> None:
    events.subscribe(write_messages, phase="atomic")
    events.subscribe(relay)
