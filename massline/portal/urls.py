from django.urls import path, re_path
from django.utils.translation import gettext as _

from massline.pagecache.generations import REQUESTS, STATS
from massline.pagecache.pages import public_page
from massline.security.throttle import throttled

from . import browse, report, statistics, views


def _searching(request) -> bool:
    return bool(request.GET.get("q", "").strip())


# Abuse controls per client address (settings MASSLINE_SUBMIT_RATE and MASSLINE_SEARCH_RATE).
submit = throttled(
    "submit", "MASSLINE_SUBMIT_RATE", message=lambda: _("Too many requests were sent from your address.")
)(views.submit)
search_throttle = throttled("search", "MASSLINE_SEARCH_RATE", methods=("GET",), when=_searching)
# Anonymous pages come from the page cache (massline/pagecache) until their data changes; a cached search
# costs no more than any cached page, so only the ones rendered are counted by the throttle.
request_list = public_page(REQUESTS)(search_throttle(browse.request_list))
request_map = public_page(REQUESTS)(search_throttle(browse.request_map))
# Asked as someone types: counted with the searches, every time.
similar_requests = throttled("search", "MASSLINE_SEARCH_RATE", methods=("GET", "POST"))(
    browse.similar_requests
)

app_name = "portal"
urlpatterns = [
    path("", public_page(REQUESTS, STATS)(views.home), name="home"),
    path("submit/", submit, name="submit"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/receipt/", views.receipt, name="receipt"),
    path("requests/", request_list, name="list"),
    path("requests/map/", request_map, name="map"),
    path("requests/similar/", similar_requests, name="similar"),
    path(
        "requests/<str:reference>/",
        public_page(per_request="reference")(browse.request_detail),
        name="detail",
    ),
    path("requests/<str:reference>/me-too/", browse.me_too, name="me_too"),
    path("statistics/", public_page(REQUESTS, STATS)(statistics.statistics), name="statistics"),
    path("report/", report.report_latest, name="report_latest"),
    re_path(
        r"^report/(?P<month>\d{4}-\d{2})/$", public_page(REQUESTS, STATS)(report.report_html), name="report"
    ),
    re_path(
        r"^report/(?P<month>\d{4}-\d{2})\.pdf$",
        public_page(REQUESTS, STATS)(report.report_pdf),
        name="report_pdf",
    ),
]
