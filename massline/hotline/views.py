"""The call-taker's screen (/staff/calls/) and the knowledge base (/staff/calls/answers/).

For dispatchers (the call-takers) and admins. Views parse and validate, then call ``actions``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from massline.accounts.permissions import visible_requests
from massline.core.workflow import WorkflowError
from massline.intake.actions import IntakeError
from massline.workbench.access import ADMIN, DISPATCHER, staff_required
from massline.workbench.views.common import error_text
from massline.workflow.models import Request

from . import actions
from .forms import CallForm, KnowledgeAnswerForm, LookupForm
from .models import KnowledgeAnswer
from .queries import caller_history, search_answers

HISTORY_PAGE = 10
ANSWERS_PAGE = 25
call_takers = staff_required(DISPATCHER, ADMIN)


def _calls_url(phone: str = "", **extra: str) -> str:
    query = {k: v for k, v in {"phone": phone, **extra}.items() if v}
    return reverse("hotline:calls") + ("?" + urlencode(query) if query else "")


def _screen(request, *, call_form=None, lookup_form=None, found=None, sent=None, status=200):
    """``sent``: None when no re-send was asked, else the channels the tracking link went to."""
    phone = request.GET.get("phone", "").strip() or request.POST.get("contact_phone", "").strip()
    query = request.GET.get("q", "").strip()
    history = Paginator(caller_history(request.user, phone), HISTORY_PAGE).get_page(request.GET.get("page"))
    if call_form is None:
        initial = {"contact_phone": phone}
        latest = next(iter(history.object_list), None) if phone else None
        if latest is not None and latest.contact_name:
            initial["contact_name"] = latest.contact_name  # the caller said it on an earlier call
        used = request.GET.get("use", "")
        picked = KnowledgeAnswer.objects.filter(pk=used, active=True).first() if used.isdigit() else None
        if picked is not None:
            initial.update(answer=picked.answer, knowledge_answer=picked.pk, kind="inquiry")
        call_form = CallForm(initial=initial)
    done_ref = request.GET.get("done", "")
    done = (
        visible_requests(request.user, Request.objects.filter(reference=done_ref)).first()
        if done_ref
        else None
    )
    context = {
        "phone": phone,
        "query": query,
        "history": history,
        "history_total": history.paginator.count,
        "results": search_answers(query) if query else [],
        "call_form": call_form,
        "lookup_form": lookup_form or LookupForm(),
        "found": found,
        "found_contact": found is not None and bool(found.contact_email or found.contact_phone),
        # read out when it cannot be sent: no e-mail or phone, or sending is switched off
        "found_link": actions.tracking_url(found)
        if found is not None and (not (found.contact_email or found.contact_phone) or sent == [])
        else "",
        "sent": sent,
        "done": done,
        "nav": "calls",
    }
    return render(request, "hotline/calls.html", context, status=status)


@call_takers
def calls(request):
    return _screen(request)


@require_POST
@call_takers
def take(request):
    """Create the request taken on the call; with an answer, answer it on the call and close it."""
    form = CallForm(request.POST)
    if not form.is_valid():
        return _screen(request, call_form=form, status=400)
    data = form.cleaned_data
    answering = request.POST.get("mode") == "answer"
    if answering and not data["answer"].strip():
        form.add_error(
            "answer", _("Write the answer read to the caller, or pick one from the knowledge base.")
        )
        return _screen(request, call_form=form, status=400)
    call = actions.Call(
        text=data["text"],
        title=data["title"],
        kind=data["kind"],
        category=data["category"],
        address=data["address"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        contact_email=data["contact_email"],
        language=data["language"],
        answer=data["answer"] if answering else "",
        knowledge_answer=data["knowledge_answer"] if answering else None,
    )
    try:
        req = actions.take_call(request.user, call)
    except (WorkflowError, IntakeError, actions.CallError) as exc:
        form.add_error(None, error_text(exc) if not isinstance(exc, actions.CallError) else str(exc))
        return _screen(request, call_form=form, status=400)
    if answering:
        messages.success(request, _("Answered on the call and closed: resolved at first contact."))
    else:
        messages.success(request, _("Request created."))
    return redirect(_calls_url(data["contact_phone"], done=req.reference or ""))


def _lookup(request):
    form = LookupForm(request.POST)
    if not form.is_valid():
        return form, None
    found = actions.find_by_reference_and_phone(form.cleaned_data["reference"], form.cleaned_data["phone"])
    if found is None:
        form.add_error(
            None, _("No request matches this reference and phone number. Check both with the caller.")
        )
    return form, found


@require_POST
@call_takers
def lookup(request):
    """Find a request by its reference and the requester's phone number (a caller who lost the link)."""
    form, found = _lookup(request)
    return _screen(request, lookup_form=form, found=found, status=200 if found else 400)


@require_POST
@call_takers
def resend(request):
    """Send the tracking link of the request found by reference and phone again (checked again here)."""
    form, found = _lookup(request)
    if found is None:
        return _screen(request, lookup_form=form, status=400)
    sent = actions.resend_tracking_link(found)
    return _screen(request, lookup_form=LookupForm(), found=found, sent=sent)


# --- the knowledge base -----------------------------------------------------------------------------


@call_takers
def answers(request):
    query = request.GET.get("q", "").strip()
    rows = search_answers(query, active_only=False, limit=200) if query else KnowledgeAnswer.objects.all()
    page = Paginator(rows, ANSWERS_PAGE).get_page(request.GET.get("page"))
    return render(request, "hotline/answers.html", {"page": page, "query": query, "nav": "calls"})


def _edit(request, row: KnowledgeAnswer | None):
    if request.method == "POST":
        form = KnowledgeAnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = actions.save_knowledge_answer(
                    request.user,
                    row,
                    title=data["title"],
                    keywords=data["keywords"],
                    text=data["answer"],
                    category=data["category"],
                    active=data["active"],
                )
            except actions.CallError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Knowledge answer “%(title)s” saved.") % {"title": saved.title})
                return redirect("hotline:answers")
        status = 400
    else:
        initial: dict[str, object] = {"active": True}
        if row is not None:
            initial = {
                "title": row.title,
                "keywords": row.keywords,
                "answer": row.answer,
                "category": row.category.code if row.category else "",
                "active": row.active,
            }
        form, status = KnowledgeAnswerForm(initial=initial), 200
    return render(
        request, "hotline/answer_form.html", {"form": form, "row": row, "nav": "calls"}, status=status
    )


@call_takers
def answer_new(request):
    return _edit(request, None)


@call_takers
def answer_edit(request, pk: int):
    return _edit(request, get_object_or_404(KnowledgeAnswer, pk=pk))
