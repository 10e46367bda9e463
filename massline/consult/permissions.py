"""Who organises consultations: staff with the admin or supervisor role. Everyone else takes part."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from massline.accounts.permissions import roles_of
from massline.core.workflow import Role

ORGANISER_ROLES = frozenset({Role.ADMIN.value, Role.SUPERVISOR.value})


def can_organise(user) -> bool:
    return bool(roles_of(user) & ORGANISER_ROLES)


def require_organiser(user) -> None:
    if not can_organise(user):
        raise PermissionDenied("organising consultations needs the admin or supervisor role")


def visible_consultations(user, queryset):
    """The public sees open and closed consultations; drafts are for organisers."""
    if can_organise(user):
        return queryset
    return queryset.exclude(status="draft")
