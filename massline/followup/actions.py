"""回訪: record the requester's verdict. Unsolved reopens the request with the same unit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from massline.core.metrics import SATISFACTION_LEVELS
from massline.core.workflow import WorkflowError
from massline.workflow.actions import (
    ActionInput,
    Actor,
    check_allowed,
    compute_deadlines,
    raise_supervision,
    transition,
)
from massline.workflow.audit import FollowUpData

from .models import FollowUp

REOPEN_SUPERVISION_AFTER = 2


def check_follow_up(req, actor: Actor, inp: ActionInput) -> dict[str, Any]:
    """The verdict must say solved or not, and how satisfied; the table decides who may record it."""
    if inp.solved is None:
        raise WorkflowError("say whether the problem is solved")
    check_allowed(req, actor, "follow_up_solved" if inp.solved else "follow_up_unsolved", inp, inp.comment)
    if inp.satisfaction not in SATISFACTION_LEVELS:
        raise WorkflowError(f"choose how satisfied you are: one of {', '.join(SATISFACTION_LEVELS)}")
    return {
        "solved": inp.solved,
        "satisfaction": inp.satisfaction,
        "comment": inp.comment,
        "at": inp.at,
        "expected_version": inp.expected_version,
    }


def record_follow_up(
    req, actor: Actor, *, solved: bool, satisfaction: str, comment: str = "", at=None, expected_version=None
) -> FollowUp:
    if satisfaction not in SATISFACTION_LEVELS:
        raise WorkflowError(f"choose how satisfied you are: one of {', '.join(SATISFACTION_LEVELS)}")
    at = at or timezone.now()
    comment = (comment or "").replace("\x00", "").strip()[:2000]
    with transaction.atomic():
        unit = req.unit
        if solved:
            solved_data: FollowUpData = {"satisfaction": satisfaction, "solved": True}
            transition(
                req,
                "follow_up_solved",
                actor,
                note=comment,
                at=at,
                expected_version=expected_version,
                updates={"closed_at": at},
                data=solved_data,
            )
        else:
            sign_due, reply_due = compute_deadlines(req, at)
            unsolved_data: FollowUpData = {
                "satisfaction": satisfaction,
                "solved": False,
                "unit": unit.code if unit else None,
                "sign_due": sign_due.isoformat(),
            }
            transition(
                req,
                "follow_up_unsolved",
                actor,
                note=comment,
                at=at,
                expected_version=expected_version,
                updates={
                    "reopen_count": req.reopen_count + 1,
                    "signed_at": None,
                    "dispatched_at": at,
                    "sign_due": sign_due,
                    "reply_due": reply_due,
                },
                data=unsolved_data,
            )
        followup = FollowUp.objects.create(
            request=req,
            unit=unit,
            solved=solved,
            satisfaction=satisfaction,
            comment=comment,
            by_requester=actor.user is None,
            operator=actor.user,
            created_at=at,
        )
        if not solved and req.reopen_count >= REOPEN_SUPERVISION_AFTER:
            raise_supervision(req, "reopened", at, f"×{req.reopen_count}")
    return followup
