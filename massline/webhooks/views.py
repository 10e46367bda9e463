"""The webhooks page of the operator console (admin role): subscriptions, a form to add one, switches,
a new secret, and the delivery log. Views parse and call ``webhooks.actions``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.console.actions import ConsoleActor, ConsoleError
from massline.console.views import SECTIONS
from massline.workbench.access import ADMIN, staff_required

from . import actions
from .forms import SubscriptionForm
from .models import WebhookDelivery, WebhookSubscription

LOG_ROWS = 50


def _actor(request) -> ConsoleActor:
    try:
        return ConsoleActor.of(request.user)
    except ConsoleError:
        raise PermissionDenied from None


@staff_required(ADMIN)
def webhooks(request):
    actor = _actor(request)
    form = SubscriptionForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            sub, secret = actions.create_subscription(
                actor,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ConsoleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            new_secret = (sub.name, secret)
            form = SubscriptionForm()
    return _page(request, form, new_secret)


def _page(request, form, new_secret: tuple[str, str] | None = None):
    log = WebhookDelivery.objects.select_related("subscription", "request")
    shown = request.GET.get("webhook", "")
    if shown:
        log = log.filter(subscription__name=shown)
    context = {
        "subscriptions": WebhookSubscription.objects.all(),
        "form": form,
        "new_secret": new_secret,
        "log": log[:LOG_ROWS],
        "shown": shown,
        "nav": "console",
        "sections": SECTIONS.values(),
        "tab": "webhooks",
    }
    return render(request, "webhooks/webhooks.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required(ADMIN)
def change(request, pk: int, change: str):
    sub = get_object_or_404(WebhookSubscription, pk=pk)
    actor = _actor(request)
    if change == "switch":
        actions.update_subscription(actor, sub, active=not sub.active)
        messages.success(request, _("Switched off.") if sub.active else _("Switched on."))
    elif change == "secret":
        # shown in the page, never put in a message (messages may travel in a cookie)
        secret = actions.update_subscription(actor, sub, rotate_secret=True) or ""
        return _page(request, SubscriptionForm(), (sub.name, secret))
    elif change == "delete":
        actions.delete_subscription(actor, sub)
        messages.success(request, _("Deleted."))
    else:
        raise Http404("no such change")
    return redirect("webhooks:list")
