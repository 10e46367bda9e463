from __future__ import annotations

import pytest


@pytest.fixture
def throttles(settings):
    """The abuse controls as in production (they are off by default in the test settings), on a fresh cache."""
    from django.core.cache import cache

    settings.MASSLINE_THROTTLE_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()
