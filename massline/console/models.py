"""The append-only trail of configuration changes made in the operator console or by `massline city load`.

Written only by ``massline.console.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# Role grants and revocations: the discipline role may read these events as well as admins.
ROLE_EVENT_ACTIONS = ("staff.grant_role", "staff.revoke_role")


class ConfigEvent(models.Model):
    """Who changed which configuration row, when, and what it looked like before and after."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=100, help_text="who acted, kept even if the user is deleted")
    action = models.CharField(max_length=40, db_index=True)  # "unit.create", "staff.grant_role", ...
    object_type = models.CharField(max_length=30)
    object_key = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("config events are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("config events are append-only: they cannot be deleted")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, for display."""
        before, after = self.before or {}, self.after or {}
        return [
            (name, before.get(name), after.get(name))
            for name in sorted(set(before) | set(after), key=lambda n: (list(after) + list(before)).index(n))
            if before.get(name) != after.get(name)
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_key}"
