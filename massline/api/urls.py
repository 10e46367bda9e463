from django.urls import include, path, re_path

from . import open311
from .auth import limit_body
from .views import api

FMT = r"\.(?P<fmt>json|xml)$"

open311_v2 = [
    re_path(r"^services" + FMT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]{1,64})" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_collection, name="requests"),
    re_path(r"^requests/(?P<reference>[^/]{1,64})" + FMT, open311.request_detail, name="request"),
    # swagger.json spells the single-request path in the singular; accept both.
    re_path(r"^request/(?P<reference>[^/]{1,64})" + FMT, open311.request_detail),
    re_path(r"^tokens/(?P<token>[^/]{1,64})" + FMT, open311.token_lookup, name="token"),
    # mySociety's extension (FixMyStreet's Open311::GetServiceRequestUpdates reads it)
    re_path(r"^servicerequestupdates" + FMT, open311.service_request_updates, name="updates"),
]
open311_patterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    path("v2/", include(open311_v2)),
]


def _ninja_urls():
    """The django-ninja URLs, each refusing oversized bodies before ninja parses them."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = limit_body(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("open311/", include((open311_patterns, "open311"))),
    path("", _ninja_urls()),
]
