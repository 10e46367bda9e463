from django.urls import path, re_path

from massline.pagecache.pages import public_page

from . import views

app_name = "opendata"
urlpatterns = [
    path("", public_page()(views.index), name="index"),  # the dump is nightly: lifetime only
    re_path(r"^(?P<name>[A-Za-z.]+\.(?:csv|json|md))$", views.download, name="download"),
]
