"""The console pages: admins only (403 for every other role, also on POST), in three languages."""

from __future__ import annotations

import pytest

from massline.console import actions
from massline.console.models import ConfigEvent
from massline.workflow.models import CalendarDay, Unit

pytestmark = pytest.mark.django_db

SECTIONS = ["units", "categories", "routing", "deadlines", "calendar", "templates", "staff"]
PAGES = (
    ["/staff/console/", "/staff/console/events/"]
    + [f"/staff/console/{s}/" for s in SECTIONS]
    + [f"/staff/console/{s}/new/" for s in SECTIONS]
)


@pytest.fixture
def as_user(client, staff):
    def login(username):
        client.logout()
        if username:
            client.force_login(staff[username])
        return client

    return login


@pytest.mark.parametrize("url", PAGES)
def test_every_console_page_opens_for_an_admin(as_user, url):
    page = as_user("admin").get(url)
    assert page.status_code == 200
    assert "營運主控台" in page.content.decode()  # the page title, in the default language


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("username", ["dispatcher", "supervisor", "discipline", "staff-housing"])
def test_other_roles_get_403(as_user, url, username):
    # The discipline role may read the change log (role grants only); nothing else.
    allowed = username == "discipline" and url.endswith("/events/")
    assert as_user(username).get(url).status_code == (200 if allowed else 403)


def test_anonymous_visitors_are_sent_to_the_login_page(as_user):
    response = as_user(None).get("/staff/console/units/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("username", ["dispatcher", "discipline", "staff-housing"])
def test_a_refused_post_changes_nothing(as_user, username, city):
    client = as_user(username)
    response = client.post(
        "/staff/console/units/new/", {"code": "sneaky", "name": "x", "parent": city["city"].pk}
    )
    assert response.status_code == 403
    response = client.post(f"/staff/console/units/{city['housing'].pk}/delete/")
    assert response.status_code == 403
    assert not Unit.objects.filter(code="sneaky").exists() and ConfigEvent.objects.count() == 0


def test_the_nav_shows_the_console_to_admins_only(as_user):
    assert "/staff/console/" in as_user("admin").get("/staff/dashboard/").content.decode()
    assert "/staff/console/" not in as_user("dispatcher").get("/staff/dashboard/").content.decode()


def test_an_admin_creates_a_unit_and_sees_it_in_the_log(as_user, city):
    client = as_user("admin")
    response = client.post(
        "/staff/console/units/new/",
        {"code": "a1-dongtang", "name": "东塘街道办事处", "parent": city["a1"].pk, "area": "东塘"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/console/units/"
    assert Unit.objects.get(code="a1-dongtang").parent == city["a1"]
    log = client.get("/staff/console/events/").content.decode()
    assert "a1-dongtang" in log and "東塘" not in log and "东塘街道办事处" in log


def test_form_errors_come_back_on_the_form(as_user, city):
    client = as_user("admin")
    page = client.post("/staff/console/units/new/", {"code": "housing", "name": "重复", "parent": ""})
    assert page.status_code == 200 and "housing" in page.content.decode()
    assert "已存在" in page.content.decode()
    page = client.post("/staff/console/calendar/new/", {"date": "2027-03-03", "is_workday": "1", "name": "x"})
    assert "週六或週日" in page.content.decode() and not CalendarDay.objects.filter(name="x").exists()


def test_deleting_a_unit_in_use_is_refused_with_a_message(as_user, city):
    client = as_user("admin")
    response = client.post(f"/staff/console/units/{city['housing'].pk}/delete/", follow=True)
    assert "仍在使用" in response.content.decode() and Unit.objects.filter(code="housing").exists()


def test_an_admin_creates_a_staff_account_with_a_role(as_user, city):
    from django.contrib.auth.models import User

    client = as_user("admin")
    data = {
        "username": "chen",
        "name": "陈静",
        "unit": city["env"].pk,
        "roles": ["unit_staff"],
        "password": "short",
        "password2": "short",
    }
    page = client.post("/staff/console/staff/new/", data)
    assert page.status_code == 200 and not User.objects.filter(username="chen").exists()
    data |= {"password": "Qingshui-Lane-88", "password2": "Qingshui-Lane-88"}
    assert client.post("/staff/console/staff/new/", data).status_code == 302
    chen = User.objects.get(username="chen")
    assert actions.staff_roles(chen) == ["unit_staff"] and chen.staff.unit == city["env"]
    listing = client.get("/staff/console/staff/?q=chen").content.decode()
    assert (
        "陈静" in listing and "Qingshui" not in listing and "pbkdf2" not in listing and "md5$" not in listing
    )


def test_discipline_reads_the_role_events_only(as_user, city, admin_actor):
    actions.save_unit(admin_actor, "spare", name="备用单位", parent=city["city"], create=True)
    actions.save_staff(admin_actor, "wu", name="吴", unit=None, roles=["dispatcher"], create=True)
    page = as_user("discipline").get("/staff/console/events/").content.decode()
    assert "wu" in page and "spare" not in page
    assert "/staff/console/events/" in as_user("discipline").get("/staff/reports/").content.decode()


@pytest.mark.parametrize(("language", "expected"), [("en", "Operator console"), ("zh-hans", "运营控制台")])
def test_the_console_follows_the_language(as_user, language, expected):
    client = as_user("admin")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert expected in client.get("/staff/console/units/").content.decode()


def test_help_texts_are_linked_to_their_fields(client, staff):
    """Screen readers announce a field's help: Django points aria-describedby at id_<field>_helptext."""
    import re

    client.force_login(staff["admin"])
    page = client.get("/staff/console/units/new/").content.decode()
    described = set(re.findall(r'aria-describedby="([^"]+)"', page))
    assert described, "the unit form has help texts"
    for target in described:
        assert f'id="{target}"' in page, target
