from django.urls import path, re_path

from . import browse, report, statistics, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/receipt/", views.receipt, name="receipt"),
    path("requests/", browse.request_list, name="list"),
    path("requests/map/", browse.request_map, name="map"),
    path("requests/<str:reference>/", browse.request_detail, name="detail"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("report/", report.report_latest, name="report_latest"),
    re_path(r"^report/(?P<month>\d{4}-\d{2})/$", report.report_html, name="report"),
    re_path(r"^report/(?P<month>\d{4}-\d{2})\.pdf$", report.report_pdf, name="report_pdf"),
]
