"""The audit trail of a request, told in plain words. Staff names are never shown; units are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from massline.core.text.script import for_reader
from massline.workflow.models import AuditEvent, Unit

MODERATION_ACTIONS = frozenset({"release", "keep_hidden"})


@dataclass
class Step:
    at: datetime
    text: str
    note: str = ""


def _unit_names(events) -> dict[str, str]:
    codes = {e.data.get("unit") for e in events if e.data and e.data.get("unit")}
    names = Unit.objects.filter(code__in=codes).values_list("code", "name") if codes else []
    return {code: for_reader(name) for code, name in names}


def describe(event: AuditEvent, units: dict[str, str], fallback_unit: str, *, staff: bool = False) -> str:
    """The event as a sentence. ``staff`` (the workbench timeline) reads the "staff:" texts where the
    requester's own wording ("your report") would be wrong, and the steps only staff see."""
    data = event.data or {}
    unit = units.get(data.get("unit") or "", fallback_unit) or _("the responsible unit")
    texts = {
        "submit": _("Request received"),
        "dispatch": _("Sent to %(unit)s") % {"unit": unit},
        "sign": _("The unit signed for it and is working on it"),
        "return": _("Sent back to the dispatcher to find the right unit"),
        "transfer": _("Transferred to %(unit)s") % {"unit": unit},
        "reply": _("The unit replied"),
        "follow_up_solved": _("Follow-up: solved; the request is closed"),
        "follow_up_unsolved": _("Follow-up: not solved; the request was reopened with %(unit)s")
        % {"unit": unit},
        "merge": _("Joined with an earlier request about the same problem"),
        "reject": _("Not accepted"),
        "answer_on_call": _("Answered on the call"),
        "supervise": _("Escalated for supervision (督辦)"),
        # misconduct reports (舉報): the reporter learns each step, never the investigators' notes
        "accept": _("The discipline office accepted your report"),
        "investigate": _("An investigation was opened"),
        "answer": _("The discipline office answered your report"),
        "conclude": _("Your report was concluded"),
        "dismiss": _("Not taken up"),
        # seen on the staff timeline (the public one skips moderation)
        "supervision_resolved": _("Supervision resolved"),
        "release": _("Released to the public after review"),
        "keep_hidden": _("Kept hidden after review"),
        "imported": _("Finished in the previous system (imported)"),
        "external_update": _("News from the unit's own system: %(status)s")
        % {"status": data.get("status", "")},
        "staff:accept": _("The discipline office accepted the report"),
        "staff:answer": _("The discipline office answered the reporter"),
        "staff:conclude": _("The report was concluded"),
    }
    if staff and f"staff:{event.action}" in texts:
        return texts[f"staff:{event.action}"]
    return texts.get(event.action, _("Updated"))


def steps(req, *, private: bool = False) -> list[Step]:
    """The timeline. ``private`` (the requester's tracking page) adds the reason for a rejection, or for a
    misconduct report that is not taken up; an investigation's notes stay with the discipline office."""
    events = list(req.events.all())
    units = _unit_names(events)
    fallback = for_reader(req.unit.name) if req.unit_id else ""
    out = []
    for event in events:
        if event.action in MODERATION_ACTIONS:
            continue  # holding for review is the office's business, not a step of the request
        note = event.note if private and event.action in ("reject", "dismiss") else ""
        out.append(Step(event.at, describe(event, units, fallback), note))
    return out
