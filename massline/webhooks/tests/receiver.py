"""A real webhook receiver for the tests: an HTTP server on a free loopback port, in a thread, that checks
each POST's signature the way docs/api.md tells receivers to, and drops a delivery it already accepted."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret: str = "receiver-secret-0123456789"):
        self.secret = secret
        self.fail_next = 0  # answer 503 to this many requests first
        self.delay = 0.0  # seconds to wait before answering
        self.attempts: list[dict] = []  # every POST: headers, body, verdict
        self.accepted: dict[str, dict] = {}  # delivery id -> payload, once each
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver._handle(self, body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/massline"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if self.delay:
            time.sleep(self.delay)
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        good = hmac.compare_digest(expected, handler.headers.get("X-Massline-Signature", ""))
        with self.lock:
            record = {"headers": dict(handler.headers), "body": body, "signed": good}
            self.attempts.append(record)
            if not good:
                code = 401
            elif self.fail_next > 0:
                self.fail_next -= 1
                code = 503
            else:
                payload = json.loads(body)
                self.accepted.setdefault(handler.headers["X-Massline-Delivery"], payload)
                code = 204
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def payloads(self) -> list[dict]:
        return list(self.accepted.values())
