"""Which deadline a request is racing against, and how to say how far away it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext, ngettext

from massline.core import workflow
from massline.workflow.actions import overdue_q

__all__ = ["Countdown", "countdown", "current_deadline", "overdue_q", "span_text"]

# From the transition table; misconduct reports race against their accept and answer deadlines.
AWAITING_SIGN = tuple(sorted(s.value for s in workflow.AWAITING_SIGN))
AWAITING_REPLY = tuple(sorted(s.value for s in workflow.AWAITING_REPLY))
REPORT_AWAITING_ACCEPT = tuple(sorted(s.value for s in workflow.REPORT_AWAITING_ACCEPT))
REPORT_AWAITING_ANSWER = tuple(sorted(s.value for s in workflow.REPORT_AWAITING_ANSWER))


@dataclass(frozen=True)
class Countdown:
    due: datetime
    what: str  # "sign" or "reply"
    overdue: bool
    text: str
    urgent: bool  # less than a working day left


def current_deadline(req) -> tuple[datetime | None, str]:
    is_report = req.kind == workflow.REPORT_KIND
    if req.state in (REPORT_AWAITING_ACCEPT if is_report else AWAITING_SIGN):
        return req.sign_due, "sign"
    if req.state in (REPORT_AWAITING_ANSWER if is_report else AWAITING_REPLY):
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
