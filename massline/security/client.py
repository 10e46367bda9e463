"""The client's address: REMOTE_ADDR, or a configured header set by a trusted reverse proxy.

Only the header named in ``MASSLINE_CLIENT_IP_HEADER`` (e.g. ``X-Forwarded-For`` or ``X-Real-IP``) is
read, and only when it is set: otherwise anyone could choose their own address and dodge every
per-address limit. For ``X-Forwarded-For`` the last entry is used, the one our proxy appended."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    header = getattr(settings, "MASSLINE_CLIENT_IP_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(meta_key, "")
        if value:
            return value.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
