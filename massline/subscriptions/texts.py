"""What followers read: the notification templates of subscriptions, in the shape of ``notify.compose.TEXTS``
(subject, e-mail body, SMS text; followers get e-mail only, so the SMS text repeats the subject).

Placeholders: ``topic`` (what is followed, in words), ``confirm_url``, ``stop_url`` (this subscription's own
unsubscribe link), ``reference``, ``title`` (redacted), ``unit``, ``page_url`` (the public page), ``reply``
(redacted), ``count``, ``items`` (redacted excerpts), ``more``, ``list_url``, ``feed_url``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def _entry(subject, body) -> tuple[Any, Any, Any]:
    return (subject, body, subject)


TEXTS: dict[str, tuple[Any, Any, Any]] = {
    "follow_confirm": _entry(
        _("Confirm: e-mails about %(topic)s"),
        _(
            "Someone, probably you, asked us to send e-mails about %(topic)s to this address.\n\n"
            "To start them, confirm here (the link works for 7 days):\n%(confirm_url)s\n\n"
            "If it was not you, ignore this e-mail: nothing is sent without a confirmation."
        ),
    ),
    "follow_dispatched": _entry(
        _("Request %(reference)s is with %(unit)s"),
        _(
            "%(unit)s is now responsible for request %(reference)s (%(title)s), which you follow.\n\n"
            "%(page_url)s\n\nStop following this request: %(stop_url)s"
        ),
    ),
    "follow_replied": _entry(
        _("Reply to request %(reference)s"),
        _(
            "%(unit)s replied to request %(reference)s (%(title)s), which you follow:\n\n%(reply)s\n\n"
            "%(page_url)s\n\nStop following this request: %(stop_url)s"
        ),
    ),
    "follow_reopened": _entry(
        _("Request %(reference)s is reopened"),
        _(
            "The problem of request %(reference)s (%(title)s), which you follow, is not solved yet: the "
            "request went back to %(unit)s.\n\n%(page_url)s\n\nStop following this request: %(stop_url)s"
        ),
    ),
    "follow_closed": _entry(
        _("Request %(reference)s is closed"),
        _(
            "Request %(reference)s (%(title)s), which you follow, is solved and closed.\n\n%(page_url)s\n\n"
            "Stop following this request: %(stop_url)s"
        ),
    ),
    "follow_digest": _entry(
        _("New requests: %(topic)s (%(count)s)"),
        _(
            "New public requests about %(topic)s since our last e-mail:\n\n%(items)s%(more)s\n\n"
            "See them all: %(list_url)s\nAtom feed: %(feed_url)s\n\n"
            "Stop these e-mails: %(stop_url)s"
        ),
    ),
}
