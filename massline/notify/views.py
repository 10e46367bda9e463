"""One-click unsubscribe (RFC 8058): the link in every e-mail, and the POST that mail programs send."""

from __future__ import annotations

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Suppression


@csrf_exempt  # mail programs POST "List-Unsubscribe=One-Click" without a CSRF token; the signed link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        address = signing.loads(token, salt="massline.notify.unsubscribe")
    except signing.BadSignature as exc:
        raise Http404("this unsubscribe link is not valid") from exc
    done = False
    if request.method == "POST":
        Suppression.objects.get_or_create(address=str(address), defaults={"created_at": timezone.now()})
        done = True
    else:
        done = Suppression.objects.filter(address=str(address)).exists()
    return render(request, "notify/unsubscribe.html", {"address": address, "done": done})
