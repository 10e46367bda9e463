"""Reporting back (到群眾中去): everyone who complained about the monthly problem hears when it moves.

When a milestone is posted or the status changes, each requester of a linked request who left an e-mail or a
phone gets one message, in the language they wrote in, through notify's outbox (``notify.outbox.write``, in
the change's transaction; relayed once it commits). A person is their requester key, else their address:
someone who complained three times hears once, by e-mail when they left one, else by SMS. Misconduct
reports are never linked and never told; an address that unsubscribed is skipped.

The message key names the milestone (or the status event) and the address, so the same step never yields the
same message twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from massline.core.text.script import for_reader
from massline.core.workflow import REPORT_KIND
from massline.notify import outbox
from massline.notify.compose import REQUESTER, Draft, register_texts, site_url
from massline.notify.models import Message, Suppression
from massline.workflow.models import AuditEvent

from .models import Milestone, MonthlyProblem

_INTRO = _(
    "You told us about this problem, and the city made it its monthly problem (每月一題): %(title)s. "
    "Lead unit: %(unit)s."
)
TEXTS: dict[str, tuple[Any, Any, Any]] = {
    "monthly_milestone": (
        _("Progress on the problem you raised: %(title)s"),
        _(
            "%(intro)s\n\nNew milestone, %(date)s: %(milestone)s\n%(description)s\n\n"
            "Progress: %(progress)s%%\n\nFollow it here:\n%(page_url)s"
        ),
        _("Monthly problem %(title)s: %(milestone)s (%(progress)s%%). %(page_url)s"),
    ),
    "monthly_status": (
        _("The problem you raised is now %(status)s: %(title)s"),
        _("%(intro)s\n\nIts status is now: %(status)s.\n\nFollow it here:\n%(page_url)s"),
        _("Monthly problem %(title)s is now %(status)s. %(page_url)s"),
    ),
}


def connect() -> None:
    register_texts(TEXTS)


def _languages(request_ids: list[int]) -> dict[int, str]:
    """The language each request was written in (its submission's), else the site's."""
    found: dict[int, str | None] = {}
    for request_id, data in AuditEvent.objects.filter(
        request_id__in=request_ids, action="submit"
    ).values_list("request_id", "data"):
        found.setdefault(request_id, (data or {}).get("language"))
    return {pk: str(found.get(pk) or settings.LANGUAGE_CODE) for pk in request_ids}


def complainants(problem: MonthlyProblem) -> list[tuple[str, str, str, int]]:
    """(channel, address, language, one of their request ids) per person who can be told, in request order."""
    rows = list(
        problem.requests.exclude(kind=REPORT_KIND)
        .order_by("received_at", "pk")
        .values("pk", "requester_key", "contact_email", "contact_phone")
    )
    suppressed = set(Suppression.objects.values_list("address", flat=True))
    languages = _languages([r["pk"] for r in rows])
    people: dict[str, tuple[str, str, str, int]] = {}
    for r in rows:
        email, phone = (r["contact_email"] or "").strip(), (r["contact_phone"] or "").strip()
        if email and email.lower() not in suppressed:
            contact = ("email", email)
        elif phone and phone.lower() not in suppressed:
            contact = ("sms", phone)
        else:
            continue
        person = r["requester_key"] or email.lower() or phone
        known = people.get(person)
        if known is None or (known[0] == "sms" and contact[0] == "email"):
            people[person] = (*contact, languages[r["pk"]], r["pk"])
    # two people (requester keys) with one address still get one message
    return list({(c, a): (c, a, lang, pk) for c, a, lang, pk in people.values()}.values())


def _context(problem: MonthlyProblem, language: str, **extra: str) -> dict[str, str]:
    with translation.override(language):
        context = {
            "title": for_reader(problem.title, language),
            "unit": for_reader(problem.lead_unit.name, language),
            "page_url": site_url(reverse("monthly:detail", args=[problem.pk])),
            "status": str(problem.get_status_display()),
            **extra,
        }
        context["intro"] = str(_INTRO) % context
    return context


def _write(problem: MonthlyProblem, template: str, origin: str, extra_for) -> int:
    if not outbox.enabled():
        return 0
    written = 0
    keys = []
    for channel, address, language, request_id in complainants(problem):
        draft = Draft(
            channel,
            address,
            REQUESTER,
            language,
            template,
            _context(problem, language, **extra_for(language)),
        )
        written += outbox.write([draft], origin, request_id)
        keys.append(outbox.message_key(draft, origin))
    if keys:
        transaction.on_commit(
            lambda: outbox.enqueue(
                list(
                    Message.objects.filter(key__in=keys, status=Message.Status.PENDING).values_list(
                        "pk", flat=True
                    )
                )
            )
        )
    return written


def tell_milestone(milestone: Milestone) -> int:
    """One message per complainant for this milestone; returns how many were new."""

    def extra(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "milestone": for_reader(milestone.title, language),
                "description": for_reader(milestone.description, language),
                "date": formats.date_format(milestone.date, "SHORT_DATE_FORMAT"),
                "progress": str(milestone.progress),
            }

    return _write(
        milestone.problem,
        "monthly_milestone",
        f"monthly{milestone.problem_id}:milestone{milestone.pk}",
        extra,
    )


def tell_status(problem: MonthlyProblem, event_id: int) -> int:
    """One message per complainant for this status change (the event that recorded it)."""
    return _write(problem, "monthly_status", f"monthly{problem.pk}:event{event_id}", lambda language: {})
