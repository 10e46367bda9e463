from django.urls import path, re_path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<name>[A-Za-z.]+\.(?:csv|json|md))$", views.download, name="download"),
]
