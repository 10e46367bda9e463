"""The Open311 queue for staff (/staff/open311/, dispatchers and administrators): the endpoints with their
figures, deliveries that failed or wait, with a retry button, and the latest updates read back."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.workbench.access import ADMIN, DISPATCHER, staff_required

from . import actions
from .metrics import figures
from .models import Delivery, ReceivedUpdate

ROWS = 100


@staff_required(DISPATCHER, ADMIN)
def queue(request):
    waiting = [Delivery.State.FAILED, Delivery.State.PENDING, Delivery.State.SENDING]
    deliveries = (
        Delivery.objects.filter(state__in=waiting)
        .select_related("endpoint", "request")
        .order_by("state", "-created_at", "-id")[:ROWS]
    )
    updates = ReceivedUpdate.objects.select_related("delivery__endpoint", "delivery__request").order_by(
        "-received_at", "-id"
    )[:20]
    context = {"figures": figures(), "deliveries": deliveries, "updates": updates, "nav": "open311"}
    return render(request, "open311out/queue.html", context)


@require_POST
@staff_required(DISPATCHER, ADMIN)
def retry(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    if actions.retry(delivery):
        messages.success(request, _("Sending again."))
    else:
        messages.info(request, _("This delivery was already sent."))
    return redirect("open311out:queue")
