"""Background jobs of subscriptions: the hourly digests of area followers, and forgetting stale ones."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.subscriptions.area_digests")
def area_digests(now=None) -> int:
    """Every few minutes: each area follower with something new, and no digest in the last hour, gets one."""
    from massline.notify.tasks import relay_due

    from .digests import send_area_digests

    written = send_area_digests(now)
    if written:
        relay_due.delay()
    return written


@app.task(name="massline.subscriptions.purge")
def purge(now=None) -> int:
    """Daily: unconfirmed subscriptions past their link, and those of addresses that unsubscribed from all."""
    from .actions import purge as purge_subscriptions

    return purge_subscriptions(now)
