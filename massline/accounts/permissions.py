"""Who may do what. Roles are Django groups named after ``massline.core.workflow.Role`` values."""

from __future__ import annotations

from massline.core.workflow import Role


def roles_of(user) -> frozenset[str]:
    """The workflow roles a user holds. Anonymous visitors hold none; superusers hold admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_massline_roles", None)
    if cached is not None:
        return cached
    roles = set(user.groups.values_list("name", flat=True)) & {r.value for r in Role}
    if user.is_superuser:
        roles.add(Role.ADMIN.value)
    user._massline_roles = frozenset(roles)
    return user._massline_roles


def unit_of(user):
    profile = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    return profile.unit if profile else None


def is_staff_member(user) -> bool:
    return bool(roles_of(user))


def can_see_misconduct(user) -> bool:
    """Misconduct reports (舉報) are for the discipline role alone: not even admins read them."""
    return Role.DISCIPLINE.value in roles_of(user)


def can_view_request(user, request_obj) -> bool:
    roles = roles_of(user)
    if request_obj.kind == "report":
        return Role.DISCIPLINE.value in roles
    if roles & {Role.DISPATCHER.value, Role.SUPERVISOR.value, Role.ADMIN.value}:
        return True
    if Role.UNIT_STAFF.value in roles:
        unit = unit_of(user)
        return unit is not None and request_obj.unit_id is not None and request_obj.unit.is_within(unit)
    return False


def visible_requests(user, queryset):
    """Filter a Request queryset down to what ``user`` may see, the union of what each role allows (as
    ``can_view_request``): the discipline role reads misconduct reports, and ordinary requests only
    through another role it holds."""
    from django.db.models import Q

    roles = roles_of(user)
    allowed: list[Q] = []
    if Role.DISCIPLINE.value in roles:
        allowed.append(Q(kind="report"))
    if roles & {Role.DISPATCHER.value, Role.SUPERVISOR.value, Role.ADMIN.value}:
        allowed.append(~Q(kind="report"))
    elif Role.UNIT_STAFF.value in roles and unit_of(user) is not None:
        allowed.append(~Q(kind="report") & Q(unit__path__startswith=unit_of(user).path))
    if not allowed:
        return queryset.none()
    scope = allowed[0]
    for more in allowed[1:]:
        scope |= more
    return queryset.filter(scope)
