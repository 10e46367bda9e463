"""Who does what with the monthly problem (每月一題).

Supervisors and admins choose it, edit its plan and status, open a consultation and attach its outcome.
Staff of the lead unit (and supervisors, admins) post milestones. Every staff role but discipline reads the
staff pages; everyone reads the public pages.
"""

from __future__ import annotations

from massline.accounts.permissions import roles_of, unit_of
from massline.core.workflow import Role

CHOOSING_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})
READING_ROLES = (Role.DISPATCHER.value, Role.UNIT_STAFF.value, Role.SUPERVISOR.value, Role.ADMIN.value)


def can_choose(user) -> bool:
    return bool(roles_of(user) & CHOOSING_ROLES)


def can_post_milestone(user, problem) -> bool:
    if can_choose(user):
        return True
    unit = unit_of(user)
    return (
        Role.UNIT_STAFF.value in roles_of(user)
        and unit is not None
        and problem.lead_unit.path.startswith(unit.path)
    )
