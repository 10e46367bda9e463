"""Who hears of a change, and what they read: drafts of messages for one ``RequestEvent``.

Requesters who left an e-mail or a phone hear of their own request: the receipt (reference and tracking
link), dispatch, the reply (with its text and the follow-up link), an answer given on the phone (in
writing), reopening and closing. Staff hear of new work in their unit's queue, supervisions and deadlines.
A misconduct report (舉報) is told to nobody but the reporter and the discipline role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from massline.core.text.script import for_reader
from massline.core.workflow import HANDOVERS, REPORT_KIND, Role
from massline.workflow.events import RequestEvent
from massline.workflow.models import AuditEvent, Reply, Request

REQUESTER, STAFF = "requester", "staff"


@dataclass(frozen=True)
class Draft:
    channel: str  # email or sms
    recipient: str
    audience: str  # requester or staff
    language: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# template → (subject, e-mail body, SMS text). Placeholders: reference, tracking_url, unit, reply, note,
# lead, title, staff_url, sign_due, due, what, reason.
TEXTS: dict[str, tuple[Any, Any, Any]] = {
    "receipt": (
        _("We have received your request %(reference)s"),
        _(
            "We have received your request. Its reference is %(reference)s.\n\n"
            "Follow it, and tell us afterwards whether the problem was solved, at:\n%(tracking_url)s\n\n"
            "Keep this link to yourself: it opens your request."
        ),
        _("Request %(reference)s received. Follow it: %(tracking_url)s"),
    ),
    "dispatched": (
        _("Your request %(reference)s is with %(unit)s"),
        _("%(unit)s is now responsible for your request %(reference)s.\n\nFollow it at:\n%(tracking_url)s"),
        _("Request %(reference)s sent to %(unit)s. %(tracking_url)s"),
    ),
    "replied": (
        _("Reply to your request %(reference)s"),
        _(
            "%(unit)s replied to your request %(reference)s:\n\n%(reply)s\n\n"
            "Is the problem solved? Tell us here, it takes a minute:\n%(tracking_url)s"
        ),
        _("%(unit)s replied to request %(reference)s. Read it and tell us if it is solved: %(tracking_url)s"),
    ),
    "reopened": (
        _("Your request %(reference)s is reopened"),
        _(
            "You told us the problem is not solved, so request %(reference)s went back to %(unit)s, "
            "which must take it on again.\n\n%(tracking_url)s"
        ),
        _("Request %(reference)s reopened and sent back to %(unit)s. %(tracking_url)s"),
    ),
    "closed": (
        _("Your request %(reference)s is closed"),
        _("Your request %(reference)s is closed. Thank you for telling us.\n\n%(tracking_url)s"),
        _("Request %(reference)s is closed. Thank you. %(tracking_url)s"),
    ),
    "rejected": (
        _("Your request %(reference)s could not be taken up"),
        _("Your request %(reference)s could not be taken up. The reason:\n\n%(note)s\n\n%(tracking_url)s"),
        _("Request %(reference)s could not be taken up: %(note)s"),
    ),
    "merged": (
        _("Your request %(reference)s is handled together with %(lead)s"),
        _(
            "Your request %(reference)s is about the same problem as request %(lead)s; they are handled "
            "together, and the answer to %(lead)s answers yours.\n\n%(tracking_url)s"
        ),
        _("Request %(reference)s is handled together with %(lead)s. %(tracking_url)s"),
    ),
    "answered_on_call": (  # 直接答復: the answer read on the phone, in writing
        _("The answer to your request %(reference)s, in writing"),
        _(
            "%(unit)s answered your request %(reference)s on the phone. Here is the answer in writing:\n\n"
            "%(reply)s\n\nYour request is closed. You can read it again at:\n%(tracking_url)s"
        ),
        _("%(unit)s, request %(reference)s: %(reply)s"),
    ),
    "answered": (
        _("Answer to your report %(reference)s"),
        _("The discipline office answered your report %(reference)s:\n\n%(reply)s\n\n%(tracking_url)s"),
        _("Your report %(reference)s has an answer: %(tracking_url)s"),
    ),
    "new_work": (
        _("New request %(reference)s for %(unit)s"),
        _(
            "Request %(reference)s (%(title)s) waits for %(unit)s to sign for it by %(sign_due)s.\n\n%(staff_url)s"
        ),
        _("New request %(reference)s for %(unit)s; sign by %(sign_due)s. %(staff_url)s"),
    ),
    "report_arrived": (
        _("New misconduct report %(reference)s"),
        _("A misconduct report arrived. Accept it by %(sign_due)s.\n\n%(staff_url)s"),
        _("New misconduct report %(reference)s. %(staff_url)s"),
    ),
    "supervision": (
        _("Supervision raised on %(reference)s"),
        _("A supervision was raised on request %(reference)s: %(reason)s.\n\n%(staff_url)s"),
        _("Supervision on %(reference)s: %(reason)s. %(staff_url)s"),
    ),
    "due_soon": (
        _("Deadline soon for %(reference)s"),
        _("The %(what)s deadline of request %(reference)s is %(due)s.\n\n%(staff_url)s"),
        _("Deadline for %(reference)s at %(due)s. %(staff_url)s"),
    ),
    "hot_issue": (
        _("Hot issue: %(title)s (%(count)s requests)"),
        _(
            "%(count)s requests in the last %(days)s days are about the same problem: %(title)s %(place)s.\n\n"
            "Turn it into a proactive task on the dashboard:\n%(staff_url)s"
        ),
        _("Hot issue: %(title)s, %(count)s requests. %(staff_url)s"),
    ),
    "digest": (
        _("Your daily summary: %(waiting)s waiting, %(overdue)s overdue"),
        _(
            "Good morning. In your queue: %(waiting)s request(s) waiting, %(overdue)s overdue, "
            "%(due_today)s due today.\n\n%(staff_url)s"
        ),
        _("massline: %(waiting)s waiting, %(overdue)s overdue. %(staff_url)s"),
    ),
}


def register_texts(texts: dict[str, tuple[Any, Any, Any]]) -> None:
    """Let another app (subscriptions) add its templates to ``TEXTS``, in the same shape: a name is never
    taken twice, so no app can change another's messages."""
    for name, entry in texts.items():
        if TEXTS.get(name, entry) is not entry:
            raise ValueError(f"notification template {name!r} is already registered")
        TEXTS[name] = entry


# requester messages by audit action; a report's reporter hears only of its own steps
REQUESTER_TEMPLATES = {
    "submit": "receipt",
    "dispatch": "dispatched",
    "reply": "replied",
    "follow_up_unsolved": "reopened",
    "follow_up_solved": "closed",
    "reject": "rejected",
    "merge": "merged",
    "answer_on_call": "answered_on_call",
}
REPORTER_TEMPLATES = {"submit": "receipt", "answer": "answered", "conclude": "closed", "dismiss": "rejected"}
NEW_WORK_ACTIONS = HANDOVERS  # a unit that is handed a request hears of it
# every action that can yield a message (staff hear of submit and supervise too); the others (sign, return,
# accept, ...) never do, so nothing is loaded for them
MESSAGE_ACTIONS = frozenset(
    [*REQUESTER_TEMPLATES, *REPORTER_TEMPLATES, *NEW_WORK_ACTIONS, "submit", "supervise"]
)


def site_url(path: str) -> str:
    return str(getattr(settings, "MASSLINE_SITE_URL", "http://127.0.0.1:8000")).rstrip("/") + path


def local(dt) -> str:
    return f"{timezone.localtime(dt):%Y-%m-%d %H:%M}" if dt else "–"


def requester_language(req: Request, event: RequestEvent) -> str:
    language = event.data.get("language") if event.action == "submit" else None
    if not language:
        first = (
            AuditEvent.objects.filter(request_id=req.pk, action="submit")
            .values_list("data", flat=True)
            .first()
        )
        language = (first or {}).get("language")
    return str(language or settings.LANGUAGE_CODE)


def _base_context(req: Request) -> dict[str, Any]:
    return {
        "reference": req.reference,
        "title": req.title,
        "unit": req.unit.name if req.unit else "–",
        "tracking_url": site_url(reverse("portal:track", args=[req.tracking_token])),
        "staff_url": site_url(reverse("workbench:detail", args=[req.reference])),
        "sign_due": local(req.sign_due),
    }


def requester_drafts(req: Request, event: RequestEvent) -> list[Draft]:
    table = REPORTER_TEMPLATES if req.kind == REPORT_KIND else REQUESTER_TEMPLATES
    template = table.get(event.action)
    if template is None or not (req.contact_email or req.contact_phone):
        return []
    context = _base_context(req)
    context["note"] = event.note
    language = requester_language(req, event)
    if template in ("replied", "answered", "answered_on_call"):
        reply = Reply.objects.filter(request_id=req.pk).order_by("-created_at", "-id").first()
        # in the reader's script, as the tracking page shows it
        context["reply"] = for_reader(reply.text, language) if reply else ""
    if template == "merged":
        context["lead"] = str(event.data.get("lead", ""))
    drafts = []
    if req.contact_email:
        drafts.append(Draft("email", req.contact_email.strip(), REQUESTER, language, template, context))
    if req.contact_phone:
        drafts.append(Draft("sms", req.contact_phone.strip(), REQUESTER, language, template, context))
    return drafts


def staff_with_role(role: str, unit=None):
    users = get_user_model().objects.filter(is_active=True, groups__name=role).exclude(email="")
    if unit is not None:
        users = users.filter(staff__unit=unit)
    return users.distinct().order_by("pk")


def staff_drafts(req: Request, event: RequestEvent) -> list[Draft]:
    language = settings.LANGUAGE_CODE
    context = _base_context(req)
    if req.kind == REPORT_KIND:
        if event.action == "submit":
            template, users = "report_arrived", staff_with_role(Role.DISCIPLINE.value)
        elif event.action == "supervise":
            template, users = "supervision", staff_with_role(Role.DISCIPLINE.value)
        else:
            return []
    elif event.action in NEW_WORK_ACTIONS and req.unit is not None:
        template, users = "new_work", staff_with_role(Role.UNIT_STAFF.value, req.unit)
    elif event.action == "supervise":
        template = "supervision"
        users = (staff_with_role(Role.UNIT_STAFF.value, req.unit) if req.unit else staff_with_role("-")) | (
            staff_with_role(Role.SUPERVISOR.value)
        )
    else:
        return []
    if template == "supervision":
        context["reason"] = str(event.data.get("reason", ""))
    return [Draft("email", u.email, STAFF, language, template, context) for u in users.distinct()]


def drafts_for(event: RequestEvent) -> list[Draft]:
    if event.action not in MESSAGE_ACTIONS:
        return []
    req = Request.objects.select_related("unit").filter(pk=event.request_id).first()
    if req is None:
        return []
    return requester_drafts(req, event) + staff_drafts(req, event)
