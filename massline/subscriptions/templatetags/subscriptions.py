"""Follow forms and feed links for the portal's pages (so that the portal's templates change by a line)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from massline.workflow import disclosure
from massline.workflow.models import Category, Unit

from ..forms import FollowRequestForm

register = template.Library()


def _known(query) -> dict[str, str]:
    """The list page's unit and category filters, kept only when they exist (a feed link never 400s)."""
    unit = (query.get("unit") or "").strip()
    category = (query.get("category") or "").strip()
    params = {}
    if unit and Unit.objects.filter(code=unit).exists():
        params["area"] = unit
    if category and Category.objects.filter(code=category).exists():
        params["category"] = category
    return params


@register.simple_tag(takes_context=True)
def new_requests_feed_url(context) -> str:
    params = _known(context["request"].GET)
    return reverse("subscriptions:feed") + (f"?{urlencode(params)}" if params else "")


@register.simple_tag(takes_context=True)
def follow_area_url(context) -> str:
    params = _known(context["request"].GET)
    return reverse("subscriptions:follow") + (f"?{urlencode(params)}" if params else "")


@register.simple_tag(takes_context=True)
def new_requests_feed_link(context) -> str:
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        _("New requests (Atom feed)"),
        new_requests_feed_url(context),
    )


@register.simple_tag
def request_feed_link(req) -> str:
    if not disclosure.has_public_page(req):
        return ""
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        _("Updates of request %(reference)s (Atom feed)") % {"reference": req.reference},
        reverse("subscriptions:request_feed", args=[req.reference]),
    )


@register.inclusion_tag("subscriptions/_follow_request.html")
def follow_request_form(req) -> dict:
    """The "follow by e-mail" form of a request's public page; nothing for a request that is not listed."""
    return {
        "req": req,
        "followable": disclosure.is_listed(req),
        "form": FollowRequestForm(auto_id="follow_%s"),
        "feed_url": reverse("subscriptions:request_feed", args=[req.reference])
        if disclosure.has_public_page(req)
        else "",
    }
