"""Role grants are audit events the discipline role can read; /admin/ is no side door around them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from massline.console import actions
from massline.console.actions import ConsoleActor
from massline.console.models import ConfigEvent

pytestmark = pytest.mark.django_db


def test_an_admin_adding_itself_to_discipline_is_recorded_and_shown_to_the_discipline_role(client, staff):
    admin = staff["admin"]
    roles = [*actions.staff_roles(admin), "discipline"]
    actions.save_staff(ConsoleActor.of(admin), "admin", name=admin.first_name, unit=None, roles=roles)
    event = ConfigEvent.objects.get(action="staff.grant_role")
    assert event.after == {"role": "discipline"} and event.actor_id == admin.pk

    client.force_login(staff["discipline"])
    page = client.get("/staff/console/events/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "discipline" in html and "admin" in html


def test_the_django_admin_cannot_grant_roles_unseen(client, staff):
    admin = staff["admin"]
    client.force_login(admin)
    url = f"/admin/auth/user/{admin.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    discipline = Group.objects.get(name="discipline")
    client.post(
        url,
        {
            "username": "admin",
            "is_active": "on",
            "is_staff": "on",
            "groups": [discipline.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert not admin.groups.filter(name="discipline").exists()
    assert not ConfigEvent.objects.filter(action="staff.grant_role").exists()
