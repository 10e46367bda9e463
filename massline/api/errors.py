"""Errors of the REST API: one JSON shape, ``{"detail": "…", "code": "…"}``, with a message for people."""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

# Where django-ninja says a wrong argument was (query, body, …): the person needs the field's name only.
_SOURCES = {"query", "path", "header", "cookie", "body", "form", "file"}


class ApiError(Exception):
    def __init__(self, status: int, detail: str, code: str, **extra):
        super().__init__(detail)
        self.status, self.detail, self.code, self.extra = status, detail, code, extra


def json_response(data, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def field_errors(errors: list[dict]) -> str:
    """pydantic's errors as one sentence per field: "contact.email: value is not a valid email address"."""
    parts = []
    for err in errors[:10]:
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in _SOURCES:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] in {"body", "filters"}:  # the endpoint's argument, not a field
            loc = loc[1:]
        message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(loc)}: {message}" if loc else message)
    return "; ".join(parts) or "the request is invalid"


def body_error(exc: HttpError) -> str:
    """django-ninja says only "Cannot parse request body"; the parser's own message says what is wrong."""
    cause = exc.__cause__
    if isinstance(cause, ValueError):
        return f"the body is not valid JSON: {cause}"
    return str(exc)


def install(api) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return json_response({"detail": exc.detail, "code": exc.code, **exc.extra}, exc.status)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return json_response({"detail": field_errors(exc.errors), "code": "invalid_request"}, 422)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, ApiError):  # raised by our parser, wrapped by django-ninja
            return api_error(request, exc.__cause__)
        code = {400: "bad_request", 429: "throttled"}.get(exc.status_code, "error")
        return json_response({"detail": body_error(exc), "code": code}, exc.status_code)

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
