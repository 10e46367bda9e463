"""One request: its timeline, people, replies, follow-ups, supervisions, and the actions this user may take."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from massline.accounts.permissions import roles_of, visible_requests
from massline.core.workflow import ConflictError, NotPermitted, UnknownAction, WorkflowError
from massline.followup.models import SATISFACTION_CHOICES
from massline.workflow import registry
from massline.workflow.actions import ActionInput
from massline.workflow.models import Category, ReplyTemplate, Request

from .. import duplicates
from ..access import request_for, staff_required
from .common import error_text, units_for_select


def _detail_queryset():
    return Request.objects.select_related(
        "unit", "category__parent__parent", "suggested_category__parent__parent", "merged_into"
    )


def render_detail(request, req: Request, *, drafts: dict | None = None, status: int = 200):
    actions = registry.available(req, roles_of(request.user))  # the usual next step first
    drafts = dict(drafts or {})
    templates = list(
        ReplyTemplate.objects.filter(Q(unit__isnull=True) | Q(unit_id=req.unit_id)).order_by("name")
    )
    chosen = request.GET.get("template")
    if chosen and {"reply", "answer"} & set(actions) and "reply" not in drafts:
        picked = next((t for t in templates if str(t.pk) == chosen), None)
        if picked:
            drafts["reply"] = picked.text
    needs_units = bool({"dispatch", "transfer"} & set(actions))
    context = {
        "req": req,
        "actions": actions,
        "action_labels": {name: spec.label for name, spec in registry.registered().items()},
        "events": list(req.events.all()),
        "replies": list(req.replies.select_related("unit")),
        "followups": list(req.followups.select_related("unit")),
        "supervisions": list(req.supervisions.select_related("unit")),
        "attachments": list(req.attachments.all()),
        "merged": list(req.merged.only("reference", "title")),
        "visit_issue": getattr(req, "visit_issue", None) if hasattr(req, "visit_issue") else None,
        "templates": templates,
        "units": units_for_select() if needs_units else [],
        "categories": (
            list(Category.objects.select_related("parent__parent").order_by("code"))
            if "dispatch" in actions
            else []
        ),
        "duplicates": (
            duplicates.candidates_for([req], visible_requests(request.user, Request.objects.all())).get(
                req.pk, []
            )
            if "merge" in actions
            else []
        ),
        "satisfaction_choices": SATISFACTION_CHOICES,
        "drafts": drafts,
        "now": timezone.now(),
        "nav": "",
    }
    return render(request, "workbench/detail.html", context, status=status)


@staff_required()
def detail(request, reference):
    return render_detail(request, request_for(request.user, reference, _detail_queryset()))


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_POST
@staff_required()
def act(request, reference, action):
    """Every action button posts here. The server decides, whatever the page showed: the registry checks
    the table, the role, the unit and the version, then acts."""
    req = request_for(request.user, reference, _detail_queryset())
    try:
        done = registry.perform_as(request.user, action, req, ActionInput.from_form(request.POST))
    except (UnknownAction, NotPermitted) as exc:
        raise PermissionDenied(str(exc)) from exc
    except WorkflowError as exc:
        return _refused(request, reference, action, exc)
    messages.success(request, done)
    return redirect(_safe_next(request, reverse("workbench:detail", args=[req.reference])))


def _refused(request, reference: str, action: str, exc: WorkflowError):
    """The detail page again, as it is now, with the reason and the person's draft kept."""
    messages.error(request, error_text(exc))
    drafts = {"reply": request.POST.get("text", "")} if action in ("reply", "answer") else {}
    fresh = request_for(request.user, reference, _detail_queryset())
    return render_detail(request, fresh, drafts=drafts, status=409 if isinstance(exc, ConflictError) else 400)
