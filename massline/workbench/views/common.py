"""Small helpers shared by the workbench views."""

from __future__ import annotations

from django.utils.translation import gettext as _

from massline.core.workflow import ConflictError, InvalidTransition, NoteRequired, NotPermitted, WorkflowError
from massline.intake.actions import IntakeError
from massline.workflow.models import Unit


def error_text(exc: Exception) -> str:
    """A workflow error as a sentence for the person acting, in their language where we know it."""
    if isinstance(exc, ConflictError):
        return _(
            "Someone else changed this request in the meantime. Reload the page to see the change, then try again."
        )
    if isinstance(exc, NoteRequired):
        return _("Please give a reason.")
    if isinstance(exc, InvalidTransition):
        return _(
            "This action is no longer possible in the request's current state (%(state)s). Reload the page."
        ) % {"state": exc.state}
    if isinstance(exc, NotPermitted):
        return _("You are not allowed to do this: %(why)s") % {"why": exc}
    if isinstance(exc, (WorkflowError, IntakeError)):
        return str(exc)
    raise exc


def units_for_select():
    """Every unit that can own requests (not the city root), in tree order."""
    return list(Unit.objects.filter(parent__isnull=False).only("code", "name", "path"))
