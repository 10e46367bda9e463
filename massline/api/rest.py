"""The native REST API: submit, track and follow up (requesters); list, read and act (staff).

Endpoints validate and call the actions; they never write models themselves. Workflow errors map to
HTTP statuses: ``ConflictError`` → 409 (someone changed the request first: reload and retry),
``NotPermitted`` → 403, any other ``WorkflowError`` or ``IntakeError`` → 422.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationInfo, field_validator

from massline.accounts.permissions import can_see_misconduct, can_view_request, roles_of, visible_requests
from massline.core.workflow import TERMINAL, NotPermitted, State, UnknownAction, WorkflowError
from massline.intake.actions import IntakeError
from massline.workflow import actions as wf
from massline.workflow import registry
from massline.workflow.models import Category, Request, Unit

from . import schemas as s
from .actions import ApiExtras, submit_via_api
from .auth import CLIENT_AUTH
from .errors import ApiError
from .params import EARLIEST_YEAR, LATEST_YEAR, MAX_OFFSET, date_in_range

router = Router(tags=["requests"])

MAX_PAGE = 200
DATE_HELP = f"ISO 8601; local time when it has no offset; years {EARLIEST_YEAR} to {LATEST_YEAR}"


def _status(state: str) -> str:
    return "closed" if State(state) in TERMINAL else "open"


def _category(c: Category | None) -> dict | None:
    return {"code": c.code, "name": c.name} if c else None


# --- requesters -----------------------------------------------------------------------------------------


@router.post("", auth=CLIENT_AUTH, response={201: s.SubmitOut, **s.KEYED_ERRORS}, summary="Submit a request")
def submit(request, body: s.SubmitIn):
    """Any API key may submit. The request is routed at once when ``category`` is given, else the
    classifier suggests one and a dispatcher decides below the confidence threshold."""
    category = None
    if body.category:
        category = Category.objects.filter(code=body.category).first()
        if category is None:
            raise ApiError(422, f"unknown category code {body.category!r}", "unknown_category")
    place, contact = body.place, None if body.anonymous else body.contact
    try:
        req = submit_via_api(
            request.auth,
            ApiExtras(
                protocol="rest",
                service_code=body.category or "",
                idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
            ),
            category=category,
            text=body.text,
            title=body.title,
            kind=body.kind,
            address=place.address if place else "",
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            contact_name=contact.name if contact else "",
            contact_phone=contact.phone if contact else "",
            contact_email=contact.email if contact else "",
            anonymous=body.anonymous,
        )
    except IntakeError as exc:
        raise ApiError(422, str(exc), "invalid_request") from exc
    url = request.build_absolute_uri(reverse("portal:track", args=[req.tracking_token]))
    return Status(
        201,
        {
            "reference": req.reference,
            "tracking_token": req.tracking_token,
            "tracking_url": url,
            "state": req.state,
            "unit": req.unit.name if req.unit else None,
            "reply_due": req.reply_due,
        },
    )


def _by_token(token: str) -> Request:
    req = Request.objects.select_related("unit", "category").filter(tracking_token=token[:64]).first()
    if req is None:
        raise ApiError(404, "no request has this tracking token", "not_found")
    return req


def _track_view(req: Request) -> dict:
    """Whoever holds the token reads this, without a key: the text passes the public redaction pipeline
    (the requester's own name and contacts hidden too), the place is cut to street and building."""
    from massline.portal import timeline
    from massline.portal.actions import count_for
    from massline.workflow.excerpt import public_address, public_point, redact_public, requester_names

    names = requester_names(req)
    lat, lon = public_point(req.lat, req.lon)
    return {
        "reference": req.reference,
        "kind": req.kind,
        "title": redact_public(req.title, names),
        "text": redact_public(req.text, names),
        "address": public_address(req.address, names),
        "lat": lat,
        "lon": lon,
        "state": req.state,
        "state_label": str(req.get_state_display()),
        "status": _status(req.state),
        "version": req.version,
        "category": _category(req.category),
        "unit": req.unit.name if req.unit else None,
        "received_at": req.received_at,
        "reply_due": req.reply_due,
        "replies": [
            {"text": redact_public(r.text, names), "unit": r.unit.name, "at": r.created_at}
            for r in _replies(req)
        ],
        "timeline": [vars(step) for step in timeline.steps(req, private=True)],
        "followups": [
            {
                "solved": f.solved,
                "satisfaction": f.satisfaction,
                "comment": redact_public(f.comment, names),
                "at": f.created_at,
            }
            for f in req.followups.all()
        ],
        "can_follow_up": req.state == State.REPLIED.value,
        "me_too": count_for(req),
    }


def _replies(req: Request):
    return req.replies.select_related("unit")


@router.get(
    "/track/{token}", response={200: s.TrackOut, **s.PUBLIC_ERRORS}, summary="Track a request with its token"
)
def track(request, token: str):
    """The requester's view: state, timeline, replies and follow-ups (no key needed; the token is it)."""
    return _track_view(_by_token(token))


@router.post(
    "/track/{token}/follow-up",
    response={200: s.TrackOut, **s.FOLLOW_UP_ERRORS},
    summary="Record the requester's follow-up",
)
def follow_up(request, token: str, body: s.FollowUpIn):
    """回訪: solved or not, and how satisfied. Unsolved reopens the request with the same unit."""
    req = _by_token(token)
    inp = wf.ActionInput(
        solved=body.solved,
        satisfaction=body.satisfaction,
        comment=body.comment,
        expected_version=body.expected_version,
    )
    _run("follow_up", req, wf.Actor.requester(), inp)
    return _track_view(_by_token(token))


# --- staff ----------------------------------------------------------------------------------------------


def staff_user(request):
    """The staff user behind the key; 403 when the key is a client key or the user has no role."""
    key = request.auth
    if key.user is None or not key.user.is_active:
        raise ApiError(403, "this API key is not bound to a staff account", "not_staff")
    if not roles_of(key.user):
        raise ApiError(403, "this API key's account has no massline role", "not_staff")
    return key.user


def _staff_item(req: Request, roles) -> dict:
    return {
        "reference": req.reference,
        "kind": req.kind,
        "title": req.title,
        "state": req.state,
        "status": _status(req.state),
        "version": req.version,
        "urgency": req.urgency,
        "channel": req.channel,
        "category": _category(req.category),
        "suggested_category": _category(req.suggested_category),
        "suggestion_confidence": req.suggestion_confidence,
        "unit": {"code": req.unit.code, "name": req.unit.name} if req.unit else None,
        "received_at": req.received_at,
        "sign_due": req.sign_due,
        "reply_due": req.reply_due,
        "allowed_actions": registry.available(req, roles),
    }


class ListFilters(Schema):
    state: str | None = None  # comma separated
    kind: str | None = None
    unit: str | None = None  # a unit code; includes the units below it
    category: str | None = None  # a category code; includes its sub-categories
    channel: str | None = None
    q: str | None = None  # words that must all occur in the title or text (either script)
    received_after: datetime | None = Field(None, description=DATE_HELP)
    received_before: datetime | None = Field(None, description=DATE_HELP)
    limit: int = Field(50, description=f"page size, 1 to {MAX_PAGE} (larger or smaller values are clamped)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    @field_validator("received_after", "received_before")
    @classmethod
    def _date_in_range(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        return None if value is None else date_in_range(value, info.field_name or "the date")


def _filtered(qs: QuerySet[Request], f: ListFilters) -> QuerySet[Request]:
    if f.state:
        qs = qs.filter(state__in=[v.strip() for v in f.state.split(",")[:20]])
    if f.kind:
        qs = qs.filter(kind__in=[v.strip() for v in f.kind.split(",")[:20]])
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if f.category:
        from .georeport import category_ids_for_codes

        ids, _unclassified = category_ids_for_codes([f.category])
        qs = qs.filter(category_id__in=ids)
    if f.received_after:
        qs = qs.filter(received_at__gte=f.received_after)
    if f.received_before:
        qs = qs.filter(received_at__lt=f.received_before)
    if f.q:
        from massline.portal.public import STAFF_FIELDS, search

        # Only staff reach this list (``staff_user``), within their scope: they search the text they read.
        qs = search(qs, f.q[:200], STAFF_FIELDS)
    return qs


@router.get(
    "",
    auth=CLIENT_AUTH,
    response={200: s.RequestPage, **s.KEYED_ERRORS},
    summary="List and search requests (staff)",
)
def list_requests(request, filters: Query[ListFilters]):
    """What the key's user may see (``visible_requests``): unit staff see their unit's requests, the
    discipline role alone sees misconduct reports. Newest first. Contact details are in the detail only."""
    user = staff_user(request)
    limit = max(1, min(filters.limit, MAX_PAGE))
    offset = max(0, filters.offset)
    qs = _filtered(visible_requests(user, Request.objects.all()), filters)
    rows = qs.select_related("category", "suggested_category", "unit").order_by("-received_at", "-id")
    roles = roles_of(user)
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_staff_item(r, roles) for r in rows[offset : offset + limit]],
    }


def _visible(user, reference: str) -> Request:
    req = (
        Request.objects.select_related("category", "suggested_category", "unit", "merged_into")
        .filter(reference=reference[:24])
        .first()
    )
    if req is None or (req.kind == "report" and not can_see_misconduct(user)):
        raise ApiError(404, f"no request {reference!r}", "not_found")
    if not can_view_request(user, req):
        raise ApiError(403, "this request belongs to another unit", "not_permitted")
    return req


def _detail(req: Request, roles) -> dict:
    data = _staff_item(req, roles)
    contact = None
    if not req.anonymous:
        contact = {"name": req.contact_name, "phone": req.contact_phone, "email": req.contact_email}
    data.update(
        text=req.text,
        address=req.address,
        lat=req.lat,
        lon=req.lon,
        anonymous=req.anonymous,
        contact=contact,
        merged_into=req.merged_into.reference if req.merged_into else None,
        replies=[{"text": r.text, "unit": r.unit.name, "at": r.created_at} for r in _replies(req)],
        events=[
            {
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "note": e.note,
            }
            for e in req.events.all()
        ],
    )
    return data


@router.get(
    "/{reference}",
    auth=CLIENT_AUTH,
    response={200: s.StaffRequestDetailOut, **s.STAFF_ERRORS},
    summary="One request (staff)",
)
def get_request(request, reference: str):
    user = staff_user(request)
    return _detail(_visible(user, reference), roles_of(user))


# --- workflow actions -----------------------------------------------------------------------------------


def _run(name: str, req: Request, actor: wf.Actor, inp: wf.ActionInput) -> None:
    """Perform a registered action; turn its domain errors into HTTP errors with the message for the
    person acting. A stale ``expected_version`` is a 409 even when the state moved on too."""
    try:
        registry.perform(name, req, actor, inp)
    except UnknownAction as exc:
        raise ApiError(
            404, f"unknown action {name!r}; use one of {', '.join(registry.registered())}", "unknown_action"
        ) from exc
    except wf.ConflictError as exc:
        current = Request.objects.filter(pk=req.pk).values_list("state", "version").first()
        raise ApiError(
            409,
            str(exc),
            "conflict",
            state=current[0] if current else None,
            version=current[1] if current else None,
        ) from exc
    except NotPermitted as exc:
        raise ApiError(403, str(exc), "not_permitted") from exc
    except wf.UnknownObject as exc:
        raise ApiError(422 if exc.code != "not_found" else 404, str(exc), exc.code) from exc
    except WorkflowError as exc:
        raise ApiError(422, str(exc), "workflow_error") from exc


@router.post(
    "/{reference}/actions/{action}",
    auth=CLIENT_AUTH,
    response={200: s.StaffRequestDetailOut, **s.ACTION_ERRORS},
    summary="Perform a workflow action (staff)",
)
def act(request, reference: str, action: str, body: s.ActionIn):
    """Any action of the registry (dispatch, sign, return, transfer, reply, merge, reject, follow_up; and
    for the discipline role accept, investigate, answer, conclude, dismiss), as the key's user.

    Send the ``version`` you read as ``expected_version``: if someone acted in between, the answer is
    409 with the current state and version, and nothing changes."""
    user = staff_user(request)
    registry_names = registry.registered()
    if action not in registry_names:
        raise ApiError(
            404, f"unknown action {action!r}; use one of {', '.join(registry_names)}", "unknown_action"
        )
    req = _visible(user, reference)
    try:
        actor = wf.Actor.of(user)
    except NotPermitted as exc:
        raise ApiError(403, str(exc), "not_permitted") from exc
    inp = wf.ActionInput(
        note=body.note,
        text=body.text,
        unit=body.unit or "",
        category=body.category or "",
        lead=body.lead or "",
        solved=body.solved,
        satisfaction=body.satisfaction,
        comment=body.comment,
        expected_version=body.expected_version,
    )
    _run(action, req, actor, inp)
    return _detail(_visible(user, reference), roles_of(user))


# --- the other areas ------------------------------------------------------------------------------------


def areas() -> list[tuple[str, Router]]:
    """The routers of the areas beyond requests, each in its own module, with the path it is mounted at."""
    from . import (
        rest_catalogue,
        rest_consult,
        rest_stats,
        rest_subscriptions,
        rest_supervision,
        rest_webhooks,
    )

    return [
        ("/units", rest_catalogue.units),
        ("/categories", rest_catalogue.categories),
        ("/statistics", rest_stats.router),
        ("/consultations", rest_consult.router),
        ("/supervisions", rest_supervision.router),
        ("/subscriptions", rest_subscriptions.router),
        ("/webhooks", rest_webhooks.router),
    ]
