"""The two HTTP calls an endpoint gets: a form POST (create a request) and a GET (read updates).

Redirects are not followed (the address is the one an administrator configured); any answer other than
2xx raises ``CallFailed`` with the status, so that the caller can tell a refusal (4xx) from an outage.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

from django.conf import settings

USER_AGENT = "massline-open311/1"
MAX_BODY = 5 * 1024 * 1024  # an updates answer of 1,000 records fits easily


class CallFailed(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status

    @property
    def refused(self) -> bool:
        """The endpoint refused this request (4xx other than 408 and 429): trying again will not help."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in (408, 429)


def timeout() -> float:
    return float(getattr(settings, "MASSLINE_OPEN311_TIMEOUT", 10))


def call(
    method: str, url: str, params: dict[str, str], extra_headers: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """``method`` ``url`` with ``params`` (the form for POST, the query for GET); the body and its type."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallFailed(f"not an http(s) address: {url!r}")
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname, parts.port, timeout=timeout())
    query = urlencode(params)
    path = parts.path or "/"
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/xml", **(extra_headers or {})}
    body = None
    if method == "POST":
        body = query.encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        path += f"?{parts.query}" if parts.query else ""
    else:
        path += "?" + "&".join(q for q in (parts.query, query) if q)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read(MAX_BODY + 1)
    except TimeoutError as exc:
        raise CallFailed(f"no answer within {timeout():g} s") from exc
    except OSError as exc:  # refused, unreachable, TLS, DNS
        raise CallFailed(f"{type(exc).__name__}: {exc}") from exc
    except http.client.HTTPException as exc:
        raise CallFailed(f"bad HTTP answer: {type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()
    if len(data) > MAX_BODY:
        raise CallFailed(f"the answer is larger than {MAX_BODY} bytes")
    if not 200 <= response.status < 300:
        detail = data[:500].decode("utf-8", "replace").strip()
        raise CallFailed(f"HTTP {response.status} {response.reason}: {detail}"[:600], response.status)
    return data, response.getheader("Content-Type", "")
