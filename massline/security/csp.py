"""A Content-Security-Policy on every HTML answer (Django 5.2 has none built in).

Scripts run only from our own static files: no inline <script>, no on*= handlers, no eval. Styles allow
inline attributes because a few are computed per row (bar widths, opinion-group colours); they cannot run
code. Map tiles come from the origin of MASSLINE_TILE_URL. The embeddable consultation pages (marked
``xframe_options_exempt``) may be framed by MASSLINE_EMBED_ORIGINS; every other page by itself only."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings


def tile_source(url_template: str) -> str:
    """The CSP source for a tile URL template: its origin, with {s} subdomains as a wildcard."""
    if not url_template:
        return ""
    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return ""
    host = re.sub(r"^\{[a-z]\}\.", "*.", parts.netloc)
    if "{" in host:
        return ""
    return f"{parts.scheme}://{host}"


def build_policy(frame_ancestors: str) -> str:
    img = ["'self'", "data:", "blob:"]
    tiles = tile_source(getattr(settings, "MASSLINE_TILE_URL", ""))
    if tiles:
        img.append(tiles)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": " ".join(img),
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(settings, "MASSLINE_CSP_ENABLED", True) or "Content-Security-Policy" in response:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        embeddable = getattr(response, "xframe_options_exempt", False)
        ancestors = (settings.MASSLINE_EMBED_ORIGINS or "'none'") if embeddable else "'self'"
        response["Content-Security-Policy"] = build_policy(ancestors)
        return response
