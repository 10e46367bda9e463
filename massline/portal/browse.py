"""Public list, search, map and detail pages, "me too" and the similar requests shown while submitting.
Everything shown is redacted (see ``public``)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from massline.core.text.script import for_reader
from massline.security.client import client_ip
from massline.security.throttle import Rate, hit, too_many
from massline.subscriptions.actions import SubscriptionError
from massline.subscriptions.views import DEFAULT_EMAIL_RATE
from massline.workflow import disclosure, keyset
from massline.workflow.excerpt import public_point
from massline.workflow.models import STATE_CHOICES, Category, Request, Unit

from . import actions, names, stats, timeline
from .forms import FilterForm, MeTooForm, SimilarForm
from .fulltext import public_search
from .public import detail_requests, plain, public_requests, stored_request_form
from .similar import find_similar
from .views import map_settings

PAGE_SIZE = 20
MAP_LIMIT = 1000


def _filter_form(request) -> FilterForm:
    categories = Category.objects.filter(level=1).values_list("code", "name")
    units = Unit.objects.order_by("path").values_list("code", "name")
    statuses = [(v, label) for v, label in STATE_CHOICES if v in disclosure.public_states()]
    months = [(m, m) for m in stats.recent_months(24)]
    return FilterForm(
        request.GET or None, categories=categories, units=units, statuses=statuses, months=months
    )


def filtered(request):
    """(form, queryset, tiers) for the list and the map, from the query string; ``tiers``: the same
    rows split by relevance, best first, when a search ranks them (``fulltext.Search``), else ()."""
    form = _filter_form(request)
    qs = public_requests()
    if not form.is_valid():
        return form, qs, ()
    data = form.cleaned_data
    if data["category"]:
        root = Category.objects.filter(code=data["category"]).first()
        if root:
            qs = qs.filter(
                category_id__in=list(
                    Category.objects.filter(_category_subtree(root)).values_list("id", flat=True)
                )
            )
    if data["unit"]:
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit:
            # ids, not a join on the path, so the (unit, state) index serves the query
            qs = qs.filter(
                unit_id__in=list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
            )
    if data["status"]:
        qs = qs.filter(state=data["status"])
    if data["month"]:
        try:
            qs = qs.filter(received_at__range=stats.month_bounds(data["month"]))
        except ValueError:
            pass
    if not data["q"]:
        return form, qs, ()
    found = public_search(qs, data["q"])  # last: its tiers are built on the other filters
    return form, found.qs, found.tiers


def _category_subtree(root) -> Q:
    """The catalogue has three levels, so a root's subtree is three joins, not a recursive query."""
    return Q(id=root.id) | Q(parent_id=root.id) | Q(parent__parent_id=root.id)


LIST_ORDER = keyset.keys("-received_at", "-id")


def request_list(request):
    """Newest first (a search: the best tier first), paged by keyset (``?after=``): no OFFSET, no COUNT."""
    form, qs, tiers = filtered(request)
    page = keyset.KeysetPage(
        qs.select_related("category", "unit"),
        LIST_ORDER,
        PAGE_SIZE,
        request.GET,
        scope="portal-list",
        segments=[tier.select_related("category", "unit") for tier in tiers],
    )
    rows = page.object_list
    counts = actions.counts_for(r.pk for r in rows)
    for row in rows:
        row.me_too_count = counts.get(row.pk, 0)
    query = request.GET.copy()
    for name in ("page", keyset.CURSOR_PARAM):
        query.pop(name, None)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "searching": bool(request.GET.get("q")),
    }
    return render(request, "portal/list.html", context)


def request_map(request):
    form, qs, _tiers = filtered(request)
    rows = qs.filter(lat__isnull=False, lon__isnull=False).only(
        "reference", "title", "public_title", "lat", "lon", "state"
    )
    labels = dict(STATE_CHOICES)
    points = []
    for r in rows[:MAP_LIMIT]:
        # Rounded to about 100 m: a marker shows the street, not the doorstep.
        lat, lon = public_point(r.lat, r.lon)
        points.append(
            {
                "lat": lat,
                "lon": lon,
                "title": for_reader(plain(stored_request_form(r, "public_title"))),
                "url": reverse("portal:detail", args=[r.reference]),
                "status": str(labels.get(r.state, "")),
            }
        )
    query = request.GET.urlencode()
    return render(
        request,
        "portal/map.html",
        {"form": form, "points": points, "limit": MAP_LIMIT, "map": map_settings(), "query": query},
    )


# What the detail page does not read: the raw text (it shows the stored forms: ``public.stored_request_form``
# reads the text only for a row written before them) and the search columns.
DETAIL_DEFERRED = ("text", "public_text", "search_words")


def request_detail(request, reference):
    """A request's public page. A miss of the page cache costs four queries: the request, its "me too"
    count, its timeline and its replies; unit and category names come from ``names`` (kept per process),
    the texts from the stored public forms."""
    req = get_object_or_404(detail_requests().defer(*DETAIL_DEFERRED), reference=reference)
    if req.kind == "report":  # belt and braces: never public
        raise Http404(_("No such request"))
    lead = None
    if req.state == "merged" and req.merged_into_id:
        lead = Request.objects.only("reference").filter(pk=req.merged_into_id).first()
    context = {
        "req": req,
        "lead": lead,
        "steps": timeline.steps(req),
        "category_name": names.category_full_name(req.category_id),
        "unit_name": names.unit_name(req.unit_id),
        "replies": [(reply, names.unit_name(reply.unit_id)) for reply in req.replies.defer("text", "author")],
        "me_too_open": disclosure.is_listed(req),
        "me_too_count": actions.count_for(req),
        "me_too_form": MeTooForm(auto_id="me_too_%s"),
    }
    return render(request, "portal/detail.html", context)


# --- "me too" (我也遇到) ----------------------------------------------------------------------------------

PERSON_COOKIE = "massline_person"
PERSON_SALT = "massline.portal.person"
PERSON_MAX_AGE = 365 * 24 * 3600
DEFAULT_ME_TOO_RATE = "30/3600"  # "me too"s per client address (MASSLINE_ME_TOO_RATE)


def _person_key(request) -> tuple[str, bool]:
    """(the person's random key, whether it is new): kept in a signed cookie, as the consultations do."""
    key = request.get_signed_cookie(PERSON_COOKIE, default="", salt=PERSON_SALT, max_age=PERSON_MAX_AGE)
    return (key, False) if key else (secrets.token_urlsafe(18), True)


def _refused(request, email: str):
    """The 429 answer when this address said "me too" too often, or this e-mail got too many links."""
    setting = "MASSLINE_ME_TOO_RATE"
    wait = hit(
        "me-too", client_ip(request), Rate.parse(getattr(settings, setting, DEFAULT_ME_TOO_RATE), setting)
    )
    if wait is None and email:
        setting = "MASSLINE_SUBSCRIBE_EMAIL_RATE"
        rate = Rate.parse(getattr(settings, setting, DEFAULT_EMAIL_RATE), setting)
        wait = hit("subscribe-email", hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32], rate)
    if wait is None:
        return None
    return too_many(request, wait, _("Too many “me too”s were sent from your address."))


@require_http_methods(["GET", "POST"])
def me_too(request, reference):
    """POST: count this person once on a listed request (and subscribe them if they gave an e-mail).
    A GET (a link followed by hand or by a crawler) goes back to the request's page."""
    req = get_object_or_404(detail_requests(), reference=reference)
    page = reverse("portal:detail", args=[req.reference]) + "#me-too"
    if request.method == "GET":
        return redirect(page)
    form = MeTooForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(page)
    email = form.cleaned_data["email"] or ""
    refused = _refused(request, email)
    if refused:
        return refused
    key, new = _person_key(request)
    try:
        outcome = actions.me_too(req, key, email, language=translation.get_language())
    except (actions.MeTooError, SubscriptionError) as exc:
        messages.error(request, str(exc))
        return redirect(page)
    if outcome.counted and outcome.count == 1:
        messages.success(request, _("Thank you. You are the first to say this concerns you too."))
    elif outcome.counted:
        text = _("Thank you. %(n)s people have this problem, you included.")  # n ≥ 2 here
        messages.success(request, text % {"n": outcome.count})
    else:
        messages.info(request, _("You have already said this concerns you too; it is counted once."))
    if outcome.subscribed:
        messages.info(request, _("We sent a confirmation link to %(email)s.") % {"email": email.lower()})
    response = redirect(page)
    if new:
        response.set_signed_cookie(
            PERSON_COOKIE, key, salt=PERSON_SALT, max_age=PERSON_MAX_AGE, httponly=True, samesite="Lax"
        )
    return response


# --- similar requests, while submitting -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def similar_requests(request):
    """An HTML fragment for the submit form's script: up to five public requests near the place or
    similar in text, each linking to its page to say "me too". Bad input: a 400 with the reason.

    The form's script POSTs (with the form's CSRF token), so that what someone is typing never lands in
    a URL, and so in no access log or proxy; GET with the same parameters serves other clients."""
    form = SimilarForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return render(request, "portal/_similar.html", {"errors": errors}, status=400)
    data = form.cleaned_data
    matches = find_similar(data["text"] or "", data["lat"], data["lon"])
    response = render(request, "portal/_similar.html", {"matches": matches})
    response["X-Robots-Tag"] = "noindex"
    return response
