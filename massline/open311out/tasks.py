"""Background jobs of open311out: send one delivery, send whatever is due (beat, every minute), and poll
the endpoints for updates (beat, every five minutes)."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.open311out.send")
def send_delivery(pk: int) -> str:
    from .sending import send

    return send(pk)


@app.task(name="massline.open311out.send_due")
def send_due(now=None) -> int:
    """Send what waits: a retry that is due, a row the broker never got, a worker that died mid-send."""
    from .sending import due, send

    ids = due(now)
    for pk in ids:
        send(pk, now)
    return len(ids)


@app.task(name="massline.open311out.poll")
def poll() -> int:
    """Read every active endpoint's servicerequestupdates; returns how many new updates were recorded."""
    from .polling import poll_all

    return sum(result.new for result in poll_all())
