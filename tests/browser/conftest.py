"""The shared Chromium for browser tests; they skip with a clear message where it is not installed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_env import ARGS, CHROMIUM

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install the distribution's chromium package to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def city():
    """The demo city, its 2025-2026 holidays and its staff (discipline, dispatcher, admin …; password
    massline-demo), built through the real code, with an empty cache."""
    from django.core.cache import cache

    from massline.demo.city import build_city, build_staff, install_holidays

    build_city()
    install_holidays([2025, 2026])
    build_staff()
    cache.clear()


@pytest.fixture
def inbox(settings, live_server):
    """A real SMTP server (aiosmtpd) on a free loopback port, with the site sending its e-mail there."""
    from massline.notify.tests.smtp import Inbox

    box = Inbox()
    box.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", box.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MASSLINE_SITE_URL = live_server.url
    yield box
    box.controller.stop()
