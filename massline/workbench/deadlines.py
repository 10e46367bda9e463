"""Which deadline a request is racing against, and how to say how far away it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext, ngettext

from massline.core.workflow import State

AWAITING_SIGN = (State.DISPATCHED.value, State.TRANSFERRED.value, State.REOPENED.value)
AWAITING_REPLY = (State.SIGNED.value,)


@dataclass(frozen=True)
class Countdown:
    due: datetime
    what: str  # "sign" or "reply"
    overdue: bool
    text: str
    urgent: bool  # less than a working day left


def current_deadline(req) -> tuple[datetime | None, str]:
    if req.state in AWAITING_SIGN:
        return req.sign_due, "sign"
    if req.state in AWAITING_REPLY:
        return req.reply_due, "reply"
    return None, ""


def span_text(seconds: float) -> str:
    """A rounded, human span: minutes under 2 h, hours under 2 days, days after."""
    seconds = abs(seconds)
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    hours = round(seconds / 3600)
    if hours < 48:
        return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours}
    days = round(seconds / 86400)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def countdown(req, now: datetime) -> Countdown | None:
    due, what = current_deadline(req)
    if due is None:
        return None
    left = (due - now).total_seconds()
    span = span_text(left)
    if left < 0:
        # Translators: %(span)s is e.g. "2 days" or "5 h"
        text = gettext("overdue by %(span)s") % {"span": span}
    else:
        text = gettext("due in %(span)s") % {"span": span}
    return Countdown(due, what, left < 0, text, 0 <= left < 8 * 3600)
