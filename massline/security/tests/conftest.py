from __future__ import annotations

import pytest


@pytest.fixture
def throttles(settings):
    """The abuse controls as in production (they are off by default in the test settings), on a fresh cache."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    def clear() -> None:  # the local-memory cache only: a test pointed at Redis cleans its own keys
        if isinstance(caches["default"], LocMemCache):
            caches["default"].clear()

    settings.MASSLINE_THROTTLE_ENABLED = True
    clear()
    yield settings
    clear()


@pytest.fixture
def organiser(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("organiser", password="correct horse battery staple")
    user.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    return user
