import socket
import threading

import pytest


class Inbox:
    """A real SMTP server on a free loopback port (aiosmtpd), keeping what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.refuse = threading.Event()
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                if inbox.refuse.is_set():
                    return "451 try again later"
                from email import message_from_bytes, policy

                inbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    inbox.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    inbox.controller.stop()
