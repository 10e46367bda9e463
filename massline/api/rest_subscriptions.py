"""Subscriptions: follow a public request (or the new requests of an area and/or category) by e-mail, with
the portal's double opt-in (``subscriptions.actions``): the answer to asking is the same whether or not the
address already follows, nothing is sent before the address confirms through the link it is e-mailed, and
each e-mail carries a stop link. Asking is throttled like the portal's form (per client address and per
e-mail address, the same counters). No key is needed: the links are the credentials."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from massline.security.client import client_ip
from massline.security.throttle import Rate, hit
from massline.subscriptions import actions
from massline.subscriptions.actions import SubscriptionError
from massline.workflow.models import Category, Unit

from . import schemas as s
from .errors import ApiError, json_response

router = Router(tags=["subscriptions"])

# The portal's limits (massline/subscriptions/views.py), under the same names and counters.
FOLLOW_RATE = ("MASSLINE_SUBSCRIBE_RATE", "20/3600", "subscribe")
EMAIL_RATE = ("MASSLINE_SUBSCRIBE_EMAIL_RATE", "10/86400", "subscribe-email")
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class FollowIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    reference: str | None = Field(None, max_length=24, description="a public request's reference")
    unit: str | None = Field(
        None, max_length=40, description="an area: a unit code (with the units below it)"
    )
    category: str | None = Field(None, max_length=40, description="a category code (with its sub-categories)")
    language: str | None = Field(
        None, description=f"the e-mails' language: one of {', '.join(LANGUAGES)} (default: Accept-Language)"
    )

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and value not in LANGUAGES:
            raise ValueError(f"one of {', '.join(LANGUAGES)}")
        return value


class AskedOut(Schema):
    detail: str
    following: str = Field(description="what the confirmation e-mail asks to follow")


class ConfirmedOut(Schema):
    following: str
    stop_url: str = Field(description="the link that ends this subscription (also in every e-mail)")


class StoppedOut(Schema):
    stopped: bool = Field(description="false when the link had already been used")
    following: str | None


def _throttle(request, email: str | None = None) -> HttpResponse | None:
    """The 429 answer (with Retry-After) when this client, or this e-mail address, asked too often."""
    setting, default, scope = FOLLOW_RATE if email is None else EMAIL_RATE
    key = (
        client_ip(request)
        if email is None
        else hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    )
    wait = hit(scope, key, Rate.parse(getattr(settings, setting, default), setting))
    if wait is None:
        return None
    detail = "too many requests to follow were sent from your address or to this e-mail address"
    response = json_response({"detail": detail, "code": "throttled"}, 429)
    response["Retry-After"] = str(wait)
    return response


def _target(body: FollowIn) -> dict:
    if body.reference:
        try:
            return {"request": actions.followable(body.reference)}
        except SubscriptionError as exc:
            raise ApiError(404, str(exc), "not_found") from exc
    found: dict = {}
    if body.unit:
        found["unit"] = Unit.objects.filter(code=body.unit).first()
        if found["unit"] is None:
            raise ApiError(422, f"unit: no unit has the code {body.unit!r}", "unknown_unit")
    if body.category:
        found["category"] = Category.objects.filter(code=body.category).first()
        if found["category"] is None:
            raise ApiError(422, f"category: no category has the code {body.category!r}", "unknown_category")
    return found


@router.post(
    "",
    response={202: AskedOut, **s.PUBLIC_ERRORS},
    summary="Ask to follow a request, or an area and category, by e-mail",
)
def follow(request, body: FollowIn):
    """Sends a confirmation e-mail (valid 7 days); nothing else is sent before the address confirms. Give
    ``reference``, or ``unit`` and/or ``category``."""
    if (refused := _throttle(request)) is not None:
        return refused
    if body.reference and (body.unit or body.category):
        raise ApiError(422, "follow either a request or an area and category, not both", "invalid_request")
    target = _target(body)
    if (refused := _throttle(request, body.email)) is not None:
        return refused
    try:
        sub = actions.ask_to_follow(body.email, language=body.language, **target)
    except SubscriptionError as exc:
        raise ApiError(422, str(exc), "invalid_request") from exc
    with translation.override(sub.language):
        following = actions.what_is_followed(sub)
    return Status(
        202,
        {
            "detail": "if this address can receive e-mail, a confirmation link is on its way (valid 7 days)",
            "following": following,
        },
    )


@router.post(
    "/confirm/{token}",
    response={200: ConfirmedOut, **s.PUBLIC_ERRORS},
    summary="Confirm a subscription (the token of the e-mailed link)",
)
def confirm(request, token: str):
    """The token is the last part of the confirmation link (``/follow/confirm/<token>/``). Confirming twice is
    harmless. An expired or forged token is a 404."""
    try:
        sub = actions.confirm(token[:300])
    except SubscriptionError as exc:
        raise ApiError(404, str(exc), "not_found") from exc
    return {"following": actions.what_is_followed(sub), "stop_url": actions.stop_url(sub)}


@router.delete(
    "/{token}",
    response={200: StoppedOut, **s.READ_ERRORS},
    summary="Stop a subscription (the token of its stop link)",
)
def stop(request, token: str):
    """The token is the last part of the stop link (``/follow/stop/<token>/``) in every e-mail. Stopping twice
    is harmless: the second answer says ``stopped: false``."""
    sub = actions.stop(token[:300])
    return {"stopped": sub is not None, "following": actions.what_is_followed(sub) if sub else None}
