import pytest

from massline.notify.tests.smtp import Inbox


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; every message the outbox sends lands in it."""
    inbox = Inbox()
    inbox.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    inbox.controller.stop()


@pytest.fixture(autouse=True)
def _nothing_held(settings):
    """Our texts carry personal data on purpose: they must reach the public redacted, not be held."""
    settings.MASSLINE_PREMODERATE = False
    settings.MASSLINE_HOLD_SCORE = 1.01
