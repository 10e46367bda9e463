"""Background jobs of webhooks: deliver one, and relay whatever is due (beat, every minute)."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.webhooks.deliver")
def deliver_webhook(pk: int) -> str:
    from .delivery import deliver

    return deliver(pk)


@app.task(name="massline.webhooks.relay_due")
def relay_due(now=None) -> int:
    """Send what waits in the outbox: the broker was down, a retry is due, or a worker died mid-send."""
    from .delivery import deliver
    from .outbox import due

    ids = due(now)
    for pk in ids:
        deliver(pk, now)
    return len(ids)
