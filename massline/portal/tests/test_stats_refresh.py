"""Statistics cache: fast figures follow every change at once; slow ones (a million requests) are shown
from the previous computation while a single background refresh runs, so no visitor waits a minute."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache

from massline.portal import stats


@pytest.fixture
def version(monkeypatch):
    cache.clear()
    current = {"v": 1}
    monkeypatch.setattr(stats, "data_version", lambda: current["v"])
    yield current
    cache.clear()


def test_fast_figures_follow_a_change_at_once(version):
    assert stats.cached("portal:test-fast", lambda: f"figures at {version['v']}") == "figures at 1"
    version["v"] = 2
    assert stats.cached("portal:test-fast", lambda: f"figures at {version['v']}") == "figures at 2"


def test_slow_figures_are_shown_while_one_refresh_runs(version, settings):
    settings.MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS = 0.0  # treat every computation as slow
    release = threading.Event()
    calls: list[int] = []

    def compute():
        calls.append(version["v"])
        if len(calls) > 1:
            release.wait(10)
        return f"figures at {version['v']}"

    assert stats.cached("portal:test-slow", compute) == "figures at 1"  # nothing yet: computed in place
    version["v"] = 2
    assert stats.cached("portal:test-slow", compute) == "figures at 1"  # previous figures, at once
    assert stats.cached("portal:test-slow", compute) == "figures at 1"  # no second refresh meanwhile
    release.set()
    deadline = time.monotonic() + 10
    while cache.get("portal:test-slow")["version"] != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stats.cached("portal:test-slow", compute) == "figures at 2"
    assert calls == [1, 2]
