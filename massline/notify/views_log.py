"""The notification delivery log in the operator console (admins): every message, its status, attempts
and last error, filterable by status, and a button that sends a failed one again.

Messages about misconduct reports are left out: their recipients and references would tell an admin that
a report exists (the discipline role alone knows)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.core.workflow import REPORT_KIND
from massline.workbench.access import ADMIN, staff_required

from .models import Message

LOG_ROWS = 100


def _visible():
    return Message.objects.exclude(request__kind=REPORT_KIND)


@staff_required(ADMIN)
def delivery_log(request):
    from massline.console.views import SECTIONS

    rows = _visible().select_related("request")
    status = request.GET.get("status", "")
    if status in Message.Status.values:
        rows = rows.filter(status=status)
    counts = dict(_visible().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    context = {
        "rows": rows[:LOG_ROWS],
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Message.Status.choices],
        "nav": "console",
        "sections": SECTIONS.values(),
        "tab": "messages",
    }
    return render(request, "notify/delivery_log.html", context)


@require_POST
@staff_required(ADMIN)
def send_again(request, pk: int):
    from .tasks import send_message

    msg = get_object_or_404(_visible(), pk=pk, status=Message.Status.FAILED)
    Message.objects.filter(pk=msg.pk, status=Message.Status.FAILED).update(
        status=Message.Status.RETRY, next_attempt_at=timezone.now(), attempts=0
    )
    send_message.delay(msg.pk)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifylog:delivery_log")
