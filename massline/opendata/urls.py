from django.urls import path, re_path

from massline.pagecache.pages import public_page

from . import views
from .dump import PAGE_AREA

app_name = "opendata"
urlpatterns = [
    # cached until the next dump is written (dump.write bumps the area)
    path("", public_page(PAGE_AREA)(views.index), name="index"),
    re_path(r"^(?P<name>[A-Za-z.]+\.(?:csv|json|md))$", views.download, name="download"),
]
