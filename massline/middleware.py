"""Refuse a NUL character in the address (path or query string) before any view runs.

PostgreSQL cannot hold NUL in text, not even as a query parameter, so ``?q=%00`` or ``/requests/%00/``
would fail as a server error wherever the value reaches a query (a search, a lookup by reference or
token, a template tag reading the query string). Nothing legitimate puts a NUL in a URL, so it is
refused here once, with a 400 in the form the caller reads: the Open311 error list, the REST API's
``{detail, code}``, or a line of text on the portal.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from massline.api.errors import json_response


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


def _answer(request, status: int, detail: str, code: str, text: str) -> HttpResponse:
    """``detail`` in the form the caller reads: the Open311 error list, the REST API's ``{detail, code}``,
    or ``text`` (a line for people) on the portal."""
    path = request.path
    if path.startswith("/api/open311/"):
        return json_response([{"code": status, "description": detail}], status)
    if path.startswith("/api/"):
        return json_response({"detail": detail, "code": code}, status)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _refusal(request) -> HttpResponse:
    return _answer(
        request,
        400,
        "the address contains a NUL character (%00), which no argument may hold",
        "invalid_text",
        _("This address contains a NUL character, which no page accepts."),
    )


class RefuseNulInAddress:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return _refusal(request)
        return self.get_response(request)


class ServiceUnavailableOnDatabaseOutage:
    """A database that cannot be reached answers 503 with Retry-After, not 500: a client (an Open311 app,
    an import script) can tell "try again shortly" from a bug, and retries."""

    RETRY_AFTER = "5"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        response = _answer(
            request,
            503,
            "the database is unavailable for a moment; retry in a few seconds",
            "unavailable",
            _("The service is unavailable for a moment. Please try again in a few seconds."),
        )
        response["Retry-After"] = self.RETRY_AFTER
        return response
