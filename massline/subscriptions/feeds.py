"""Atom feeds (Django's syndication framework): new public requests, by area and category, and one
request's updates (its public timeline, with the redacted replies).

Only what a public page shows: listed requests for the list (``disclosure.listed``), requests with a public
page for the timeline (``disclosure.with_public_page``); texts are redacted, then cut (``public_excerpt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from massline.notify.compose import site_url
from massline.portal import timeline
from massline.workflow import disclosure
from massline.workflow.excerpt import public_excerpt, requester_names
from massline.workflow.models import Category, Request, Unit

from . import areas

FEED_SIZE = 50
TITLE_LENGTH = 120
EXCERPT_LENGTH = 500
REPLY_LENGTH = 4000


def _html(text: str) -> str:
    """Atom summaries are HTML: the (redacted) plain text, escaped, with its line breaks."""
    return linebreaks(escape(text))


class NewRequestsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs) -> tuple[Unit | None, Category | None]:
        return areas.resolve_area(request.GET.get("area", "")), areas.resolve_category(
            request.GET.get("category", "")
        )

    def title(self, obj) -> str:
        return _("New requests: %(what)s") % {"what": areas.describe(*obj)}

    def subtitle(self, obj) -> str:
        return _("Public requests to the citizen hotline, with personal data removed.")

    def link(self, obj) -> str:
        unit, category = obj
        query = "&".join(
            f"{k}={v}"
            for k, v in (("unit", unit.code if unit else ""), ("category", category.code if category else ""))
            if v
        )
        return reverse("portal:list") + (f"?{query}" if query else "")

    def items(self, obj):
        unit, category = obj
        qs = areas.within(disclosure.listed(), unit, category)
        return qs.select_related("category", "unit").order_by("-received_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Request) -> str:
        return f"{item.reference} {public_excerpt(item.title or '', TITLE_LENGTH, requester_names(item))}"

    def item_description(self, item: Request) -> str:
        return _html(public_excerpt(item.text or "", EXCERPT_LENGTH, requester_names(item)))

    def item_link(self, item: Request) -> str:
        return reverse("portal:detail", args=[item.reference])

    def item_pubdate(self, item: Request) -> datetime:
        return item.received_at

    def item_updateddate(self, item: Request) -> datetime:
        return item.updated_at

    def item_categories(self, item: Request) -> tuple[str, ...]:
        return (item.category.name,) if item.category else ()

    def item_author_name(self, item: Request) -> str | None:
        return item.unit.name if item.unit else None


@dataclass(frozen=True)
class Update:
    pk: int
    reference: str
    at: datetime
    title: str
    text: str


def public_updates(req: Request) -> list[Update]:
    """The public timeline of ``req`` (the words of its page), newest first; a reply carries its text,
    redacted with the requester's names."""
    events = list(req.events.all())
    steps = timeline.steps(req)  # the same events, in the same order, told as the page tells them
    replies = iter(req.replies.order_by("created_at", "id"))
    names = requester_names(req)
    out = []
    for event, step in zip(events, steps, strict=True):
        text = ""
        if event.action == "reply":
            reply = next(replies, None)
            text = public_excerpt(reply.text, REPLY_LENGTH, names) if reply else ""
        out.append(Update(event.pk, req.reference or "", step.at, step.text, text))
    return out[::-1]


class RequestUpdatesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs) -> Request:
        # Request.DoesNotExist becomes a 404, as for the page: no feed where there is no public page
        return disclosure.with_public_page().select_related("unit").get(reference=kwargs["reference"])

    def title(self, obj: Request) -> str:
        title = public_excerpt(obj.title or "", TITLE_LENGTH, requester_names(obj))
        return _("Request %(reference)s: %(title)s") % {"reference": obj.reference, "title": title}

    def subtitle(self, obj: Request) -> str:
        return _("What happened to this request, with personal data removed.")

    def link(self, obj: Request) -> str:
        return reverse("portal:detail", args=[obj.reference])

    def items(self, obj: Request) -> list[Update]:
        return public_updates(obj)

    def item_title(self, item: Update) -> str:
        return item.title

    def item_description(self, item: Update) -> str:
        return _html(item.text) if item.text else ""

    def item_link(self, item: Update) -> str:
        return reverse("portal:detail", args=[item.reference])

    def item_guid(self, item: Update) -> str:
        return site_url(reverse("portal:detail", args=[item.reference])) + f"#event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Update) -> datetime:
        return item.at


def new_requests(request):
    try:
        return NewRequestsFeed()(request)
    except areas.UnknownFilter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


request_updates = RequestUpdatesFeed()
