"""Supervisions (督辦): the board's list and resolving one, for keys of supervisors and administrators only
(the board's ``staff_required(SUPERVISOR, ADMIN)``). Misconduct reports are never on the board; resolving
goes through the board's own action (``workbench.actions.resolve_supervision``), which audits it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Path, Query, Router, Schema

from massline.accounts.permissions import roles_of, visible_requests
from massline.core.workflow import REPORT_KIND, NotPermitted, Role, WorkflowError
from massline.workbench.actions import resolve_supervision
from massline.workflow.models import Request, Supervision, Unit

from . import schemas as s
from .auth import CLIENT_AUTH
from .errors import ApiError
from .rest import staff_user
from .rest_paging import PageParams, keyset_page, page_of

router = Router(tags=["supervisions"])

SUPERVISING = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})
MAX_ID = 2**63 - 1
Reason = Literal["sign_overdue", "reply_overdue", "reopened", "manual"]


def supervisor(request):
    user = staff_user(request)
    if not roles_of(user) & SUPERVISING:
        raise ApiError(403, "supervisions are for the supervisor and admin roles", "not_permitted")
    return user


class RequestRef(Schema):
    reference: str
    title: str
    state: str
    reply_due: datetime | None


class SupervisionOut(Schema):
    id: int
    reason: Reason
    reason_label: str
    request: RequestRef
    unit: s.UnitOut | None
    created_at: datetime
    resolved_at: datetime | None
    note: str


class SupervisionPage(Schema):
    items: list[SupervisionOut]
    next: str | None
    limit: int


class SupervisionFilters(PageParams):
    status: Literal["open", "resolved", "all"] = "open"
    reason: Reason | None = None
    unit: str | None = Field(None, max_length=40, description="a unit code; includes the units below it")


class ResolveIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="how the supervision was resolved")


def _out(sup: Supervision) -> dict:
    req = sup.request
    return {
        "id": sup.pk,
        "reason": sup.reason,
        "reason_label": str(sup.get_reason_display()),
        "request": {
            "reference": req.reference,
            "title": req.title,
            "state": req.state,
            "reply_due": req.reply_due,
        },
        "unit": {"code": sup.unit.code, "name": sup.unit.name} if sup.unit else None,
        "created_at": sup.created_at,
        "resolved_at": sup.resolved_at,
        "note": sup.note,
    }


def _board(user):
    """The board's supervisions: never of a misconduct report, only of requests the user may see."""
    visible = visible_requests(user, Request.objects.exclude(kind=REPORT_KIND))
    return Supervision.objects.exclude(request__kind=REPORT_KIND).filter(request__in=visible.values("pk"))


@router.get(
    "",
    auth=CLIENT_AUTH,
    response={200: SupervisionPage, **s.KEYED_ERRORS},
    summary="Supervisions, newest first (supervisors)",
)
def list_supervisions(request, filters: Query[SupervisionFilters]):
    """Open ones by default; ``status=resolved`` or ``all`` for the others. Filter by reason and unit."""
    qs = _board(supervisor(request))
    if filters.status == "open":
        qs = qs.filter(resolved_at__isnull=True)
    elif filters.status == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.unit:
        unit = Unit.objects.filter(code=filters.unit).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    rows, after = keyset_page(
        qs.select_related("request", "unit"), ("-created_at", "-id"), filters, "supervisions"
    )
    return page_of([_out(sup) for sup in rows], after, filters)


SupervisionId = Path(..., ge=1, le=MAX_ID)


def _one(user, pk: int) -> Supervision:
    sup = _board(user).select_related("request", "unit").filter(pk=pk).first()
    if sup is None:
        raise ApiError(404, f"no supervision {pk}", "not_found")
    return sup


@router.get(
    "/{supervision_id}",
    auth=CLIENT_AUTH,
    response={200: SupervisionOut, **s.STAFF_ERRORS},
    summary="One supervision (supervisors)",
)
def get_supervision(request, supervision_id: int = SupervisionId):
    return _out(_one(supervisor(request), supervision_id))


@router.post(
    "/{supervision_id}/resolve",
    auth=CLIENT_AUTH,
    response={200: SupervisionOut, **s.ACTION_ERRORS},
    summary="Resolve a supervision (supervisors)",
)
def resolve(request, body: ResolveIn, supervision_id: int = SupervisionId):
    """Close it with a note, as on the board; the request's timeline records who and why. Resolving one
    that is already resolved is a 409."""
    user = supervisor(request)
    sup = _one(user, supervision_id)
    if sup.resolved_at is not None:
        raise ApiError(409, f"supervision {sup.pk} was already resolved", "conflict")
    try:
        sup = resolve_supervision(sup, user, note=body.note)
    except NotPermitted as exc:
        raise ApiError(403, str(exc), "not_permitted") from exc
    except WorkflowError as exc:
        raise ApiError(
            409 if _one(user, supervision_id).resolved_at else 422, str(exc), "workflow_error"
        ) from exc
    return _out(_one(user, sup.pk))
