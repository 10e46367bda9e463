"""Swagger UI for /api/docs served from our own static files: no CDN at run time.

django-ninja's default renderer falls back to a jsDelivr template when ``ninja`` is not an installed app;
this one always renders ``api/docs.html``, which loads the Swagger UI copy vendored under
``massline/static/massline/vendor/swagger-ui/`` (see the README.txt there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    """Swagger UI rendered from ``api/docs.html`` with local static files only."""

    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the spec to validator.swagger.io for its badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": swagger_settings, "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)
