"""Public pages to follow a request or an area and category by e-mail, confirm, and stop.

Asking to follow is throttled per client address (``MASSLINE_SUBSCRIBE_RATE``) and per e-mail address
(``MASSLINE_SUBSCRIBE_EMAIL_RATE``: how many confirmation e-mails one address can be sent), so that the form
cannot be used to flood somebody's inbox."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from massline.security.client import client_ip
from massline.security.throttle import Rate, hit, too_many
from massline.workflow.excerpt import requester_names
from massline.workflow.redaction import redact_public

from . import actions
from .forms import FollowAreaForm, FollowRequestForm

DEFAULT_RATE = "20/3600"  # follow requests per client address
DEFAULT_EMAIL_RATE = "10/86400"  # confirmation e-mails per e-mail address


def _throttle(request, email: str | None = None):
    """The 429 answer when this client, or this e-mail address, has asked too often; else None."""
    if email is None:
        setting, default, scope, key = (
            "MASSLINE_SUBSCRIBE_RATE",
            DEFAULT_RATE,
            "subscribe",
            client_ip(request),
        )
    else:
        setting, default, scope = "MASSLINE_SUBSCRIBE_EMAIL_RATE", DEFAULT_EMAIL_RATE, "subscribe-email"
        key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    wait = hit(scope, key, Rate.parse(getattr(settings, setting, default), setting))
    if wait is None:
        return None
    return too_many(
        request, wait, _("Too many requests to follow were sent from your address or to this e-mail address.")
    )


def _sent(request, sub):
    return render(
        request, "subscriptions/sent.html", {"email": sub.email, "what": actions.what_is_followed(sub)}
    )


@require_http_methods(["GET", "POST"])
def follow_request(request, reference: str):
    try:
        req = actions.followable(reference)
    except actions.SubscriptionError as exc:
        raise Http404(str(exc)) from None
    form = FollowRequestForm(request.POST or None)
    if request.method == "POST":
        refused = _throttle(request)
        if refused:
            return refused
        if form.is_valid():
            refused = _throttle(request, form.cleaned_data["email"])
            if refused:
                return refused
            sub = actions.ask_to_follow(form.cleaned_data["email"], request=req)
            return _sent(request, sub)
    title = redact_public(req.title, requester_names(req))
    status = 400 if form.errors else 200
    return render(
        request,
        "subscriptions/follow_request.html",
        {"req": req, "title": title, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def follow_area(request):
    if request.method == "POST":
        refused = _throttle(request)
        if refused:
            return refused
        form = FollowAreaForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            refused = _throttle(request, data["email"])
            if refused:
                return refused
            sub = actions.ask_to_follow(data["email"], unit=data["unit_obj"], category=data["category_obj"])
            return _sent(request, sub)
    else:
        initial = {
            "area": request.GET.get("area") or request.GET.get("unit") or "",
            "category": request.GET.get("category", ""),
        }
        form = FollowAreaForm(initial=initial)
    status = 400 if form.errors else 200
    return render(request, "subscriptions/follow_area.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows what is to be confirmed and a button (mail scanners that open links confirm nothing)."""
    if request.method == "POST":
        try:
            confirmed = actions.confirm(token)
        except actions.SubscriptionError as exc:
            return render(request, "subscriptions/invalid.html", {"message": str(exc)}, status=400)
        context = {
            "sub": confirmed,
            "what": actions.what_is_followed(confirmed),
            "stop_url": actions.stop_url(confirmed),
        }
        return render(request, "subscriptions/confirmed.html", context)
    sub = actions.pending_by_token(token)
    if sub is None:
        message = _(
            "This confirmation link is not valid any more (it works for 7 days). Ask to follow again."
        )
        return render(request, "subscriptions/invalid.html", {"message": message}, status=400)
    return render(request, "subscriptions/confirm.html", {"sub": sub, "what": actions.what_is_followed(sub)})


@require_http_methods(["GET", "POST"])
def stop(request, token: str):
    if request.method == "POST":
        sub = actions.stop(token)
        return render(
            request, "subscriptions/stopped.html", {"what": actions.what_is_followed(sub) if sub else ""}
        )
    sub = actions.by_stop_token(token)
    if sub is None:
        return render(request, "subscriptions/stopped.html", {"what": ""})
    return render(request, "subscriptions/stop.html", {"sub": sub, "what": actions.what_is_followed(sub)})
