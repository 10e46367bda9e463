"""Outages of the services behind the app answer clearly instead of failing: a cache (Redis) that is down
lets requests through unthrottled, and a database that is down answers 503 with Retry-After."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dead_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.MASSLINE_THROTTLE_ENABLED = True  # Django rebuilds the cache handlers when CACHES changes
    yield


def test_rate_limits_let_requests_through_when_the_cache_is_down(dead_redis_cache):
    from massline.api.auth import hit as api_hit
    from massline.security.throttle import Rate
    from massline.security.throttle import hit as throttle_hit

    assert api_hit("ip:test", limit=1).allowed
    assert throttle_hit("submit", "127.0.0.1", Rate(1, 60)) is None


def test_a_database_outage_answers_503_with_retry_after(client, monkeypatch):
    from massline.portal import browse

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(browse, "public_requests", down)  # the real outage: bench/faults.py
    response = client.get("/requests/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()
    zh = client.get("/requests/")
    assert zh.status_code == 503 and "再試" in zh.content.decode()
