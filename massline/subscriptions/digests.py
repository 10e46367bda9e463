"""Area and category followers get the new public requests in one e-mail, at most once an hour each.

A beat task (``massline.subscriptions.area_digests``, every few minutes) looks at each confirmed area
subscription whose last digest is an hour old or more. The requests that are new to it (a larger id than
the last one it heard of) and listed (``disclosure``) make one e-mail: up to ``MAX_ITEMS`` redacted titles
and excerpts (redacted, then cut), then "and N more" with a link to the list. A subscription with nothing
new is sent nothing.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from massline.notify import outbox
from massline.notify.compose import Draft, site_url
from massline.workflow import disclosure
from massline.workflow.excerpt import public_excerpt, requester_names
from massline.workflow.models import Request

from . import areas
from .actions import FOLLOWER, stop_url
from .models import Subscription

EVERY = timedelta(hours=1)
MAX_ITEMS = 20
EXCERPT_LENGTH = 160
TITLE_LENGTH = 80


def filter_query(sub: Subscription, area_key: str = "area") -> str:
    """The query string of what ``sub`` follows: for the feed (``area``) or the list page (``unit``)."""
    params = {
        area_key: sub.unit.code if sub.unit is not None else "",
        "category": sub.category.code if sub.category is not None else "",
    }
    query = urlencode({k: v for k, v in params.items() if v})
    return f"?{query}" if query else ""


def _item(req: Request) -> str:
    names = requester_names(req)
    title = public_excerpt(req.title or "", TITLE_LENGTH, names)
    text = public_excerpt(req.text or "", EXCERPT_LENGTH, names)
    url = site_url(reverse("portal:detail", args=[req.reference]))
    return f"• {req.reference} {title}\n  {text}\n  {url}\n"


def digest_context(sub: Subscription, rows: list[Request], count: int) -> dict[str, str]:
    with translation.override(sub.language):
        more = count - len(rows)
        return {
            "topic": areas.describe(sub.unit, sub.category),
            "count": str(count),
            "items": "\n".join(_item(r) for r in rows),
            "more": (
                "\n" + ngettext("…and %(n)d more.", "…and %(n)d more.", more) % {"n": more}
                if more > 0
                else ""
            ),
            "list_url": site_url(reverse("portal:list")) + filter_query(sub, "unit"),
            "feed_url": site_url(reverse("subscriptions:feed")) + filter_query(sub),
            "stop_url": stop_url(sub),
        }


def due_subscriptions(now):
    return (
        Subscription.objects.filter(request__isnull=True, confirmed_at__isnull=False)
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - EVERY))
        .select_related("unit", "category")
        .order_by("pk")
    )


def send_digest(sub_id: int, top: int, now) -> bool:
    """One subscription's digest (locked, so that two beat runs never send it twice); True if one was
    written."""
    with transaction.atomic():
        sub = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("unit", "category")
            .filter(pk=sub_id, confirmed_at__isnull=False)
            .first()
        )
        if (
            sub is None
            or (sub.digest_sent_at and sub.digest_sent_at > now - EVERY)
            or sub.last_request_id >= top
        ):
            return False
        new = areas.within(disclosure.listed(), sub.unit, sub.category).filter(
            pk__gt=sub.last_request_id, pk__lte=top
        )
        count = new.count()
        Subscription.objects.filter(pk=sub.pk).update(
            last_request_id=top, **({"digest_sent_at": now} if count else {})
        )
        if not count:
            return False
        rows = list(new.order_by("pk")[:MAX_ITEMS])
        draft = Draft(
            "email", sub.email, FOLLOWER, sub.language, "follow_digest", digest_context(sub, rows, count)
        )
        return outbox.write([draft], f"follow-digest{sub.pk}:{top}", None) > 0


def send_area_digests(now=None) -> int:
    """Write the digests that are due; returns how many. The caller relays them (``relay_due``)."""
    if not outbox.enabled():
        return 0
    now = now or timezone.now()
    top = Request.objects.aggregate(top=Max("pk"))["top"] or 0
    return sum(send_digest(pk, top, now) for pk in due_subscriptions(now).values_list("pk", flat=True))
