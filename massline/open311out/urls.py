from django.urls import path

from . import views

app_name = "open311out"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
