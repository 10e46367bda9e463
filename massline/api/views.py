"""The native REST API (django-ninja). Open311 GeoReport v2 lives beside it."""

from __future__ import annotations

import json

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (ensure_ascii=False)."""

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


api = NinjaAPI(title="massline API", version="1", renderer=UnicodeJSONRenderer(), urls_namespace="api")


@api.get("/health")
def health(request):
    return {"status": "ok", "service": "massline"}
