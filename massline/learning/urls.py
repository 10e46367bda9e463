from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("<int:version>/promote/", views.promote_version, name="promote"),
]
