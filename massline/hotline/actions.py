"""The hotline's writers: a request taken on the call (and answered on it), the knowledge base, the
callers' number index, and re-sending a lost tracking link. Views parse input and call these."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.core.text.normalize import normalize_for_analysis
from massline.core.workflow import REPORT_KIND, WorkflowError
from massline.intake.actions import IntakeError, submit_request
from massline.notify import outbox
from massline.notify.compose import REQUESTER, Draft, register_texts, site_url
from massline.notify.models import Message
from massline.workflow import events, registry
from massline.workflow.actions import ActionInput, Actor
from massline.workflow.events import RequestEvent
from massline.workflow.models import Category, Request

from .models import CallerNumber, KnowledgeAnswer
from .phones import normalise_phone

CHANNEL = "hotline"

TEXTS = {
    "tracking_link": (
        gettext_lazy("The link to your request %(reference)s"),
        # the receipt's words, already translated: the reference, the link, and to keep it private
        gettext_lazy(
            "We have received your request. Its reference is %(reference)s.\n\n"
            "Follow it, and tell us afterwards whether the problem was solved, at:\n%(tracking_url)s\n\n"
            "Keep this link to yourself: it opens your request."
        ),
        gettext_lazy("Your request %(reference)s: %(tracking_url)s"),
    ),
}


class CallError(ValueError):
    """Input from the call screen that cannot be used, with a message for the call-taker."""


# --- the callers' numbers ---------------------------------------------------------------------------


def index_caller_number(event: RequestEvent) -> None:
    """In the submission's transaction: remember the requester's number in its normalised form."""
    if event.action != "submit":
        return
    phone = Request.objects.filter(pk=event.request_id).values_list("contact_phone", flat=True).first()
    number = normalise_phone(phone or "")
    if number:
        CallerNumber.objects.update_or_create(request_id=event.request_id, defaults={"number": number})


def connect() -> None:
    register_texts(TEXTS)
    events.subscribe(index_caller_number, phase="atomic")


# --- a request taken on the call --------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """What the call-taker typed: the request, and the answer read to the caller if it was answered."""

    text: str
    title: str = ""
    kind: str = "inquiry"
    category: Category | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    language: str = ""  # the caller's: the messages to them (receipt, the answer in writing) are in it
    answer: str = ""  # answered on the call (直接答復) when given
    knowledge_answer: KnowledgeAnswer | None = None


def take_call(user, call: Call) -> Request:
    """Create the request (channel hotline) through intake, so routing, deadlines, audit and notifications run
    as for any request. With an answer, the request is answered on the call and closed (一次辦結) in the same
    transaction: it is not routed, and nothing is written if the answer is refused. A caller who gave an
    e-mail or a phone gets the answer in writing (the notification outbox's ``answered_on_call``), in the
    caller's language: the one the submission records."""
    actor = Actor.of(user)
    answered = bool(call.answer.strip())
    if call.kind == REPORT_KIND and answered:
        raise CallError(
            _("A misconduct report cannot be answered on the call; create it for the discipline office.")
        )
    with transaction.atomic():
        # the submission records the caller's language; the staff member's errors stay in their own
        with translation.override(call.language or translation.get_language()):
            req = submit_request(
                text=call.text,
                title=call.title,
                kind=call.kind,
                channel=CHANNEL,
                address=call.address,
                contact_name=call.contact_name,
                contact_phone=call.contact_phone,
                contact_email=call.contact_email,
                category=call.category,
                actor=actor,
                auto_route=not answered,
            )
        if answered:
            registry.perform(
                "answer_on_call",
                req,
                actor,
                ActionInput(
                    text=call.answer,
                    knowledge_answer=str(call.knowledge_answer.pk) if call.knowledge_answer else "",
                    expected_version=req.version,
                ),
            )
    return req


# --- the knowledge base -----------------------------------------------------------------------------


def search_text_of(title: str, keywords: str, answer: str) -> str:
    return normalize_for_analysis(f"{title} {keywords} {answer}").lower()


def save_knowledge_answer(
    user,
    answer: KnowledgeAnswer | None,
    *,
    title: str,
    keywords: str,
    text: str,
    category: Category | None,
    active: bool,
) -> KnowledgeAnswer:
    """Create (``answer`` None) or change a knowledge answer; who changed it and when are kept."""
    title, keywords, text = title.strip(), keywords.strip(), text.strip()
    if not title or not text:
        raise CallError(_("A knowledge answer needs a title and the answer text."))
    row = answer or KnowledgeAnswer()
    row.title, row.keywords, row.answer, row.category, row.active = title, keywords, text, category, active
    row.updated_by = user
    row.updated_at = timezone.now()
    row.search_text = search_text_of(title, keywords, text)
    with transaction.atomic():
        row.save()
    return row


# --- a citizen who lost the link --------------------------------------------------------------------


def find_by_reference_and_phone(reference: str, phone: str) -> Request | None:
    """The request ``reference`` if its requester's number is ``phone`` (in any spelling); None otherwise,
    whichever of the two is wrong. Misconduct reports are never found here."""
    number = normalise_phone(phone)
    if not number or not reference.strip():
        return None
    return (
        Request.objects.select_related("unit")
        .filter(reference=reference.strip(), caller_number__number=number)
        .exclude(kind=REPORT_KIND)
        .first()
    )


def tracking_url(req: Request) -> str:
    return site_url(reverse("portal:track", args=[req.tracking_token]))


def resend_tracking_link(req: Request, language: str | None = None) -> list[str]:
    """Send the tracking link again to the requester's e-mail and phone, through the notification outbox.
    Returns the channels written to (empty when the request has neither)."""
    language = language or translation.get_language() or "zh-hans"
    context = {"reference": req.reference, "tracking_url": tracking_url(req)}
    drafts = []
    if req.contact_email:
        drafts.append(
            Draft("email", req.contact_email.strip(), REQUESTER, language, "tracking_link", context)
        )
    if req.contact_phone:
        drafts.append(Draft("sms", req.contact_phone.strip(), REQUESTER, language, "tracking_link", context))
    if not drafts or not outbox.enabled():
        return []
    origin = f"resend-link{req.pk}:{timezone.now().timestamp():.6f}"
    with transaction.atomic():
        outbox.write(drafts, origin, req.pk)
        keys = [outbox.message_key(d, origin) for d in drafts]
        transaction.on_commit(
            lambda: outbox.enqueue(list(Message.objects.filter(key__in=keys).values_list("pk", flat=True)))
        )
    return [d.channel for d in drafts]


__all__ = [
    "Call",
    "CallError",
    "IntakeError",
    "WorkflowError",
    "find_by_reference_and_phone",
    "resend_tracking_link",
    "save_knowledge_answer",
    "take_call",
]
