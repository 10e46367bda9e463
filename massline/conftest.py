"""Fixtures shared by every app's tests. Data is set up through the real actions, never fixture files."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def city(db):
    """The demo city's units, catalogue and deadline rules (real catalogue when ../shared/data exists)."""
    from massline.demo.city import build_city, install_holidays

    build_city()
    install_holidays([2025, 2026])
    from massline.workflow.models import Unit

    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def staff(city):
    """Demo staff users by username (password massline-demo): admin, dispatcher, supervisor, discipline,
    staff-<unit code>."""
    from django.contrib.auth.models import User

    from massline.demo.city import build_staff

    build_staff()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def actors(staff):
    from massline.workflow.actions import Actor

    return {name: Actor.of(user) for name, user in staff.items()}


@pytest.fixture
def category(city):
    """A level-1 category routed to the housing department (城乡建设)."""
    from massline.workflow.models import Category

    return Category.objects.get(level=1, name="城乡建设")


@pytest.fixture
def make_request(city):
    """Submit a request through intake (not auto-routed unless asked). Times default to a Monday 10:00."""
    from massline.intake.actions import submit_request

    def make(text="小区路灯坏了两个月,晚上很黑,请尽快维修。", at=None, **kwargs):
        kwargs.setdefault("auto_route", False)
        kwargs.setdefault("title", text[:20])
        return submit_request(text=text, at=at or datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), **kwargs)

    return make


def pytest_sessionfinish(session, exitstatus):
    """Django drops the per-process SQLite test database; its WAL side files are left: remove them,
    and the per-process media folder the tests uploaded into."""
    import os
    import shutil

    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME") or ""
    if name.endswith(".sqlite3"):
        for suffix in ("-wal", "-shm"):
            try:
                os.remove(name + suffix)
            except FileNotFoundError:
                pass
    media = str(settings.MEDIA_ROOT)
    if os.path.basename(media).startswith("test-media-"):
        shutil.rmtree(media, ignore_errors=True)
