"""The staff timeline of a request: every audit event as a sentence in the reader's language.

The sentences are the portal's (``portal.timeline.describe``, one table of texts), in their staff wording.
Staff also read who acted (a display name and their unit, never a bare username), the notes people
wrote, and what the system's own notes mean: the classifier's confidence as a percentage in words, the
deadline a supervision was raised for, the requester's satisfaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from massline.core.text.script import for_reader
from massline.followup.models import SATISFACTION_CHOICES
from massline.portal.timeline import _unit_names, describe
from massline.workflow.models import AuditEvent, Request, Supervision

# The notes intake writes when it routes by itself (massline/intake/actions.py).
_AUTO_ROUTED = re.compile(r"^auto-routed: (?P<label>.+) at confidence (?P<confidence>[0-9.]+)$")
_GIVEN_AT_INTAKE = "category given at intake"


@dataclass
class Entry:
    at: datetime
    text: str  # what happened
    actor: str  # who did it, by display name (and unit)
    detail: str = ""  # the system's own note, said in words
    note: str = ""  # what the person acting wrote


def _system_actors() -> dict[str, str]:
    return {
        "requester": _("the requester"),
        "auto-routing": _("automatic routing"),
        "deadline sweep": _("the deadline sweep"),
        "system": _("the system"),
    }


def actor_name(event: AuditEvent) -> str:
    """The person by their name (the staff profile's display name, else the account's full name, else
    its username), with their unit; the requester and the system's parts in words."""
    user = event.actor
    if user is None:
        label = event.actor_label
        if label.startswith("api:"):
            return _("the API client %(name)s") % {"name": label[4:]}
        return _system_actors().get(label, label)
    profile = getattr(user, "staff", None)
    name = for_reader(
        (profile.display_name if profile else "") or user.get_full_name() or user.get_username()
    )
    unit = profile.unit if profile is not None else None
    if unit is not None:
        return _("%(name)s (%(unit)s)") % {"name": name, "unit": for_reader(unit.name)}
    return name


def _percent(value: float) -> str:
    return f"{round(value * 100):d}%"


def explain(event: AuditEvent) -> tuple[str, str]:
    """(detail, note): a system note said in words as the detail; a person's note kept as the note."""
    note, data = event.note or "", event.data or {}
    if event.action == "dispatch" and event.actor_id is None:
        routed = _AUTO_ROUTED.match(note)
        if routed:
            return _(
                "The classifier suggested the category %(category)s and was %(percent)s sure, "
                "enough to route it without a dispatcher."
            ) % {
                "category": for_reader(routed["label"]),
                "percent": _percent(float(routed["confidence"])),
            }, ""
        if note == _GIVEN_AT_INTAKE:
            return _("The category was given when the request was taken in."), ""
    if event.action == "supervise":
        reason = str(dict(Supervision.REASONS).get(data.get("reason", ""), ""))
        if data.get("reason") in ("sign_overdue", "reply_overdue") and note:
            return _("%(reason)s: the deadline was %(when)s.") % {"reason": reason, "when": note}, ""
        return reason, note if data.get("reason") == "manual" else ""
    if event.action.startswith("follow_up") and data.get("satisfaction"):
        satisfaction = str(dict(SATISFACTION_CHOICES).get(data["satisfaction"], data["satisfaction"]))
        return _("Satisfaction: %(level)s") % {"level": satisfaction}, note
    return "", note


def entries(req: Request) -> list[Entry]:
    events = list(req.events.select_related("actor__staff__unit"))
    units = _unit_names(events)
    fallback = for_reader(req.unit.name) if req.unit is not None else ""
    out = []
    for event in events:
        detail, note = explain(event)
        out.append(
            Entry(event.at, describe(event, units, fallback, staff=True), actor_name(event), detail, note)
        )
    return out
