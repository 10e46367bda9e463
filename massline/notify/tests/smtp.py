"""A real SMTP server for tests (aiosmtpd on a free loopback port), keeping what it receives."""

from __future__ import annotations

import socket
import threading
import time


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

    def wait_for(self, address, count=1, seconds=15.0):
        """The messages to ``address`` once there are ``count`` of them (they are sent after a commit,
        possibly in another thread)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            got = self.to(address)
            if len(got) >= count:
                return got
            time.sleep(0.1)
        raise AssertionError(
            f"{len(self.to(address))} message(s) to {address} after {seconds} s, wanted {count}"
        )
