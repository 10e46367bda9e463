"""Intake (受理): every channel ends in ``submit_request``."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from massline.core.routing import Suggestion, confident
from massline.core.text.invisible import strip_invisible
from massline.core.workflow import WorkflowError
from massline.workflow.actions import Actor, compute_deadlines, do_dispatch
from massline.workflow.audit import write_audit
from massline.workflow.models import CHANNELS, KINDS, URGENCY_CHOICES, Category, Request

from . import routing

log = logging.getLogger(__name__)

MAX_TITLE, MAX_TEXT = 200, 20000
# The years a request may be dated in. Python's datetime ends at years 1 and 9999, and a date near
# either end overflows once it is moved to UTC or has a deadline added; no hotline's record is older.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
_KINDS = {k for k, _ in KINDS}
_CHANNELS = {c for c, _ in CHANNELS}
_URGENCIES = {u for u, _ in URGENCY_CHOICES}
DEFERRED = "deferred"  # the submit event's data["routing"] when routing waits for the worker


class IntakeError(ValueError):
    """A request that cannot be accepted, with a message for the person submitting it."""


def _clean(value: str, limit: int, what: str) -> str:
    """Without NUL, bidi controls or zero-width characters (what readers cannot see is not kept), then
    within ``limit``."""
    value = strip_invisible((value or "").replace("\x00", "")).strip()
    if len(value) > limit:
        raise IntakeError(f"{what} is too long ({len(value)} characters; the limit is {limit})")
    return value


def reference_for(at: datetime, pk: int) -> str:
    """The one rule for a request's reference: its local date of receipt and its id ("191230-00042")."""
    return f"{timezone.localtime(at):%y%m%d}-{pk:05d}"


def category_for_label(label: str) -> Category | None:
    """A suggester label is a category name or code; the shallowest match wins."""
    return (
        Category.objects.filter(name=label).order_by("level").first()
        or Category.objects.filter(code=label).first()
    )


def submit_request(
    *,
    text: str,
    title: str = "",
    kind: str = "complaint",
    channel: str = "web",
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    anonymous: bool = False,
    requester_key: str = "",
    external_id: str = "",
    category: Category | None = None,
    urgency: str | None = None,
    at: datetime | None = None,
    actor: Actor | None = None,
    auto_route: bool = True,
    suggestions: list[Suggestion] | None = None,
    defer_routing: bool = False,
) -> Request:
    """Accept a request, give it a reference and tracking token, and route it if that is safe.

    Routing: a given category routes at once. Otherwise the suggester proposes one; only a suggestion
    above MASSLINE_ROUTING_THRESHOLD is dispatched automatically. Everything else waits, visibly, in
    the dispatcher queue with the suggestion attached. Misconduct reports are never auto-routed.

    ``defer_routing``: store and acknowledge only; the classification, the routing and the duplicate
    sketch run in a worker after the commit (``intake.deferred``; a ``PendingRouting`` row written in
    this transaction makes sure they do). The returned request then has ``routing_pending`` set.
    """
    at = at or timezone.now()
    if not EARLIEST_YEAR <= at.year <= LATEST_YEAR:
        raise IntakeError(f"the date {at:%Y-%m-%d} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    text = _clean(text, MAX_TEXT, "the text")
    title = _clean(title, MAX_TITLE, "the title") or text[:40]
    if not text:
        raise IntakeError("please describe the problem: the text is empty")
    if kind not in _KINDS:
        raise IntakeError(f"unknown kind {kind!r}; use one of {', '.join(sorted(_KINDS))}")
    if channel not in _CHANNELS:
        raise IntakeError(f"unknown channel {channel!r}; use one of {', '.join(sorted(_CHANNELS))}")
    if urgency is not None and urgency not in _URGENCIES:
        raise IntakeError(f"unknown urgency {urgency!r}; use one of {', '.join(sorted(_URGENCIES))}")
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise IntakeError("the map position is invalid: give both latitude and longitude, within range")
    actor = actor or Actor.requester()
    defer_routing = defer_routing and auto_route and kind != "report"
    if suggestions is None and category is None and auto_route and kind != "report" and not defer_routing:
        suggestions = routing.suggest(f"{title} {text}")
    suggestions = suggestions or []
    suggested = category_for_label(suggestions[0].label) if suggestions else None

    with transaction.atomic():
        req = Request.objects.create(
            kind=kind,
            title=title,
            text=text,
            address=_clean(address, 300, "the address"),
            lat=lat,
            lon=lon,
            channel=channel,
            contact_name=_clean(contact_name, 100, "the name"),
            contact_phone=_clean(contact_phone, 40, "the phone number"),
            contact_email=contact_email.strip(),
            anonymous=anonymous,
            requester_key=requester_key,
            external_id=external_id,
            category=category,
            urgency=urgency or (category.urgency if category else "general"),
            received_at=at,
            suggested_category=suggested,
            suggestion_confidence=suggestions[0].confidence if suggestions else None,
        )
        req.reference = reference_for(at, req.pk)
        Request.objects.filter(pk=req.pk).update(reference=req.reference)
        language = translation.get_language() or settings.LANGUAGE_CODE
        data = {"channel": channel, "language": language}
        if defer_routing:
            data["routing"] = DEFERRED  # the duplicate sketch waits for the worker too (workbench.on_submit)
        write_audit(req, actor, "submit", at, "", req.state, "", data)

        if kind == "report":
            # Never routed: the discipline office accepts it, and its deadlines run from arrival.
            req.sign_due, req.reply_due = compute_deadlines(req, at)
            Request.objects.filter(pk=req.pk).update(sign_due=req.sign_due, reply_due=req.reply_due)
            return req
        if not auto_route:
            return req
        if defer_routing:
            from .deferred import defer

            defer(req)
            return req
        route_submitted(req, category, suggestions, suggested, at)
    return req


def route_submitted(
    req: Request,
    category: Category | None,
    suggestions: list[Suggestion],
    suggested: Category | None,
    at: datetime,
) -> None:
    """Dispatch a just-submitted request: to ``category`` when one was given, else to the suggestion when
    it is confident enough; otherwise it stays in the dispatcher queue (with the suggestion attached)."""
    # per level, from the precision target (intake.routing); MASSLINE_ROUTING_THRESHOLD is the floor
    threshold = routing.auto_route_threshold(suggestions[0]) if suggestions else 1.0
    chosen = category
    why = "category given at intake"
    if chosen is None:
        top = confident(suggestions, threshold)
        if top is not None and suggested is not None:
            chosen, why = suggested, f"auto-routed: {top.label} at confidence {top.confidence:.2f}"
    if chosen is None:
        return  # the dispatcher queue
    try:
        with transaction.atomic():
            do_dispatch(req, Actor.system("auto-routing"), category=chosen, note=why, at=at)
    except WorkflowError as exc:
        log.warning("request %s stays in the dispatcher queue: %s", req.reference, exc)
        req.refresh_from_db()
