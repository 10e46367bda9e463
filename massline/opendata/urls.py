from django.urls import path, re_path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^requests\.(?P<suffix>csv|json)$", views.download, name="download"),
]
