"""Promoting a routing model and rolling back to an earlier one: the only writers of ``active``.

Both are audited as configuration events (the console's change log), like any change to routing."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.console.models import ConfigEvent

from .models import ModelVersion


class RegistryError(ValueError):
    """A promotion or roll-back that cannot be done, with a message for the administrator."""


def _state(version: ModelVersion | None) -> dict | None:
    return None if version is None else {"version": version.version, "sha256": version.sha256}


@transaction.atomic
def promote(
    version: ModelVersion, *, by: str, user: User | None = None, action: str = "promote"
) -> ModelVersion:
    """Make ``version`` the model that routes; the one routing before stops."""
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    from pathlib import Path

    if not Path(version.path).exists():
        raise RegistryError(_("The file of model v%(version)s is missing.") % {"version": version.version})
    before = ModelVersion.objects.filter(active=True).first()
    if before is not None and before.pk == version.pk:
        raise RegistryError(_("Model v%(version)s already routes.") % {"version": version.version})
    now = timezone.now()
    ModelVersion.objects.filter(active=True).update(active=False)
    ModelVersion.objects.filter(pk=version.pk).update(active=True, promoted_at=now, promoted_by=by[:100])
    ConfigEvent.objects.create(
        at=now,
        actor=user,
        actor_label=by[:100],
        action=f"routing_model.{action}",
        object_type="routing_model",
        object_key=f"v{version.version}",
        before=_state(before),
        after=_state(version),
    )
    version.refresh_from_db()
    return version


def rollback(version: ModelVersion, *, by: str, user: User | None = None) -> ModelVersion:
    """Route with an earlier model again (a promotion, audited as a roll-back)."""
    active = ModelVersion.objects.filter(active=True).first()
    if active is not None and version.version > active.version:
        raise RegistryError(_("A roll-back goes to an earlier model: promote a newer one instead."))
    return promote(version, by=by, user=user, action="rollback")
