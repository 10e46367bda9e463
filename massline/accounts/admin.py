"""Django's admin must not be a side door around the audited role grants.

Roles are groups; the operator console grants and revokes them through ``console.actions.save_staff``,
which writes a ConfigEvent the discipline role can read. In /admin/ the role, superuser and permission
fields of a user are therefore read-only, and the page points to the console."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User


class AuditedRolesUserAdmin(UserAdmin):
    readonly_fields = ("groups", "user_permissions", "is_superuser", "last_login", "date_joined")

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # the add form has no role fields
            return super().get_fieldsets(request, obj)
        return (
            (None, {"fields": ("username", "password")}),
            ("Personal info", {"fields": ("first_name", "last_name", "email")}),
            (
                "Roles (change them in the operator console, /staff/console/staff/, where every grant is audited)",
                {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
            ),
            ("Important dates", {"fields": ("last_login", "date_joined")}),
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AuditedRolesUserAdmin)
