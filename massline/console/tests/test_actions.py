"""Configuration changes through console.actions: validated, audited, refused where a row is in use."""

from __future__ import annotations

from datetime import date

import pytest

from massline.console import actions
from massline.console.actions import ConsoleActor, ConsoleError
from massline.console.models import ConfigEvent
from massline.workflow.models import Category, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The messages are asserted in English here (the console pages check the Chinese ones)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_only_administrators_get_a_console_actor(staff):
    with pytest.raises(actions.NotPermitted, match="Only administrators"):
        ConsoleActor.of(staff["dispatcher"])


def test_creating_a_unit_is_audited_and_saving_it_unchanged_writes_nothing(admin_actor, city):
    actions.save_unit(
        admin_actor, "a1-dongtang", name="东塘街道", parent=city["a1"], area="东塘", create=True
    )
    event = ConfigEvent.objects.get()
    assert (event.action, event.object_key, event.actor_label) == ("unit.create", "a1-dongtang", "admin")
    assert event.before is None and event.after["parent"] == "a1"
    actions.save_unit(admin_actor, "a1-dongtang", name="东塘街道", parent=city["a1"], area="东塘")
    assert ConfigEvent.objects.count() == 1


def test_moving_a_unit_moves_its_subtree(admin_actor, city):
    actions.save_unit(admin_actor, "a3-guanling", name="观岭街道", parent=city["a2"], area="观岭")
    guanling = Unit.objects.get(code="a3-guanling")
    assert guanling.path == "city/a2/a3-guanling/" and guanling.is_within(city["a2"])
    with pytest.raises(ConsoleError, match="inside itself") as exc:
        actions.save_unit(admin_actor, "a2", name="A2", parent=guanling)
    assert exc.value.field == "parent"


def test_a_unit_in_use_is_not_deleted_and_the_refusal_says_why(admin_actor, city, staff):
    with pytest.raises(ConsoleError, match=r"still in use \(.*1 staff accounts") as exc:
        actions.delete_unit(admin_actor, "housing")
    assert "categories" in str(exc.value)  # the default unit of 城乡建设
    assert Unit.objects.filter(code="housing").exists()
    actions.save_unit(admin_actor, "spare", name="备用单位", parent=city["city"], create=True)
    actions.delete_unit(admin_actor, "spare")
    assert [e.action for e in ConfigEvent.objects.order_by("id")] == ["unit.create", "unit.delete"]


def test_duplicate_codes_are_refused_on_the_code_field(admin_actor, city):
    with pytest.raises(ConsoleError, match="already exists") as exc:
        actions.save_unit(admin_actor, "housing", name="x", parent=None, create=True)
    assert exc.value.field == "code"


def test_the_catalogue_has_three_levels(admin_actor, city):
    top = actions.save_category(admin_actor, "", name="测试大类", parent=None, default_unit=city["env"])
    mid = actions.save_category(admin_actor, "", name="中类", parent=top, default_unit=None)
    leaf = actions.save_category(admin_actor, "", name="小类", parent=mid, default_unit=None)
    assert (top.level, mid.level, leaf.level) == (1, 2, 3) and leaf.effective_unit() == city["env"]
    with pytest.raises(ConsoleError, match="three levels"):
        actions.save_category(admin_actor, "", name="第四级", parent=leaf, default_unit=None)
    with pytest.raises(ConsoleError) as exc:
        actions.save_category(admin_actor, top.code, name="x", parent=None, default_unit=None, urgency="soon")
    assert exc.value.field == "urgency"


def test_a_make_up_workday_must_be_on_a_weekend(admin_actor, db):
    with pytest.raises(ConsoleError, match="Saturday or a Sunday"):
        actions.save_calendar_day(admin_actor, date(2027, 3, 3), is_workday=True)
    actions.save_calendar_day(admin_actor, date(2027, 2, 6), is_workday=True, name="春节調休")
    assert ConfigEvent.objects.get().object_key == "2027-02-06"


def test_the_general_deadline_rule_of_an_urgency_cannot_be_deleted(admin_actor, city):
    from massline.workflow.models import DeadlineRule

    general = DeadlineRule.objects.get(urgency="general", kind="")
    with pytest.raises(ConsoleError, match="Every urgency needs"):
        actions.delete_deadline_rule(admin_actor, general.pk)


def test_staff_accounts_get_validated_passwords_and_audited_roles(admin_actor, city):
    from django.contrib.auth import authenticate

    with pytest.raises(ConsoleError) as exc:
        actions.save_staff(
            admin_actor,
            "zhang",
            name="张",
            unit=city["env"],
            roles=["unit_staff"],
            password="123",
            create=True,
        )
    assert exc.value.field == "password" and "10" in str(exc.value)  # too short: at least 10
    actions.save_staff(
        admin_actor,
        "zhang",
        name="张",
        unit=city["env"],
        roles=["unit_staff"],
        password="Lianhua-Road-2026",
        create=True,
    )
    assert authenticate(username="zhang", password="Lianhua-Road-2026") is not None
    actions.save_staff(admin_actor, "zhang", name="张", unit=city["env"], roles=["supervisor"])
    trail = [(e.action, e.before, e.after) for e in ConfigEvent.objects.order_by("id")]
    assert [a for a, _b, _a in trail] == [
        "staff.create",
        "staff.grant_role",
        "staff.revoke_role",
        "staff.grant_role",
    ]
    assert trail[1][2] == {"role": "unit_staff"} and trail[2][1] == {"role": "unit_staff"}
    assert trail[3][2] == {"role": "supervisor"}
    assert not any("password" in str(after) and "Lianhua" in str(after) for _a, _b, after in trail)


def test_unit_staff_need_a_unit(admin_actor, db):
    with pytest.raises(ConsoleError, match="need a unit") as exc:
        actions.save_staff(admin_actor, "li", name="", unit=None, roles=["unit_staff"], create=True)
    assert exc.value.field == "unit"


def test_an_admin_cannot_lock_themselves_out(admin_actor, staff):
    with pytest.raises(ConsoleError, match="your own"):
        actions.set_staff_active(admin_actor, "admin", False)
    assert ConfigEvent.objects.count() == 0


def test_the_last_active_administrator_cannot_be_removed(city, staff):
    from django.contrib.auth.models import User

    User.objects.filter(username="admin").update(is_superuser=False)
    actions.save_staff(ConsoleActor.command(), "second", name="", unit=None, roles=["admin"], create=True)
    command = ConsoleActor.command()
    actions.set_staff_active(command, "second", False)
    with pytest.raises(ConsoleError, match="without an active administrator"):
        actions.save_staff(command, "admin", name="", unit=None, roles=[])
    assert "admin" in actions.staff_roles(User.objects.get(username="admin"))


def test_config_events_are_append_only(admin_actor, city):
    actions.save_unit(admin_actor, "spare", name="备用单位", parent=city["city"], create=True)
    event = ConfigEvent.objects.get()
    event.action = "unit.delete"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert ConfigEvent.objects.get().action == "unit.create"


def test_a_category_with_requests_is_not_deleted(admin_actor, make_request, category):
    make_request(category=category)
    with pytest.raises(ConsoleError, match="requests"):
        actions.delete_category(admin_actor, category.code)
    assert Category.objects.filter(pk=category.pk).exists()
