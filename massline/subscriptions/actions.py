"""The writers of subscriptions: ask to follow (a confirmation e-mail), confirm, stop; and what a confirmed
follower is sent (through notify's outbox, in the change's transaction).

Privacy: a follower learns nothing a public page would not show. Only listed requests (``disclosure``) are
followed or announced, every text is redacted (``workflow.redaction``) and cut only afterwards, and a
misconduct report never produces a message. An address gets nothing before it confirms (double opt-in),
and every e-mail carries this subscription's own stop link besides notify's one-click unsubscribe.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from massline.core.workflow import REPORT_KIND
from massline.notify import outbox
from massline.notify.compose import Draft, register_texts, site_url
from massline.notify.models import Message, Suppression
from massline.workflow import disclosure, events
from massline.workflow.events import RequestEvent
from massline.workflow.excerpt import requester_names
from massline.workflow.models import Category, Reply, Request, Unit
from massline.workflow.redaction import redact_public

from . import areas
from .models import Subscription
from .texts import TEXTS

FOLLOWER = "follower"  # notify's Message.audience
CONFIRM_SALT = "massline.subscriptions.confirm"
STOP_SALT = "massline.subscriptions.stop"
CONFIRM_DAYS = 7
# What a follower of a request hears of, by audit action (the requester hears more: see notify.compose).
FOLLOWER_TEMPLATES = {
    "dispatch": "follow_dispatched",
    "reply": "follow_replied",
    "follow_up_unsolved": "follow_reopened",
    "follow_up_solved": "follow_closed",
}


class SubscriptionError(ValueError):
    """Refused input; the message is for the person who gave it (in their language)."""


# --- links --------------------------------------------------------------------------------------------


def _token(sub: Subscription, salt: str) -> str:
    return signing.dumps([sub.pk, sub.secret], salt=salt)


def confirm_url(sub: Subscription) -> str:
    return site_url(reverse("subscriptions:confirm", args=[_token(sub, CONFIRM_SALT)]))


def stop_url(sub: Subscription) -> str:
    return site_url(reverse("subscriptions:stop", args=[_token(sub, STOP_SALT)]))


def _by_token(token: str, salt: str, max_age: timedelta | None = None) -> Subscription | None:
    """The subscription a signed link names, or None (forged, expired, or already stopped)."""
    try:
        pk, secret = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (
        Subscription.objects.select_related("request", "unit", "category")
        .filter(pk=pk, secret=secret)
        .first()
    )


def pending_by_token(token: str) -> Subscription | None:
    return _by_token(token, CONFIRM_SALT, timedelta(days=CONFIRM_DAYS))


def by_stop_token(token: str) -> Subscription | None:
    return _by_token(token, STOP_SALT)


# --- input --------------------------------------------------------------------------------------------


def clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SubscriptionError(_("Enter a valid e-mail address.")) from None
    return email


def followable(reference: str) -> Request:
    """A request the public may follow: a listed one (never a misconduct report, a merged duplicate, a
    rejected or held request)."""
    req = disclosure.listed().select_related("unit").filter(reference=(reference or "").strip()).first()
    if req is None:
        raise SubscriptionError(_("This request cannot be followed: it is not public."))
    return req


def what_is_followed(sub: Subscription) -> str:
    """In words, in the active language."""
    if sub.request is not None:
        return _("request %(reference)s") % {"reference": sub.request.reference}
    return _("new requests: %(what)s") % {"what": areas.describe(sub.unit, sub.category)}


# --- the writers --------------------------------------------------------------------------------------


def _enqueue_on_commit(keys: list[str]) -> None:
    def relay() -> None:
        outbox.enqueue(list(Message.objects.filter(key__in=keys).values_list("pk", flat=True)))

    transaction.on_commit(relay)


@transaction.atomic
def ask_to_follow(
    email: str,
    *,
    request: Request | None = None,
    unit: Unit | None = None,
    category: Category | None = None,
    language: str | None = None,
    now=None,
) -> Subscription:
    """Record an unconfirmed subscription and send the confirmation e-mail (relayed after the commit). An
    address that already follows the target is sent nothing more. The answer is the same either way, so
    that nobody learns what an address follows."""
    email = clean_email(email)
    if request is not None and (unit is not None or category is not None):
        raise SubscriptionError(_("Follow either a request or an area and category, not both."))
    if request is None and unit is None and category is None:
        raise SubscriptionError(_("Choose an area, a category, or both."))
    if request is not None and not disclosure.is_listed(request):
        raise SubscriptionError(_("This request cannot be followed: it is not public."))
    now = now or timezone.now()
    language = language or translation.get_language() or "en"
    target = Subscription.target_of(
        request.pk if request else None, unit.pk if unit else None, category.pk if category else None
    )
    sub, created = Subscription.objects.get_or_create(
        email=email,
        target=target,
        defaults={
            "language": language,
            "request": request,
            "unit": unit,
            "category": category,
            "created_at": now,
        },
    )
    if sub.confirmed:
        return sub
    if not created:  # asked again: a fresh link, in the language asked in this time
        Subscription.objects.filter(pk=sub.pk).update(language=language, created_at=now)
        sub.language, sub.created_at = language, now
    with translation.override(language):
        context = {"topic": what_is_followed(sub), "confirm_url": confirm_url(sub)}
    draft = Draft("email", email, FOLLOWER, language, "follow_confirm", context)
    origin = f"follow-confirm{sub.pk}:{now.timestamp():.6f}"
    outbox.write([draft], origin, request.pk if request else None)
    _enqueue_on_commit([outbox.message_key(draft, origin)])
    return sub


@transaction.atomic
def confirm(token: str, now=None) -> Subscription:
    """Start the e-mails of the subscription a confirmation link names (confirming twice is harmless)."""
    sub = pending_by_token(token)
    if sub is None:
        raise SubscriptionError(
            _("This confirmation link is not valid any more (it works for 7 days). Ask to follow again.")
        )
    if sub.request is not None and not disclosure.is_listed(sub.request):
        raise SubscriptionError(_("This request cannot be followed: it is not public."))
    if not sub.confirmed:
        sub.confirmed_at = now or timezone.now()
        # an area follower hears of requests that arrive from now on
        sub.last_request_id = Request.objects.aggregate(top=Max("pk"))["top"] or 0
        sub.save(update_fields=["confirmed_at", "last_request_id"])
    return sub


@transaction.atomic
def stop(token: str) -> Subscription | None:
    """End the subscription a stop link names; None if it had already ended."""
    sub = by_stop_token(token)
    if sub is not None:
        Subscription.objects.filter(pk=sub.pk).delete()
    return sub


# --- followers of a request hear of its public steps ---------------------------------------------------


def request_context(sub: Subscription, req: Request, reply: Reply | None) -> dict[str, str]:
    """What a follower's e-mail says of a request: public and redacted, in the follower's language."""
    names = requester_names(req)
    with translation.override(sub.language):
        return {
            "reference": req.reference or "",
            "title": redact_public(req.title, names),
            "unit": req.unit.name if req.unit else "–",
            "page_url": site_url(reverse("portal:detail", args=[req.reference])),
            "stop_url": stop_url(sub),
            "reply": redact_public(reply.text, names) if reply else "",
        }


def write_follower_messages(event: RequestEvent) -> None:
    """In the change's transaction (an outbox writer): one e-mail per confirmed follower of the request."""
    template = FOLLOWER_TEMPLATES.get(event.action)
    if template is None or event.kind == REPORT_KIND or not outbox.enabled():
        return
    subs = list(Subscription.objects.filter(request_id=event.request_id, confirmed_at__isnull=False))
    if not subs:
        return
    req = Request.objects.select_related("unit").filter(pk=event.request_id).first()
    if req is None or not disclosure.is_listed(req):
        return
    reply = None
    if template == "follow_replied":
        reply = Reply.objects.filter(request_id=req.pk).order_by("-created_at", "-id").first()
    drafts = [
        Draft("email", sub.email, FOLLOWER, sub.language, template, request_context(sub, req, reply))
        for sub in subs
    ]
    outbox.write(drafts, f"follow:audit{event.audit_id}", req.pk, event.audit_id)


def purge(now=None) -> int:
    """Forget unconfirmed subscriptions older than the confirmation link, and every subscription of an
    address that asked for no more e-mails (notify's one-click unsubscribe)."""
    now = now or timezone.now()
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(days=CONFIRM_DAYS)
    )
    suppressed = Subscription.objects.filter(email__in=Suppression.objects.values("address"))
    return stale.delete()[0] + suppressed.delete()[0]


def connect() -> None:
    register_texts(TEXTS)
    events.subscribe(write_follower_messages, phase="atomic")
