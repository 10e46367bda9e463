"""Fixtures shared by every app's tests. Data is set up through the real actions, never fixture files.

The demo city (units, the real catalogue of hundreds of categories, deadline rules, holidays and the
demo staff) is built once per test database and committed, not once per test: a test in a ``db``
transaction sees it and rolls its own changes back. Transactional and live-server tests flush the
whole database when they end, so before each database test ``_demo_city_survives_flushes`` checks
that the city is still there and commits it again if a flush removed it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY_YEARS = [2025, 2026]
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _demo_city_is_built() -> bool:
    from django.contrib.auth.models import User

    from massline.workflow.models import CalendarDay

    # build_demo_city() writes everything in one transaction and the staff last.
    return User.objects.filter(username="admin").exists() and CalendarDay.objects.exists()


def _build_demo_city() -> None:
    from django.db import transaction

    from massline.demo.city import build_city, build_staff, install_holidays

    with transaction.atomic():
        build_city()
        install_holidays(HOLIDAY_YEARS)
        build_staff()


def _ensure_demo_city() -> None:
    if not _demo_city_is_built():
        _build_demo_city()


@pytest.fixture(autouse=True)
def _demo_city_survives_flushes(request):
    """Before a database test, commit the demo city if it is missing (first test, or after a flush)."""
    uses_db = bool(DB_FIXTURES & set(request.fixturenames)) or request.node.get_closest_marker("django_db")
    if not uses_db:
        return  # tests without a database never create the test database for nothing
    request.getfixturevalue("django_db_setup")
    from django.db import connection

    with request.getfixturevalue("django_db_blocker").unblock():
        # Inside an open test transaction (a django_db marker sets it up before this fixture) nothing
        # can be committed; the ``city`` fixture then builds the city inside that transaction.
        if not connection.in_atomic_block:
            _ensure_demo_city()


@pytest.fixture
def city(db):
    """The demo city's units (by code), with its catalogue (real when ../shared/data exists), deadline
    rules and 2025-2026 holidays. Every database test sees it; ask for it to say you rely on it."""
    from massline.workflow.models import Unit

    _ensure_demo_city()
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def empty_db(db):
    """The database as the migrations leave it: the demo city is deleted inside this test's transaction
    (and comes back when it rolls back). For tests of loading a city into an empty database."""
    from django.contrib.auth.models import Group, User

    from massline.workflow.models import (
        CalendarDay,
        Category,
        DeadlineRule,
        ReplyTemplate,
        RoutingRule,
        Unit,
    )

    for model in (User, Group, RoutingRule, ReplyTemplate, DeadlineRule, CalendarDay):
        model.objects.all().delete()
    # Parents are protected while they have children: leaves first.
    for level in sorted(set(Category.objects.values_list("level", flat=True)), reverse=True):
        Category.objects.filter(level=level).delete()
    for unit in Unit.objects.order_by("-path"):  # a child's path extends its parent's
        unit.delete()


@pytest.fixture
def staff(city):
    """Demo staff users by username (password massline-demo): admin, dispatcher, supervisor, discipline,
    staff-<unit code>."""
    from django.contrib.auth.models import User

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
    model_dir = os.path.dirname(str(settings.MASSLINE_MODEL_PATH))
    if os.path.basename(model_dir).startswith("test-model-"):
        shutil.rmtree(model_dir, ignore_errors=True)
