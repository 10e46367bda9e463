"""The native REST API (django-ninja), OpenAPI docs at /api/docs. Open311 GeoReport v2 lives beside it
(``open311.py``, mounted by ``urls.py``)."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from . import errors
from .auth import ApiRateThrottle
from .docs import OfflineSwagger
from .errors import ApiError
from .params import no_json_constant, unstorable_character


class LocalTimeEncoder(NinjaJSONEncoder):
    """Date-times in the hotline's time zone with their offset (2026-03-02T10:00:00+08:00), not UTC."""

    def default(self, o):
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (ensure_ascii=False)."""

    encoder_class = LocalTimeEncoder

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


def _strings(data):
    """Every key and string value in decoded JSON."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


class StrictJSONParser(Parser):
    """JSON as the RFC says (no NaN or Infinity), and only text the database can store: a lone surrogate
    (``"\\ud800"``) or a NUL character is refused here with a message, rather than failing on write."""

    def parse_body(self, request):
        data = json.loads(request.body, parse_constant=no_json_constant)
        for text in _strings(data):
            why = unstorable_character(text)
            if why:
                raise ApiError(400, f"the body contains {why}; send valid UTF-8 text", "invalid_text")
        return data


api = NinjaAPI(
    title="massline API",
    version="1",
    description=(
        "Submit and track citizen requests; staff list, read and act on them. Authenticate with an API "
        "key (`massline apikey create NAME [--user USERNAME]`) sent as `Authorization: Bearer <key>` or "
        "`X-API-Key: <key>`. Open311 GeoReport v2 is served at /api/open311/v2/."
    ),
    renderer=UnicodeJSONRenderer(),
    parser=StrictJSONParser(),
    urls_namespace="api",
    throttle=[ApiRateThrottle()],
    docs=OfflineSwagger(),
)
errors.install(api)


@api.get("/health", tags=["service"], throttle=[])  # monitors call it: never rate-limited
def health(request):
    return {"status": "ok", "service": "massline"}


def _mount() -> None:
    from .rest import areas, router

    api.add_router("/requests", router)
    for prefix, area in areas():
        api.add_router(prefix, area)


_mount()
