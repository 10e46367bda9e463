"""Server-side permission checks for every workbench view. Templates only hide what these refuse."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from massline.accounts.permissions import can_view_request, roles_of
from massline.core.workflow import Role
from massline.workflow.models import Request

DISPATCHER, UNIT_STAFF, SUPERVISOR, DISCIPLINE, ADMIN = (
    Role.DISPATCHER.value,
    Role.UNIT_STAFF.value,
    Role.SUPERVISOR.value,
    Role.DISCIPLINE.value,
    Role.ADMIN.value,
)
ANY_STAFF = frozenset({DISPATCHER, UNIT_STAFF, SUPERVISOR, DISCIPLINE, ADMIN})


def staff_required(*roles: str):
    """Anonymous visitors go to the login page; signed-in users without one of ``roles`` get 403."""
    wanted = frozenset(roles) or ANY_STAFF

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles_of(request.user) & wanted:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def request_for(user, reference: str, queryset=None) -> Request:
    """The request ``reference`` if ``user`` may see it.

    Misconduct reports answer 404 to everyone but the discipline role, so that their very existence
    does not leak; other requests outside the user's reach answer 403.
    """
    queryset = queryset if queryset is not None else Request.objects.select_related("unit", "category")
    req = get_object_or_404(queryset, reference=reference)
    if req.kind == "report" and DISCIPLINE not in roles_of(user):
        raise Http404
    if not can_view_request(user, req):
        raise PermissionDenied
    return req
