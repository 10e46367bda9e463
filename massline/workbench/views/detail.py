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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from massline.accounts.permissions import roles_of, visible_requests
from massline.core.workflow import BY_ACTION, ConflictError, WorkflowError, allowed_actions
from massline.followup.actions import record_follow_up
from massline.followup.models import SATISFACTION_CHOICES
from massline.workflow.actions import (
    Actor,
    do_dispatch,
    do_merge,
    do_reject,
    do_reply,
    do_return,
    do_sign,
    do_transfer,
)
from massline.workflow.models import Category, ReplyTemplate, Request, Unit

from .. import duplicates
from ..access import request_for, staff_required
from .common import error_text, units_for_select

FOLLOW_UP = ("follow_up_solved", "follow_up_unsolved")
ACTION_ORDER = ["sign", "reply", "dispatch", "follow_up", "transfer", "return", "merge", "reject"]
ACTION_LABELS = {
    "dispatch": gettext_lazy("Dispatch"),
    "sign": gettext_lazy("Sign for"),
    "return": gettext_lazy("Return"),
    "transfer": gettext_lazy("Transfer"),
    "reply": gettext_lazy("Reply"),
    "merge": gettext_lazy("Merge into"),
    "reject": gettext_lazy("Reject as invalid"),
    "follow_up": gettext_lazy("Record follow-up"),
}


def _detail_queryset():
    return Request.objects.select_related(
        "unit", "category__parent__parent", "suggested_category__parent__parent", "merged_into"
    )


def render_detail(request, req: Request, *, drafts: dict | None = None, status: int = 200):
    roles = roles_of(request.user)
    allowed = allowed_actions(req.state, roles)
    actions = [a for a in allowed if a not in FOLLOW_UP]
    if set(allowed) & set(FOLLOW_UP):
        actions.append("follow_up")
    actions.sort(key=ACTION_ORDER.index)  # the usual next step first, the exceptions after
    drafts = dict(drafts or {})
    templates = list(
        ReplyTemplate.objects.filter(Q(unit__isnull=True) | Q(unit_id=req.unit_id)).order_by("name")
    )
    chosen = request.GET.get("template")
    if chosen and "reply" in actions and "reply" not in drafts:
        picked = next((t for t in templates if str(t.pk) == chosen), None)
        if picked:
            drafts["reply"] = picked.text
    needs_units = bool({"dispatch", "transfer"} & set(actions))
    context = {
        "req": req,
        "actions": actions,
        "action_labels": ACTION_LABELS,
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


def _perform(request, req: Request, action: str, actor: Actor, expected: int):
    post = request.POST
    note = post.get("note", "").strip()
    if action == "dispatch":
        category = (
            Category.objects.filter(code=post.get("category", "")).first() if post.get("category") else None
        )
        if post.get("accept") and category is None:
            category = req.suggested_category
        unit = Unit.objects.filter(code=post.get("unit", "")).first() if post.get("unit") else None
        if category is None and unit is None:
            raise WorkflowError(_("Choose a category or a unit to dispatch to."))
        do_dispatch(req, actor, unit=unit, category=category, note=note, expected_version=expected)
        return _("Dispatched to %(unit)s.") % {"unit": req.unit.name if req.unit else "–"}
    if action == "sign":
        do_sign(req, actor, note=note, expected_version=expected)
        return _("Signed for. The reply deadline is running.")
    if action == "return":
        do_return(req, actor, note=note, expected_version=expected)
        return _("Returned to the dispatcher.")
    if action == "transfer":
        to_unit = Unit.objects.filter(code=post.get("to_unit", "")).first()
        if to_unit is None:
            raise WorkflowError(_("Choose the unit to transfer to."))
        do_transfer(req, actor, to_unit=to_unit, note=note, expected_version=expected)
        return _("Transferred to %(unit)s.") % {"unit": to_unit.name}
    if action == "reply":
        do_reply(req, actor, text=post.get("text", ""), expected_version=expected)
        return _("Reply sent.")
    if action == "merge":
        lead_ref = post.get("lead", "").strip()
        lead = visible_requests(request.user, Request.objects.filter(reference=lead_ref)).first()
        if lead is None:
            raise WorkflowError(_("No request with the reference %(ref)s.") % {"ref": lead_ref or "–"})
        do_merge(req, actor, lead=lead, note=note, expected_version=expected)
        return _("Merged into %(ref)s.") % {"ref": lead.reference}
    if action == "reject":
        do_reject(req, actor, note=note, expected_version=expected)
        return _("Rejected as invalid.")
    if action == "follow_up":
        if post.get("solved") not in ("yes", "no"):
            raise WorkflowError(_("Say whether the problem is solved."))
        record_follow_up(
            req,
            actor,
            solved=post["solved"] == "yes",
            satisfaction=post.get("satisfaction", ""),
            comment=post.get("comment", ""),
            expected_version=expected,
        )
        return _("Follow-up recorded.")
    raise PermissionDenied


@require_POST
@staff_required()
def act(request, reference, action):
    """Every action button posts here. The server decides, whatever the page showed."""
    req = request_for(request.user, reference, _detail_queryset())
    roles = roles_of(request.user)
    names = FOLLOW_UP if action == "follow_up" else (action,)
    if action not in ACTION_LABELS or not any(
        roles & {r.value for r in BY_ACTION[name].roles} for name in names if name in BY_ACTION
    ):
        raise PermissionDenied
    actor = Actor.of(request.user)
    version = request.POST.get("version", "")
    expected = int(version) if version.isdigit() else None
    drafts = {"reply": request.POST.get("text", "")} if action == "reply" else {}
    try:
        if expected is None:
            raise WorkflowError(_("The form is missing the request's version; reload the page."))
        if expected != req.version:
            raise ConflictError("stale form")
        done = _perform(request, req, action, actor, expected)
    except WorkflowError as exc:
        messages.error(request, error_text(exc))
        fresh = request_for(request.user, reference, _detail_queryset())
        return render_detail(
            request, fresh, drafts=drafts, status=409 if isinstance(exc, ConflictError) else 400
        )
    messages.success(request, done)
    return redirect(_safe_next(request, reverse("workbench:detail", args=[req.reference])))
