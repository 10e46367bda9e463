"""Staff sign-in with a lockout: after MASSLINE_LOGIN_MAX_FAILURES wrong passwords for one user name from
one address, that pair is locked for MASSLINE_LOGIN_LOCKOUT_SECONDS; the right password is refused too,
with a message saying when to retry. The whole login page is also throttled per address."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.security.client import client_ip
from massline.security.throttle import throttled, wait_message


def _key(request, username: str) -> str:
    who = hashlib.sha256(f"{(username or '').strip().lower()}|{client_ip(request)}".encode()).hexdigest()
    return f"massline:login:{who}"


def locked_for(request, username: str) -> int:
    """Seconds left in this user name + address's lockout (0 if none)."""
    until = cache.get(_key(request, username) + ":until")
    return max(0, math.ceil(until - time.time())) if until else 0


def record_failure(request, username: str) -> int:
    """Count a wrong password; returns the lockout seconds if this failure starts one."""
    limit = settings.MASSLINE_LOGIN_MAX_FAILURES
    seconds = settings.MASSLINE_LOGIN_LOCKOUT_SECONDS
    if not limit or not getattr(settings, "MASSLINE_THROTTLE_ENABLED", True):
        return 0
    key = _key(request, username)
    cache.add(key, 0, seconds)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        failures = 1
    if failures >= limit:
        cache.set(key + ":until", time.time() + seconds, seconds)
        cache.delete(key)
        return seconds
    return 0


class LockoutMixin:
    """For Django's authentication forms (the workbench and the admin sign-in)."""

    locked_message = ""
    # Provided by the authentication form this is mixed into.
    data: Any
    request: HttpRequest | None

    def clean(self):
        username = self.data.get("username", "")
        wait = locked_for(self.request, username)
        if wait:
            self._lock(wait)
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            if self.data.get("password"):
                wait = record_failure(self.request, username)
                if wait:
                    self._lock(wait)
            raise
        cache.delete(_key(self.request, username))  # signed in: earlier failures are forgiven
        return cleaned

    def _lock(self, wait: int):
        locked = _("Too many wrong passwords for this user name: sign-in is locked for a while.")
        self.locked_message = f"{locked} {wait_message(wait)}"
        raise ValidationError(self.locked_message, code="locked")


class StaffAuthenticationForm(LockoutMixin, AuthenticationForm):
    pass


class AdminLockoutAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    pass


login_view = throttled(
    "login",
    "MASSLINE_LOGIN_RATE",
    message=lambda: gettext_lazy("Too many sign-in attempts from your address."),
)(
    auth_views.LoginView.as_view(
        template_name="workbench/login.html",
        redirect_authenticated_user=True,
        authentication_form=StaffAuthenticationForm,
    )
)
