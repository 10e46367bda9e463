"""SMS adapters: one small class per provider (FixMyStreet's SendReport/* is the model).

Every adapter has ``send(to, text, message_id) -> str`` that returns the provider's id for the message and
raises ``SmsError`` when the provider refuses or cannot be reached (the outbox then retries with backoff).
Choose one with ``MASSLINE_SMS_URL`` (see ``config``). A city adds its provider as a class here.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit


class SmsError(RuntimeError):
    pass


class SmsAdapter:
    name = "base"

    def send(self, to: str, text: str, message_id: str) -> str:
        raise NotImplementedError


class ConsoleSms(SmsAdapter):
    """Prints each message (the demo's default)."""

    name = "console"

    def send(self, to: str, text: str, message_id: str) -> str:
        print(f"SMS to {to} [{message_id}]: {text}", file=sys.stdout, flush=True)
        return message_id


class FileSms(SmsAdapter):
    """Appends each message as one JSON line to a file (for tests and dry runs)."""

    name = "file"

    def __init__(self, path: str):
        self.path = Path(path)

    def send(self, to: str, text: str, message_id: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "text": text, "id": message_id}, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return message_id


class HttpSms(SmsAdapter):
    """POSTs ``{"to", "text", "id"}`` as JSON to a gateway; any 2xx is accepted. A ``token`` query
    parameter in the URL becomes an ``Authorization: Bearer`` header and is not sent in the URL."""

    name = "http"

    def __init__(self, url: str, timeout: float = 10.0):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.token = query.pop("token", [""])[0]
        rest = "&".join(f"{k}={v}" for k, values in query.items() for v in values)
        self.url = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
        self.timeout = timeout

    def send(self, to: str, text: str, message_id: str) -> str:
        body = json.dumps({"to": to, "text": text, "id": message_id}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": message_id}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                answer = response.read(4096).decode("utf-8", "replace")
        except OSError as exc:
            raise SmsError(f"SMS gateway {self.url}: {exc}") from exc
        try:
            return str(json.loads(answer).get("id") or message_id)
        except (ValueError, AttributeError):
            return message_id


def adapter_for(url: str) -> SmsAdapter:
    url = (url or "console:").strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme == "console":
        return ConsoleSms()
    if scheme == "file":
        return FileSms(urlsplit(url).path)
    if scheme in ("http", "https"):
        return HttpSms(url)
    raise SmsError(f"MASSLINE_SMS_URL: unknown scheme {scheme!r}; use console:, file:// or http(s)://")
