"""Errors of the REST API: one JSON shape, ``{"detail": "…", "code": "…"}``, with a message for people."""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja.errors import AuthenticationError


class ApiError(Exception):
    def __init__(self, status: int, detail: str, code: str, **extra):
        super().__init__(detail)
        self.status, self.detail, self.code, self.extra = status, detail, code, extra


def json_response(data, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def install(api) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return json_response({"detail": exc.detail, "code": exc.code, **exc.extra}, exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = json_response(
            {
                "detail": "a valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
                "code": "unauthenticated",
            },
            401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
