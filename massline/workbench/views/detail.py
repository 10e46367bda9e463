"""One request: its timeline, people, replies, follow-ups, supervisions, and the actions this user may take."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.accounts.permissions import can_view_request, roles_of, visible_requests
from massline.core.text.script import for_reader
from massline.core.workflow import ConflictError, NotPermitted, UnknownAction, WorkflowError
from massline.followup.models import SATISFACTION_CHOICES
from massline.workflow import registry
from massline.workflow.actions import ActionInput
from massline.workflow.models import Category, ReplyTemplate, Request

from .. import duplicates, timeline
from ..access import UNIT_STAFF, request_for, staff_required
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
        "events": timeline.entries(req),
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


@staff_required()
def print_work_order(request, reference):
    """The request as a one-page work order (工單) to print: the same permission as its page."""
    req = request_for(request.user, reference, _detail_queryset())
    return render(
        request,
        "workbench/work_order.html",
        {
            "req": req,
            "events": timeline.entries(req),
            "replies": list(req.replies.select_related("unit")),
            "now": timezone.now(),
        },
    )


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
    req.refresh_from_db(fields=["unit", "state"])
    returned = action == "return" and UNIT_STAFF in roles_of(request.user)
    if returned or not can_view_request(request.user, req):
        # A transfer or a return hands the request to someone else: it has left this person's queue,
        # and its page may now be out of their reach.
        holder = _("the dispatcher") if returned or req.unit is None else for_reader(req.unit.name)
        messages.info(
            request,
            _("%(ref)s has left your queue: %(holder)s handles it now.")
            % {"ref": req.reference, "holder": holder},
        )
        return redirect("workbench:home")
    return redirect(_safe_next(request, reverse("workbench:detail", args=[req.reference])))


def _refused(request, reference: str, action: str, exc: WorkflowError):
    """The detail page again, as it is now, with the reason and the person's draft kept."""
    messages.error(request, error_text(exc))
    drafts = {"reply": request.POST.get("text", "")} if action in ("reply", "answer") else {}
    fresh = request_for(request.user, reference, _detail_queryset())
    return render_detail(request, fresh, drafts=drafts, status=409 if isinstance(exc, ConflictError) else 400)
