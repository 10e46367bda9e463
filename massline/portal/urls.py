from django.urls import path, re_path
from django.utils.translation import gettext as _

from massline.security.throttle import throttled

from . import browse, report, statistics, views


def _searching(request) -> bool:
    return bool(request.GET.get("q", "").strip())


# Abuse controls per client address (settings MASSLINE_SUBMIT_RATE and MASSLINE_SEARCH_RATE).
submit = throttled(
    "submit", "MASSLINE_SUBMIT_RATE", message=lambda: _("Too many requests were sent from your address.")
)(views.submit)
search_throttle = throttled("search", "MASSLINE_SEARCH_RATE", methods=("GET",), when=_searching)
request_list = search_throttle(browse.request_list)
request_map = search_throttle(browse.request_map)
# Asked as someone types: counted with the searches, every time.
similar_requests = throttled("search", "MASSLINE_SEARCH_RATE", methods=("GET", "POST"))(
    browse.similar_requests
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", submit, name="submit"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/receipt/", views.receipt, name="receipt"),
    path("requests/", request_list, name="list"),
    path("requests/map/", request_map, name="map"),
    path("requests/similar/", similar_requests, name="similar"),
    path("requests/<str:reference>/", browse.request_detail, name="detail"),
    path("requests/<str:reference>/me-too/", browse.me_too, name="me_too"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("report/", report.report_latest, name="report_latest"),
    re_path(r"^report/(?P<month>\d{4}-\d{2})/$", report.report_html, name="report"),
    re_path(r"^report/(?P<month>\d{4}-\d{2})\.pdf$", report.report_pdf, name="report_pdf"),
]
