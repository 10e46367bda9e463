"""Where messages go, from one URL each (no Django imports: the settings module reads this).

``MASSLINE_EMAIL_URL``:
    ``smtp://user:password@host:port`` (``smtps://`` for implicit TLS, ``?starttls=1`` for STARTTLS),
    ``console:`` (print them), ``file:///path/to/folder`` (one file per message), ``memory:`` (tests).
``MASSLINE_SMS_URL``:
    ``console:``, ``file:///path/to/file.jsonl`` (one JSON line per message), or an ``http(s)://`` endpoint
    that takes ``{"to": ..., "text": ..., "id": ...}`` as JSON (``?token=...`` becomes a Bearer header).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    pass


def email_settings(url: str) -> dict[str, object]:
    """Django EMAIL_* settings for ``url``."""
    url = (url or "console:").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise ConfigError("MASSLINE_EMAIL_URL=file:///folder needs a folder")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ConfigError("MASSLINE_EMAIL_URL=smtp://user:password@host:port needs a host")
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
            "EMAIL_TIMEOUT": 10,
        }
    raise ConfigError(
        f"MASSLINE_EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps://, console:, file:// or memory:"
    )
