"""The portal's writers: "me too" (我也遇到) on a public request.

A "me too" changes nothing of the request itself (no state, no version, no audit event of the request's
road); it is a row beside it, counted on the public pages and in the heat of hot issues
(``workbench.hot``). Only listed requests take one (``workflow.disclosure``: never a misconduct report, a
held, merged or rejected request). Whoever also wants to be kept informed is subscribed to the request
through the subscriptions app, with its double opt-in: nothing is sent before they confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from massline.subscriptions import actions as subscriptions
from massline.workflow import disclosure
from massline.workflow.models import Request

from .models import MeToo

KEY_SALT = "massline.portal.me-too"


class MeTooError(ValueError):
    """Refused input; the message is for the person who gave it (in their language)."""


@dataclass(frozen=True)
class MeTooOutcome:
    counted: bool  # False: this person had already said so (nothing new was counted)
    subscribed: bool  # a confirmation e-mail was asked for
    count: int  # the request's "me too"s after this one


def hashed_key(cookie_key: str) -> str:
    """What is stored of a person's cookie key: a keyed hash, useless without the site's secret."""
    return salted_hmac(KEY_SALT, cookie_key, algorithm="sha256").hexdigest()


def count_for(req: Request) -> int:
    return MeToo.objects.filter(request=req).count()


def counts_for(request_ids=None, received_since=None) -> dict[int, int]:
    """{request id: number of "me too"s} in one query (requests without any are left out): of the given
    requests, or of every request received since a moment (no long list of ids for the hot issues)."""
    qs = MeToo.objects.all()
    if request_ids is not None:
        qs = qs.filter(request_id__in=list(request_ids))
    if received_since is not None:
        qs = qs.filter(request__received_at__gte=received_since)
    rows = qs.values("request_id").annotate(n=Count("id")).values_list("request_id", "n")
    return dict(rows)


def me_too(
    req: Request, cookie_key: str, email: str = "", language: str | None = None, now=None
) -> MeTooOutcome:
    """Count this person once on ``req`` and, if they gave an e-mail address, ask to subscribe them.

    A second "me too" from the same key counts nothing (``counted`` False) but still honours a newly given
    e-mail address. Bad input (an unlisted request, a bad address, no key) changes nothing."""
    if not disclosure.is_listed(req):
        raise MeTooError(_("This request cannot take a “me too”: it is not public."))
    if not cookie_key:
        raise MeTooError(_("We could not tell who you are: please allow cookies and try again."))
    email = (email or "").strip()
    if email:
        email = subscriptions.clean_email(email)  # raises SubscriptionError with a translated message
    now = now or timezone.now()
    with transaction.atomic():
        counted = True
        try:
            with transaction.atomic():
                MeToo.objects.create(
                    request=req, created_at=now, email=email, client_key=hashed_key(cookie_key)
                )
        except IntegrityError:
            counted = False
            if email:
                MeToo.objects.filter(request=req, client_key=hashed_key(cookie_key), email="").update(
                    email=email
                )
        subscribed = False
        if email:
            subscriptions.ask_to_follow(email, request=req, language=language, now=now)
            subscribed = True
    return MeTooOutcome(counted=counted, subscribed=subscribed, count=count_for(req))
