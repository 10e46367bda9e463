"""Sending one outbox row: claim it, send it, record the outcome; retry with backoff.

A row is claimed with a conditional UPDATE (pending or retry → sending), so two workers never send the same
row. The provider's acceptance and the row's "sent" mark are two steps: a worker killed between them leaves
the row "sending", and ``relay_due`` sends it again after ten minutes (at least once; the e-mail's
Message-ID and the SMS Idempotency-Key, both the row's key, let the receiver drop the copy).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from . import sms
from .compose import site_url
from .models import Message, Suppression

BACKOFF_MINUTES = (1, 5, 30, 120, 600)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


def unsubscribe_token(address: str) -> str:
    return signing.dumps(address.strip().lower(), salt="massline.notify.unsubscribe", compress=True)


def unsubscribe_url(address: str) -> str:
    return site_url(reverse("notify:unsubscribe", args=[unsubscribe_token(address)]))


def message_id(msg: Message) -> str:
    digest = hashlib.sha256(msg.key.encode()).hexdigest()[:32]
    domain = str(getattr(settings, "MASSLINE_MAIL_DOMAIN", "massline.local"))
    return f"<{digest}@{domain}>"


def _send_email(msg: Message) -> str:
    link = unsubscribe_url(msg.recipient)
    with translation.override(msg.language):
        footer = translation.gettext("Stop these e-mails: %(link)s") % {"link": link}
    email = EmailMessage(
        subject=msg.subject,
        body=f"{msg.body}\n\n--\n{footer}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[msg.recipient],
        headers={
            "Message-ID": message_id(msg),
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.send(fail_silently=False)
    return message_id(msg)


def _send_sms(msg: Message) -> str:
    adapter = sms.adapter_for(str(getattr(settings, "MASSLINE_SMS_URL", "console:")))
    return adapter.send(msg.recipient, msg.body, msg.key)


def deliver(pk: int, now=None) -> str:
    """Send row ``pk`` if it is still to be sent; returns its status afterwards."""
    now = now or timezone.now()
    claimed = Message.objects.filter(pk=pk, status__in=[Message.Status.PENDING, Message.Status.RETRY]).update(
        status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    msg = Message.objects.get(pk=pk)
    if not claimed:
        return msg.status
    if Suppression.objects.filter(address=msg.recipient.strip().lower()).exists():
        Message.objects.filter(pk=pk).update(status=Message.Status.SUPPRESSED)
        return Message.Status.SUPPRESSED
    try:
        provider_id = _send_email(msg) if msg.channel == Message.Channel.EMAIL else _send_sms(msg)
    except Exception as exc:  # any provider failure: retry later, keep the reason
        failed = msg.attempts >= MAX_ATTEMPTS
        wait = timedelta(minutes=BACKOFF_MINUTES[min(msg.attempts, len(BACKOFF_MINUTES)) - 1])
        Message.objects.filter(pk=pk).update(
            status=Message.Status.FAILED if failed else Message.Status.RETRY,
            next_attempt_at=now + wait,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return Message.Status.FAILED if failed else Message.Status.RETRY
    Message.objects.filter(pk=pk).update(
        status=Message.Status.SENT, sent_at=timezone.now(), provider_id=str(provider_id)[:200], last_error=""
    )
    return Message.Status.SENT
