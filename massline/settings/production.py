"""Production: everything from the environment, DEBUG off, HTTPS only, and a real secret key."""

import os
import sys

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, env_bool

DEBUG = False


def _weak_key_problem(key: str) -> str:
    if not key:
        return "MASSLINE_SECRET_KEY is not set"
    if key == DEV_SECRET_KEY or key.startswith(("dev-", "django-insecure")):
        return "MASSLINE_SECRET_KEY is the development default"
    if len(key) < 50 or len(set(key)) < 5:
        return f"MASSLINE_SECRET_KEY is too weak ({len(key)} characters, need 50 or more, not repetitive)"
    return ""


SECRET_KEY = os.environ.get("MASSLINE_SECRET_KEY", "")
_problem = _weak_key_problem(SECRET_KEY)
if _problem:
    # One line, no traceback: whoever starts the service sees at once what to fix.
    sys.stderr.write(
        f"massline: refusing to start: {_problem}; generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`\n"
    )
    raise SystemExit(78)  # EX_CONFIG

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("MASSLINE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("MASSLINE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MASSLINE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("MASSLINE_HSTS_PRELOAD", False)
if os.environ.get("MASSLINE_PROXY_SSL_HEADER"):  # e.g. X-Forwarded-Proto, set by the TLS proxy
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["MASSLINE_PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
