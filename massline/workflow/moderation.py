"""Held for review: releasing a request to the public, or keeping it hidden. The only writers of ``held``.

A request is held when it is submitted (``Request.save``, ``workflow.excerpt.needs_hold``) if its redacted
text still looks personal, or when ``MASSLINE_PREMODERATE`` holds every new request. A dispatcher or an
admin then decides; each decision is an audit event (``release`` or ``keep_hidden``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.workflow import NotPermitted, WorkflowError

from .actions import Actor
from .audit import write_audit
from .models import Request

MODERATOR_ROLES = frozenset({"dispatcher", "admin"})


def _check(req: Request, actor: Actor) -> None:
    if not (set(actor.roles) & MODERATOR_ROLES):
        raise NotPermitted(_("only a dispatcher or an admin may decide on a request held for review"))
    if not req.held:
        raise WorkflowError(_("Request %(ref)s is not held for review.") % {"ref": req.reference})


@transaction.atomic
def release(req: Request, actor: Actor, note: str = "") -> Request:
    """Publish a held request: from now on the disclosure rule treats it like any other."""
    req = Request.objects.select_for_update().get(pk=req.pk)
    _check(req, actor)
    Request.objects.filter(pk=req.pk).update(held=False)
    write_audit(req, actor, "release", timezone.now(), req.state, req.state, note.strip())
    req.held = False
    return req


@transaction.atomic
def keep_hidden(req: Request, actor: Actor, note: str) -> Request:
    """Decide that a held request stays off every public surface; the reason is recorded."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Please give a reason for keeping the request hidden."))
    req = Request.objects.select_for_update().get(pk=req.pk)
    _check(req, actor)
    write_audit(req, actor, "keep_hidden", timezone.now(), req.state, req.state, note)
    return req
