"""The audit trail of a request, told in plain words. Staff names are never shown; units are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.core.text.script import for_reader
from massline.workflow.models import AuditEvent, Unit

from .names import unit_name, units_by_code

MODERATION_ACTIONS = frozenset({"release", "keep_hidden"})


@dataclass
class Step:
    at: datetime
    text: str
    note: str = ""


def _unit_names(events) -> dict[str, str]:
    codes = {e.data.get("unit") for e in events if e.data and e.data.get("unit")}
    if not codes:
        return {}
    names = units_by_code()
    if not codes <= names.keys():  # a unit added a moment ago in another process
        names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: for_reader(names[code]) for code in codes if code in names}


# What each event says, in the reader's language; "%(unit)s" and "%(status)s" are filled in by ``describe``
# (translated once per event, not the whole table per event).
TEXTS = {
    "submit": gettext_lazy("Request received"),
    "dispatch": gettext_lazy("Sent to %(unit)s"),
    "sign": gettext_lazy("The unit signed for it and is working on it"),
    "return": gettext_lazy("Sent back to the dispatcher to find the right unit"),
    "transfer": gettext_lazy("Transferred to %(unit)s"),
    "reply": gettext_lazy("The unit replied"),
    "follow_up_solved": gettext_lazy("Follow-up: solved; the request is closed"),
    "follow_up_unsolved": gettext_lazy("Follow-up: not solved; the request was reopened with %(unit)s"),
    "merge": gettext_lazy("Joined with an earlier request about the same problem"),
    "reject": gettext_lazy("Not accepted"),
    "answer_on_call": gettext_lazy("Answered on the call"),
    "supervise": gettext_lazy("Escalated for supervision (督辦)"),
    # misconduct reports (舉報): the reporter learns each step, never the investigators' notes
    "accept": gettext_lazy("The discipline office accepted your report"),
    "investigate": gettext_lazy("An investigation was opened"),
    "answer": gettext_lazy("The discipline office answered your report"),
    "conclude": gettext_lazy("Your report was concluded"),
    "dismiss": gettext_lazy("Not taken up"),
    # seen on the staff timeline (the public one skips moderation)
    "supervision_resolved": gettext_lazy("Supervision resolved"),
    "release": gettext_lazy("Released to the public after review"),
    "keep_hidden": gettext_lazy("Kept hidden after review"),
    "imported": gettext_lazy("Finished in the previous system (imported)"),
    "external_update": gettext_lazy("News from the unit's own system: %(status)s"),
    "staff:accept": gettext_lazy("The discipline office accepted the report"),
    "staff:answer": gettext_lazy("The discipline office answered the reporter"),
    "staff:conclude": gettext_lazy("The report was concluded"),
}


def describe(event: AuditEvent, units: dict[str, str], fallback_unit: str, *, staff: bool = False) -> str:
    """The event as a sentence. ``staff`` (the workbench timeline) reads the "staff:" texts where the
    requester's own wording ("your report") would be wrong, and the steps only staff see."""
    data = event.data or {}
    key = f"staff:{event.action}" if staff and f"staff:{event.action}" in TEXTS else event.action
    lazy = TEXTS.get(key)
    if lazy is None:
        return _("Updated")
    text = str(lazy)
    if "%(unit)s" in text:
        unit = units.get(data.get("unit") or "", fallback_unit) or _("the responsible unit")
        return text % {"unit": unit}
    if "%(status)s" in text:
        return text % {"status": data.get("status", "")}
    return text


def steps(req, *, private: bool = False) -> list[Step]:
    """The timeline. ``private`` (the requester's tracking page) adds the reason for a rejection, or for a
    misconduct report that is not taken up; an investigation's notes stay with the discipline office."""
    events = list(req.events.only("request_id", "at", "action", "note", "data"))
    units = _unit_names(events)
    fallback = for_reader(unit_name(req.unit_id))
    out = []
    for event in events:
        if event.action in MODERATION_ACTIONS:
            continue  # holding for review is the office's business, not a step of the request
        note = event.note if private and event.action in ("reject", "dismiss") else ""
        out.append(Step(event.at, describe(event, units, fallback), note))
    return out
