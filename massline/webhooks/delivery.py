"""POSTing one webhook delivery: claim it, sign and send it, record the outcome; retry with backoff.

A row is claimed with a conditional UPDATE (pending or retry → sending), so two workers never send the same
row at once. The receiver's 2xx and the row's "delivered" mark are two steps: a worker killed between them
leaves the row "sending", and ``relay_due`` sends it again after ten minutes. Delivery is therefore at least
once; the ``X-Massline-Delivery`` header (also the body's ``id``) is the same on every attempt, so that a
receiver drops a copy it already accepted.

Redirects are not followed (a 3xx is a failure): the subscription's address is the one an administrator
approved. Any 2xx is success; anything else, a timeout or a refused connection is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import WebhookDelivery

BACKOFF_MINUTES = (1, 5, 30, 120, 600)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
USER_AGENT = "massline-webhooks/1"


def signature(secret: str, body: bytes) -> str:
    """The ``X-Massline-Signature`` header: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class DeliveryFailed(Exception):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body``; returns the 2xx status, raises DeliveryFailed otherwise."""
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname or "", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        detail = response.read(500).decode("utf-8", "replace").strip()
    except TimeoutError as exc:
        raise DeliveryFailed(f"no answer within {timeout:g} s") from exc
    except OSError as exc:  # refused, unreachable, TLS, DNS
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    except http.client.HTTPException as exc:
        raise DeliveryFailed(f"bad HTTP answer: {type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()
    if not 200 <= response.status < 300:
        where = f" to {response.getheader('Location')}" if 300 <= response.status < 400 else ""
        raise DeliveryFailed(
            f"HTTP {response.status} {response.reason}{where}: {detail}"[:500], response.status
        )
    return response.status


def deliver(pk: int, now=None) -> str:
    """Send row ``pk`` if it is still to be sent; returns its status afterwards."""
    now = now or timezone.now()
    pending = [WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRY]
    claimed = WebhookDelivery.objects.filter(pk=pk, status__in=pending).update(
        status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    row = WebhookDelivery.objects.select_related("subscription").get(pk=pk)
    if not claimed:
        return row.status
    sub = row.subscription
    if not sub.active:
        WebhookDelivery.objects.filter(pk=pk).update(status=WebhookDelivery.Status.CANCELLED)
        return WebhookDelivery.Status.CANCELLED
    body = row.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Massline-Event": row.event,
        "X-Massline-Delivery": row.key,
        "X-Massline-Signature": signature(sub.secret, body),
    }
    timeout = float(getattr(settings, "MASSLINE_WEBHOOK_TIMEOUT", 10))
    try:
        code = post(sub.url, body, headers, timeout)
    except DeliveryFailed as exc:
        failed = row.attempts >= MAX_ATTEMPTS
        wait = timedelta(minutes=BACKOFF_MINUTES[min(row.attempts, len(BACKOFF_MINUTES)) - 1])
        status = WebhookDelivery.Status.FAILED if failed else WebhookDelivery.Status.RETRY
        WebhookDelivery.objects.filter(pk=pk).update(
            status=status, next_attempt_at=now + wait, response_code=exc.code, last_error=str(exc)[:2000]
        )
        return status
    WebhookDelivery.objects.filter(pk=pk).update(
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
        response_code=code,
        last_error="",
    )
    return WebhookDelivery.Status.DELIVERED
