"""Public portal pages: home, submit → receipt → tracking (with the follow-up), privacy.

Views validate and call actions (``submit_request``, the registry's ``follow_up``); they never write models
themselves, apart from storing the already-cleaned photo of a request they just created.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from massline.core.workflow import ConflictError, WorkflowError
from massline.intake.actions import IntakeError, submit_request
from massline.workflow import disclosure, registry
from massline.workflow.actions import ActionInput, Actor
from massline.workflow.models import Reply, Request

from . import stats, timeline
from .forms import FollowUpForm, SubmitForm
from .photos import attach_photo
from .public import public_requests


def map_settings() -> dict:
    """What the map scripts need: the tile URL template, its attribution and the centre."""
    lat, lon = settings.MASSLINE_MAP_CENTER
    url = settings.MASSLINE_TILE_URL
    default = "© OpenStreetMap contributors" if "openstreetmap" in url else ""
    attribution = getattr(settings, "MASSLINE_TILE_ATTRIBUTION", default)
    return {"tile_url": url, "center": [lat, lon], "attribution": attribution}


def home(request):
    replies = stats.cached(
        "portal:latest-replies",
        lambda: list(
            Reply.objects.filter(request__in=public_requests())
            .select_related("request", "unit")
            .order_by("-created_at", "-id")[:5]
        ),
        seconds=60,
    )
    return render(request, "portal/home.html", {"replies": replies, "headline": stats.headline()})


def privacy(request):
    return render(request, "portal/privacy.html")


@require_http_methods(["GET", "POST"])
def submit(request):
    form = SubmitForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "complaint")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                req = submit_request(
                    channel="web",
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    address=data["address"],
                    lat=data["lat"],
                    lon=data["lon"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    anonymous=data["anonymous"],
                )
                if data.get("photo"):
                    attach_photo(req, data["photo"])
        except IntakeError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("portal:receipt", token=req.tracking_token)
    return render(request, "portal/submit.html", {"form": form, "map": map_settings()})


def _by_token(token: str) -> Request:
    return get_object_or_404(Request.objects.select_related("unit", "category"), tracking_token=token)


@never_cache
def receipt(request, token):
    req = _by_token(token)
    link = request.build_absolute_uri(reverse("portal:track", args=[req.tracking_token]))
    return render(request, "portal/receipt.html", {"req": req, "tracking_url": link})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request, token):
    """The requester's private page: the whole timeline, the replies and the follow-up form."""
    req = _by_token(token)
    form = None
    if "follow_up" in registry.available(req, Actor.requester().roles):
        form = FollowUpForm(request.POST or None, initial={"version": req.version})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                inp = ActionInput(
                    solved=data["solved"],
                    satisfaction=data["satisfaction"],
                    comment=data["comment"],
                    expected_version=data["version"],
                )
                registry.perform("follow_up", req, Actor.requester(), inp)
            except ConflictError:
                messages.error(
                    request, _("This request changed while you were answering. Please look again and retry.")
                )
            except WorkflowError as exc:
                messages.error(request, _("Your answer could not be recorded: %(reason)s") % {"reason": exc})
            else:
                messages.success(request, _("Thank you. Your answer has been recorded."))
            return redirect("portal:track", token=token)
    elif request.method == "POST":
        messages.error(request, _("This request is not waiting for your answer any more."))
        return redirect("portal:track", token=token)
    context = {
        "req": req,
        "steps": timeline.steps(req, private=True),
        "replies": req.replies.select_related("unit"),
        "photos": req.attachments.count(),
        "form": form,
        "public": disclosure.is_listed(req),
    }
    return render(request, "portal/track.html", context)
