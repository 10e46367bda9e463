"""The operator console in real headless Chromium: an administrator signs in, creates a street office,
a holiday and a staff account for it; the new colleague signs in and lands in the workbench; the
discipline inspector reads the role grant in the change log.

Screenshots go to var/screenshots/console-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_env import login as _login

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from massline.demo.city import build_city, build_staff, install_holidays

    build_city()
    install_holidays([2026])
    build_staff()


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)


def test_an_admin_sets_up_a_street_office_a_holiday_and_a_colleague(browser, live_server, town):
    from django.contrib.auth.models import User

    from massline.console.models import ConfigEvent
    from massline.workflow.models import CalendarDay, Unit

    base = live_server.url
    context, page = _login(browser, base, "admin")
    page.click("nav >> text=營運主控台")
    page.wait_for_url("**/staff/console/")
    _shot(page, "home")

    # a street office under the A1 district
    page.click(".console-tabs >> text=承辦單位")
    page.click("text=新增單位")
    page.fill("#id_code", "a1-dongtang")
    page.fill("#id_name", "A1区东塘街道办事处")
    page.select_option("#id_parent", label="\u2003A1区人民政府 (a1)")
    page.fill("#id_area", "东塘")
    page.click("form.console-form button[type=submit]")
    page.wait_for_url("**/staff/console/units/")
    assert "已儲存" in page.inner_text(".messages")
    assert Unit.objects.get(code="a1-dongtang").path == "city/a1/a1-dongtang/"
    _shot(page, "units")

    # a holiday for next year; first a make-up workday on a Wednesday, which is refused on the form
    page.goto(base + "/staff/console/calendar/new/")
    page.fill("#id_date", "2027-03-03")
    page.check("input[name=is_workday][value='1']")
    page.click("form.console-form button[type=submit]")
    assert "週六或週日" in page.inner_text(".console-form")
    page.check("input[name=is_workday][value='0']")
    page.fill("#id_date", "2027-01-01")
    page.fill("#id_name", "元旦")
    page.click("form.console-form button[type=submit]")
    page.wait_for_url("**/staff/console/calendar/")
    page.click("text=2027")
    assert "元旦" in page.inner_text("table")
    assert CalendarDay.objects.get(date="2027-01-01").is_workday is False

    # a staff account for the new office: a weak password is refused, a good one accepted
    page.goto(base + "/staff/console/staff/new/")
    page.fill("#id_username", "dongtang")
    page.fill("#id_name", "东塘街道 承办人 刘洋")
    page.select_option("#id_unit", label="\u2003\u2003A1区东塘街道办事处 (a1-dongtang)")
    page.check("input[name=roles][value=unit_staff]")
    page.fill("#id_password", "12345678")
    page.fill("#id_password2", "12345678")
    page.click("form.console-form button[type=submit]")
    assert page.locator(".field-error").count() >= 1 and not User.objects.filter(username="dongtang").exists()
    _shot(page, "staff-refused")
    page.fill("#id_password", "Dongtang-Street-2027")
    page.fill("#id_password2", "Dongtang-Street-2027")
    page.click("form.console-form button[type=submit]")
    page.wait_for_url("**/staff/console/staff/")
    assert "dongtang" in page.inner_text("table")

    page.goto(base + "/staff/console/events/")
    log = page.inner_text("table")
    assert "授予角色" in log and "a1-dongtang" in log and "Dongtang-Street" not in page.content()
    _shot(page, "events")
    assert ConfigEvent.objects.filter(action="staff.grant_role", object_key="dongtang").exists()
    context.close()

    # the new colleague signs in, lands in the workbench and has no console
    context, page = _login(browser, base, "dongtang", "Dongtang-Street-2027")
    assert "營運主控台" not in page.inner_text("nav")
    assert page.goto(base + "/staff/console/").status == 403
    context.close()

    # the discipline inspector sees the grant, not the rest of the configuration changes
    context, page = _login(browser, base, "discipline")
    page.click("nav >> text=角色變更")
    log = page.inner_text("main")
    assert "dongtang" in log and "a1-dongtang" not in log
    context.close()
